"""Pages of the talent app: the public 供求信息 page (aggregates only), the clerk's online form, the
import page with its row errors, the bureau's proposal and decision, the talent database search
and its masked export."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongjiang.catalog.models import ShortageOccupationEntry
from gongjiang.core.choices import Role
from gongjiang.core.pii import decrypt
from gongjiang.registry.tests.factories import PASSWORD
from gongjiang.talent import services
from gongjiang.talent.models import SurveyResponse

from .factories import certificate, level, open_round, row_b, survey_csv, survey_row

pytestmark = pytest.mark.django_db


def client_for(w, role) -> Client:
    client = Client()
    assert client.login(username=w.users[role].username, password=PASSWORD)
    return client


def _xlsx_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return " ".join(
            str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
        )
    finally:
        book.close()


def test_public_page_shows_aggregates_of_closed_rounds_and_no_personal_data(scenario):
    # given the scenario round closed (published)
    w = scenario
    services.survey_round_close(actor=w.root, survey_round=w.round, closed_on=dt.date(2025, 7, 31))
    anonymous = Client()
    # when
    page = anonymous.get(reverse("talent_public:supply_demand")).content.decode()
    sheet = _xlsx_text(anonymous.get(reverse("talent_public:supply_demand_xlsx")).content)
    # then aggregates: 技能人才 78, 焊工 demand 10 and gap 8, wage 6375 (test_aggregates)
    assert "技能人才 <strong>78</strong>" in page and 'data-occupation="焊工"' in page and "6375" in page
    assert "78" in sheet and "6375" in sheet
    # and nothing about an enterprise or a person: names, principals, fillers, phones, ID numbers
    personal = [
        w.enterprise_a.name,
        w.enterprise_b.name,
        w.enterprise_a.credit_code,
        "孙经理",
        "周会计",
        "13900001111",
        "139****1111",
        "13900002222",
        w.trainee_a.name,
        w.trainee_a.id_number_masked,
        decrypt(w.trainee_a.id_number_encrypted),
    ]
    for text in (page, sheet):
        assert not [p for p in personal if p in text]


def test_public_page_shows_nothing_of_an_open_round(scenario):
    page = Client().get(reverse("talent_public:supply_demand")).content.decode()
    assert "暂无已发布的供求信息" in page
    assert Client().get(reverse("talent_public:supply_demand_xlsx")).status_code == 404


def test_clerk_fills_in_the_online_form(tw):
    # given
    w = tw
    survey_round = open_round(w)
    client = client_for(w, Role.ENTERPRISE_CLERK)
    url = reverse("talent:response_form", args=[survey_round.pk])
    form = {
        "principal": "孙经理",
        "principal_phone": "13900001111",
        "ownership": "private_corp",
        "size": "medium",
        "business_field": "石油化工",
        "staff_count": "100",
        "average_monthly_wage": "5000",
        "training_funds_drawn": "80000",
        "training_funds_used": "60000",
        "level_junior": "10",
        "level_intermediate": "8",
        "level_senior": "6",
        "level_technician": "3",
        "level_senior_technician": "1",
        "age_18_30": "8",
        "age_31_40": "10",
        "age_41_50": "6",
        "age_51_plus": "4",
        "edu_high_school": "15",
        "edu_college": "10",
        "edu_bachelor": "3",
        "d1_occupation": str(w.occupations["焊工"].pk),
        "d1_count": "5",
        "d1_level": str(level("senior").pk),
        "d1_wage": "6000",
        "d1_method": "self",
        "filled_by": "周会计",
        "filled_on": "2025-06-30",
    }
    # when the totals disagree, then the page says so and nothing is written
    bad = client.post(url, {**form, "edu_bachelor": "2"})
    assert bad.status_code == 200 and "学历结构合计 27 与职业技能等级合计 28 不一致" in bad.content.decode()
    assert not SurveyResponse.objects.exists()
    # when correct, then enterprise A's answer is saved with its demand line
    assert client.post(url, form).status_code == 302
    response = SurveyResponse.objects.get()
    assert response.enterprise == w.enterprise_a and response.demand_lines.get().count == 5
    # and the form shows it back for correction
    assert 'value="100"' in client.get(url).content.decode()


def test_import_page_lists_the_bad_row_and_writes_nothing(tw):
    # given
    w = tw
    survey_round = open_round(w)
    data = survey_csv([survey_row(w.enterprise_a), row_b(w.enterprise_b, 需求工种1="宇航员")])
    # when
    response = client_for(w, Role.BUREAU_ADMIN).post(
        reverse("talent:round_detail", args=[survey_round.pk]), {"file": SimpleUploadedFile("r.csv", data)}
    )
    # then
    content = response.content.decode()
    assert "第 3 行" in content and "需求工种1" in content and "职业目录中没有“宇航员”" in content
    assert not SurveyResponse.objects.exists()


def test_bureau_proposes_and_accepts_from_the_supply_demand_page(scenario):
    # given
    w = scenario
    client = client_for(w, Role.BUREAU_ADMIN)
    page = client.get(reverse("talent:supply_demand", args=[w.round.pk])).content.decode()
    assert "提议列入急需紧缺目录" in page
    # when
    client.post(
        reverse("talent:proposal_create", args=[w.round.pk]),
        {"occupation": w.occupations["焊工"].pk, "note": "缺口大"},
    )
    proposal = w.round.proposals.get()
    client.post(
        reverse("talent:proposal_decide", args=[proposal.pk]),
        {"decision": "accept", "effective_from": "2025-09-01", "reason": ""},
    )
    # then
    entry = ShortageOccupationEntry.objects.get()
    assert (entry.occupation.name, entry.valid_from) == ("焊工", dt.date(2025, 9, 1))
    # and a reviewer (read only) sees the page without the buttons, and cannot post
    reviewer = client_for(w, Role.CENTRE_REVIEWER)
    assert (
        "提议列入急需紧缺目录"
        not in reviewer.get(reverse("talent:supply_demand", args=[w.round.pk])).content.decode()
    )
    assert (
        reviewer.post(reverse("talent:proposal_create", args=[w.round.pk]), {"occupation": 1}).status_code
        == 403
    )


def test_talent_database_search_and_masked_export(scenario):
    # given 焊工 高级工 (trainee_a), 电工 中级工 (employee_a: below 高级工), a 2024 电工 高级工 (employee_b)
    w = scenario
    certificate(w.employee_a, occupation="焊工", level_code="technician", issued_on=dt.date(2025, 8, 1))
    client = client_for(w, Role.AUDITOR)
    url = reverse("talent:talent_list")
    # when / then: 高级工 and above only
    rows = client.get(url).context["rows"]
    assert sorted(r.person.name for r in rows) == sorted(
        [w.trainee_a.name, w.employee_a.name, w.employee_b.name]
    )
    # by occupation and level
    welder = str(w.occupations["焊工"].pk)
    rows = client.get(url, {"occupation": welder, "level": "4"}).context["rows"]
    assert [(r.person.name, r.level_label) for r in rows] == [(w.employee_a.name, "技师")]
    # by enterprise
    rows = client.get(url, {"enterprise": str(w.enterprise_b.pk)}).context["rows"]
    assert [r.person.name for r in rows] == [w.employee_b.name]
    # the export masks ID numbers
    sheet = _xlsx_text(client.get(reverse("talent:talent_export")).content)
    assert w.employee_a.id_number_masked in sheet
    assert decrypt(w.employee_a.id_number_encrypted) not in sheet
