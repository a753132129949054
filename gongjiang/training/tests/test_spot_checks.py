"""Spot checks (新民社发〔2025〕13号 附件2 3.2: "各中心或就业科通过线上线下至少开展3次抽查")."""

from __future__ import annotations

import datetime as dt

import pytest

from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.training.choices import ClassEventType, EvidenceKind
from gongjiang.training.models import SpotCheck
from gongjiang.training.selectors import SPOT_CHECKS_MIN, spot_check_count, spot_checks_enough
from gongjiang.training.services.spot_checks import spot_check_record

from .factories import RUN_START, pdf, running_class

pytestmark = pytest.mark.django_db


def _check(w, training_class, day_offset=0, **kw):
    fields = {
        "actor": w.reviewer,
        "training_class": training_class,
        "checked_on": RUN_START + dt.timedelta(days=day_offset),
        "mode": "on_site",
        "present_count": 3,
        "findings": "学员在岗实操，教师在场，签到与在场人数一致",
        "outcome": "compliant",
    }
    fields.update(kw)
    return spot_check_record(**fields)


def test_three_spot_checks_are_the_minimum_for_closing(tw):
    # given a running class with 3 trainees
    training_class = running_class(tw)
    assert SPOT_CHECKS_MIN == 3  # 附件2 3.2 "至少开展3次抽查"
    # when the reviewer records two checks, then a third online with a record file
    _check(tw, training_class, 1)
    _check(tw, training_class, 5, mode="online", present_count=2, outcome="rectify")
    assert (spot_check_count(training_class), spot_checks_enough(training_class)) == (2, False)
    name, stream = pdf()
    third = _check(tw, training_class, 9, evidence_name=name, evidence_stream=stream)
    # then three: enough; the file is the class's spot-check evidence; each is on the timeline
    assert (spot_check_count(training_class), spot_checks_enough(training_class)) == (3, True)
    assert training_class.evidence.get(kind=EvidenceKind.SPOT_CHECK).spot_check == third
    assert training_class.events.filter(event_type=ClassEventType.SPOT_CHECK).count() == 3


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"present_count": 4}, "在场人数须在 0 至在训人数 3 之间"),
        ({"day_offset": 15}, "不在培训期间"),
        ({"findings": "  "}, "请填写检查情况"),
        ({"mode": "phone"}, "抽查方式"),
        ({"outcome": "ok"}, "抽查结论"),
        ({"today": RUN_START}, "不能晚于今天"),
    ],
)
def test_a_bad_spot_check_is_refused_and_nothing_written(tw, kw, message):
    # given
    training_class = running_class(tw)
    offset = kw.pop("day_offset", 1)
    # when / then
    with pytest.raises(DomainError, match=message):
        _check(tw, training_class, offset, **kw)
    assert not SpotCheck.objects.exists()


def test_only_the_units_reviewer_records_a_spot_check(tw):
    # given a running class of institution A (centre 1)
    training_class = running_class(tw)
    # when its own clerk tries
    with pytest.raises(PermissionDenied):
        _check(tw, training_class, actor=tw.clerk)
    # then nothing is written
    assert not SpotCheck.objects.exists()
