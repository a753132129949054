"""/api/catalog: list, filter, scoping, the write permission and the 422 of a rejected import."""

from __future__ import annotations

import pytest

from gongjiang.catalog.models import Occupation, ShortageOccupationEntry
from gongjiang.catalog.services import occupation_class_set, occupation_create, shortage_entry_add

BASE = "/api/catalog"


@pytest.fixture
def two_occupations(bureau_admin, jurisdiction):
    welder = occupation_create(actor=bureau_admin, name="焊工")
    nanny = occupation_create(actor=bureau_admin, name="育婴员")
    for occupation, letter in ((welder, "A"), (nanny, "B")):
        occupation_class_set(
            actor=bureau_admin,
            jurisdiction=jurisdiction,
            occupation=occupation,
            subsidy_class=letter,
            citation="附件3",
        )
    return welder, nanny


def test_anonymous_is_refused(client, db):
    # when
    response = client.get(f"{BASE}/occupations")
    # then
    assert response.status_code == 401


def test_list_and_filter(auditor_client, two_occupations):
    # when
    everything = auditor_client.get(f"{BASE}/occupations").json()
    class_b = auditor_client.get(f"{BASE}/occupations", {"subsidy_class": "B"}).json()
    searched = auditor_client.get(f"{BASE}/occupations", {"q": "焊"}).json()
    # then
    assert everything["count"] == 2
    assert [(o["name"], o["subsidy_class"]) for o in everything["items"]] == [("焊工", "A"), ("育婴员", "B")]
    assert [o["name"] for o in class_b["items"]] == ["育婴员"]
    assert [o["name"] for o in searched["items"]] == ["焊工"]
    assert auditor_client.get(f"{BASE}/occupations", {"subsidy_class": "E"}).status_code == 422


def test_detail_and_404(auditor_client, two_occupations):
    # given
    welder, _nanny = two_occupations
    # when
    found = auditor_client.get(f"{BASE}/occupations/{welder.pk}")
    missing = auditor_client.get(f"{BASE}/occupations/999999")
    # then
    assert found.status_code == 200
    assert found.json()["class_citation"] == "附件3"
    assert missing.status_code == 404


def test_reference_lists(auditor_client, loaded):
    # when
    certificates = auditor_client.get(f"{BASE}/certificate-types").json()
    levels = auditor_client.get(f"{BASE}/skill-levels").json()
    courses = auditor_client.get(f"{BASE}/startup-courses").json()
    # then
    assert len(certificates) == 6
    assert [level["code"] for level in levels][:2] == ["junior", "intermediate"]
    assert {c["code"]: c["min_class_hours"] for c in courses}["EYB"] == 48


def test_shortage_post_by_admin_and_get_on_date(admin_client, two_occupations):
    # given
    welder, _nanny = two_occupations
    payload = {
        "occupation_id": welder.pk,
        "valid_from": "2025-01-01",
        "valid_to": "2025-06-30",
        "source": "目录",
    }
    # when
    created = admin_client.post(f"{BASE}/shortage", payload, content_type="application/json")
    overlapping = admin_client.post(f"{BASE}/shortage", payload, content_type="application/json")
    # then
    assert created.status_code == 201
    assert created.json()["occupation_name"] == "焊工"
    assert overlapping.status_code == 400
    assert overlapping.json()["code"] == "overlapping_period"
    assert len(admin_client.get(f"{BASE}/shortage", {"on": "2025-06-30"}).json()) == 1
    assert admin_client.get(f"{BASE}/shortage", {"on": "2025-07-01"}).json() == []


def test_shortage_post_by_non_admin_is_403(auditor_client, two_occupations):
    # given
    welder, _nanny = two_occupations
    payload = {"occupation_id": welder.pk, "valid_from": "2025-01-01", "source": "目录"}
    # when
    response = auditor_client.post(f"{BASE}/shortage", payload, content_type="application/json")
    # then
    assert response.status_code == 403
    assert not ShortageOccupationEntry.objects.exists()


def test_shortage_end(admin_client, bureau_admin, jurisdiction, two_occupations):
    # given
    entry = shortage_entry_add(
        actor=bureau_admin,
        jurisdiction=jurisdiction,
        occupation=two_occupations[0],
        valid_from="2025-01-01",
        valid_to=None,
        source="目录",
    )
    # when
    response = admin_client.post(
        f"{BASE}/shortage/{entry.pk}/end", {"valid_to": "2025-03-31"}, content_type="application/json"
    )
    # then
    assert response.status_code == 200
    assert response.json()["valid_to"] == "2025-03-31"


def test_import_422_with_row_errors(admin_client, make_xlsx):
    # given
    data = make_xlsx(
        [
            ["职业名称", "职业类别", "数字职业", "绿色职业"],
            ["焊工", "A", "否", "否"],
            ["电工", "X", "否", "否"],
        ]
    )
    # when
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = admin_client.post(
        f"{BASE}/import", {"file": SimpleUploadedFile("a.xlsx", data), "kind": "occupations"}
    )
    # then
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_rejected"
    assert body["details"] == [{"row": 3, "column": "职业类别", "message": "应为 A、B、C、D 之一，实际为“X”"}]
    assert not Occupation.objects.exists()


def test_import_ok_and_non_admin_403(admin_client, auditor, make_xlsx):
    # given
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = make_xlsx([["职业名称", "职业类别", "数字职业", "绿色职业"], ["焊工", "A", "否", "否"]])
    # when
    ok = admin_client.post(f"{BASE}/import", {"file": SimpleUploadedFile("a.xlsx", data)})
    admin_client.force_login(auditor)
    refused = admin_client.post(f"{BASE}/import", {"file": SimpleUploadedFile("a.xlsx", data)})
    # then
    assert ok.status_code == 200
    assert ok.json() == {"created": 1, "updated": 0, "unchanged": 0}
    assert refused.status_code == 403


def test_export(auditor_client, two_occupations):
    # when
    response = auditor_client.get(f"{BASE}/export.xlsx")
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"
