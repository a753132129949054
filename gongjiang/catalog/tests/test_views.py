"""The catalog pages: log-in, lists and filters, the admin-only forms, the import error table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongjiang.catalog.models import Occupation, ShortageOccupationEntry
from gongjiang.catalog.services import occupation_class_set, occupation_create, shortage_entry_add


@pytest.fixture
def welder(bureau_admin, jurisdiction):
    occupation = occupation_create(actor=bureau_admin, name="焊工", is_digital=True)
    occupation_class_set(
        actor=bureau_admin,
        jurisdiction=jurisdiction,
        occupation=occupation,
        subsidy_class="A",
        citation="附件3 A类",
    )
    occupation_create(actor=bureau_admin, name="育婴员")
    return occupation


def test_login_required(client, db):
    # when
    response = client.get(reverse("catalog:occupation_list"))
    # then
    assert response.status_code == 302
    assert reverse("web:login") in response["Location"]


def test_occupation_list_filter_and_search(auditor_client, welder):
    # when
    everything = auditor_client.get(reverse("catalog:occupation_list"))
    class_a = auditor_client.get(reverse("catalog:occupation_list"), {"subsidy_class": "A"})
    searched = auditor_client.get(reverse("catalog:occupation_list"), {"q": "育婴"})
    # then
    assert everything.status_code == 200
    assert "焊工" in everything.text and "育婴员" in everything.text and "未分类" in everything.text
    assert "焊工" in class_a.text and "育婴员" not in class_a.text
    assert "育婴员" in searched.text and "焊工" not in searched.text


def test_shortage_list_hides_forms_from_non_admin(auditor_client, welder):
    # when
    response = auditor_client.get(reverse("catalog:shortage_list"))
    # then
    assert response.status_code == 200
    assert "新增目录条目" not in response.text
    assert auditor_client.post(reverse("catalog:shortage_add"), {}).status_code == 403


def test_shortage_add_and_end_by_admin(admin_client, welder):
    # given
    form = {"occupation": welder.pk, "valid_from": "2025-01-01", "valid_to": "", "source": "2025 目录"}
    # when
    added = admin_client.post(reverse("catalog:shortage_add"), form)
    refused = admin_client.post(reverse("catalog:shortage_add"), form)
    entry = ShortageOccupationEntry.objects.get()
    ended = admin_client.post(reverse("catalog:shortage_end", args=[entry.pk]), {"valid_to": "2025-12-31"})
    # then
    assert added.status_code == 302
    assert refused.status_code == 400
    assert "重叠" in refused.text
    assert ended.status_code == 302
    entry.refresh_from_db()
    assert entry.valid_to == dt.date(2025, 12, 31)
    page = admin_client.get(reverse("catalog:shortage_list"), {"on": "2025-06-01"})
    assert "2025 目录" in page.text and "新增目录条目" in page.text


def test_import_page_shows_row_errors(admin_client, make_xlsx):
    # given
    data = make_xlsx(
        [["职业名称", "职业类别", "数字职业", "绿色职业"], ["", "A", "否", "否"], ["=1+1", "Z", "否", "否"]]
    )
    # when
    response = admin_client.post(
        reverse("catalog:import_export"),
        {"kind": "occupations", "file": SimpleUploadedFile("bad.xlsx", data)},
    )
    # then
    assert response.status_code == 422
    assert "未写入任何数据" in response.text
    assert "第 2 行" in response.text and "第 3 行" in response.text
    assert "疑似公式" in response.text
    assert not Occupation.objects.exists()


def test_import_page_success_and_export(admin_client, make_xlsx):
    # given
    data = make_xlsx([["职业名称", "职业类别", "数字职业", "绿色职业"], ["焊工", "A", "否", "否"]])
    # when
    response = admin_client.post(
        reverse("catalog:import_export"), {"kind": "occupations", "file": SimpleUploadedFile("ok.xlsx", data)}
    )
    export = admin_client.get(reverse("catalog:export_xlsx"))
    # then
    assert response.status_code == 302
    assert Occupation.objects.filter(name="焊工").exists()
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_import_post_by_non_admin_is_403(auditor_client, make_xlsx):
    # given
    data = make_xlsx([["职业名称", "职业类别", "数字职业", "绿色职业"], ["焊工", "A", "否", "否"]])
    # when
    page = auditor_client.get(reverse("catalog:import_export"))
    response = auditor_client.post(
        reverse("catalog:import_export"), {"kind": "occupations", "file": SimpleUploadedFile("ok.xlsx", data)}
    )
    # then
    assert page.status_code == 200 and "上传并导入" not in page.text
    assert response.status_code == 403
    assert not Occupation.objects.exists()


def test_shortage_entry_of_other_jurisdiction_is_404(admin_client, other_admin, other_jurisdiction, welder):
    # given
    entry = shortage_entry_add(
        actor=other_admin,
        jurisdiction=other_jurisdiction,
        occupation=welder,
        valid_from=dt.date(2025, 1, 1),
        valid_to=None,
        source="湖州",
    )
    # when
    response = admin_client.post(reverse("catalog:shortage_end", args=[entry.pk]), {"valid_to": "2025-02-01"})
    # then
    assert response.status_code == 404
