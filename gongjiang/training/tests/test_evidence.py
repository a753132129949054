"""Evidence files (附件2 3.1 材料, 3.2 影像资料): type checked by extension and content, size-limited,
stored under a server-made name with the content hash; the same file never accepted twice."""

from __future__ import annotations

import hashlib
import io

import pytest

from gongjiang.core.errors import DomainError
from gongjiang.training.choices import EvidenceKind
from gongjiang.training.models import ClassEvidence
from gongjiang.training.services.evidence import evidence_add

from .factories import approved_class, draft_class, png

pytestmark = pytest.mark.django_db


def _add(tw, training_class, kind, name, data, **extra):
    return evidence_add(
        actor=extra.pop("actor", tw.clerk),
        training_class=training_class,
        kind=kind,
        name=name,
        stream=io.BytesIO(data),
        **extra,
    )


def test_a_photo_is_stored_under_its_hash(tw):
    training_class = draft_class(tw)
    _, stream = png()
    data = stream.getvalue()
    evidence = _add(tw, training_class, EvidenceKind.VENUE_PHOTO, "../../etc/场地 照片.PNG", data)
    digest = hashlib.sha256(data).hexdigest()
    assert evidence.sha256 == digest
    assert evidence.original_name == "场地 照片.PNG"
    assert evidence.content_type == "image/png"
    assert evidence.file.name == f"training/{digest[:2]}/{digest}.png"
    with evidence.file.open("rb") as stored:
        assert stored.read() == data
    assert training_class.events.filter(event_type="evidence_added").count() == 1


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("plan.exe", b"MZ\x90\x00", "bad_file_type"),
        ("plan.pdf", b"\x89PNG\r\n\x1a\n" + b"x" * 20, "content_mismatch"),
        ("plan.pdf", b"<html><script>alert(1)</script></html>", "content_mismatch"),
        ("plan.pdf", b"", "empty_file"),
    ],
)
def test_wrong_files_are_refused(tw, name, data, code):
    training_class = draft_class(tw)
    with pytest.raises(DomainError) as refused:
        _add(tw, training_class, EvidenceKind.TRAINING_PLAN, name, data)
    assert refused.value.code == code
    assert ClassEvidence.objects.count() == 0


def test_size_limit(tw, settings):
    settings.GONGJIANG_MAX_PHOTO_BYTES = 1024
    training_class = draft_class(tw)
    with pytest.raises(DomainError) as refused:
        _add(tw, training_class, EvidenceKind.VENUE_PHOTO, "big.png", b"\x89PNG\r\n\x1a\n" + b"0" * 2048)
    assert refused.value.code == "file_too_large"


def test_the_same_file_is_not_accepted_twice(tw):
    training_class = draft_class(tw)
    _, stream = png()
    data = stream.getvalue()
    _add(tw, training_class, EvidenceKind.VENUE_PHOTO, "a.png", data)
    with pytest.raises(DomainError) as refused:
        _add(tw, training_class, EvidenceKind.VENUE_PHOTO, "b.png", data)
    assert refused.value.code == "duplicate_file"


def test_teaching_photos_need_a_day_of_the_class_and_a_running_class(tw):
    draft = draft_class(tw)
    with pytest.raises(DomainError) as too_early:
        _add(tw, draft, EvidenceKind.THEORY_PHOTO, "t.png", png()[1].getvalue(), taken_on=draft.start_date)
    assert too_early.value.code == "wrong_status"
    running = approved_class(tw)
    with pytest.raises(DomainError) as undated:
        _add(tw, running, EvidenceKind.THEORY_PHOTO, "t.png", png()[1].getvalue())
    assert undated.value.code == "date_required"
    with pytest.raises(DomainError) as outside:
        _add(
            tw,
            running,
            EvidenceKind.PRACTICE_PHOTO,
            "p.png",
            png()[1].getvalue(),
            taken_on=running.end_date.replace(year=2030),
        )
    assert outside.value.code == "date_outside_class"
    photo = _add(
        tw, running, EvidenceKind.PRACTICE_PHOTO, "p.png", png()[1].getvalue(), taken_on=running.start_date
    )
    assert photo.taken_on == running.start_date


def test_filing_materials_are_frozen_once_submitted(tw):
    running = approved_class(tw)
    with pytest.raises(DomainError) as refused:
        _add(tw, running, EvidenceKind.VENUE_PHOTO, "v.png", png()[1].getvalue())
    assert refused.value.code == "wrong_status"
