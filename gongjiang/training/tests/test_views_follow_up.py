"""The follow-up tab, the KPI page and its Excel export, the black/white list page and the API
(附件2 3.3, 四(三)), as a clerk, a reviewer and the bureau admin use them."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongjiang.catalog.models import CertificateType
from gongjiang.registry.services import institution_update
from gongjiang.registry.tests.factories import PASSWORD
from gongjiang.training.choices import ProposalStatus
from gongjiang.training.models import EmploymentPromotion, ListChangeProposal

from .factories import certify, closed_class, employ, pdf, promote

pytestmark = pytest.mark.django_db

CLOSED_ON = dt.date(2025, 6, 30)


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_clerk_records_a_certificate_and_a_promotion_on_the_follow_up_tab(client, tw):
    # given a closed class of the clerk's institution with 2 qualified trainees
    training_class = closed_class(tw, closed_on=CLOSED_ON, qualified=2)
    enrolment = training_class.enrolments.order_by("id").first()
    url = reverse("training:class_follow_up", args=[training_class.pk])
    _login(client, tw.clerk)
    # when the tab is opened, then it shows the deadline (3 months after 2025-06-30) and the forms
    page = client.get(url).content.decode()
    assert "2025-09-30" in page and "登记取证" in page and "登记就业推介" in page
    # when a certificate is posted
    response = client.post(
        url,
        {
            "action": "certificate",
            "cert-enrolment": enrolment.pk,
            "cert-certificate_type": CertificateType.objects.get(code="skill_level_certificate").pk,
            "cert-number": "GZ2025080001",
            "cert-issued_on": "2025-08-01",
            "cert-issuer": "兰州新区职业技能鉴定所",
        },
    )
    # then it is recorded and the rate updates: 1 / 2 = 50.0% (3.3 取证率 = 取证人数 / 合格人数)
    assert response.status_code == 302
    assert enrolment.obtained_certificates.get().number == "GZ2025080001"
    page = client.get(url).content.decode()
    assert "1/2 = 50.0%" in page and "GZ2025080001" in page
    # when a 就业推介 is posted with its record
    name, stream = pdf()
    response = client.post(
        url,
        {
            "action": "promotion",
            "promo-held_on": "2025-07-05",
            "promo-title": "专场招聘会",
            "promo-employers": "甲公司",
            "promo-attendee_count": 2,
            "promo-file": SimpleUploadedFile(name, stream.getvalue()),
        },
    )
    assert response.status_code == 302
    assert EmploymentPromotion.objects.filter(training_class=training_class).count() == 1


def test_a_bad_follow_up_entry_shows_the_chinese_message_and_writes_nothing(client, tw):
    training_class = closed_class(tw, closed_on=CLOSED_ON, qualified=1)
    enrolment = training_class.enrolments.get()
    _login(client, tw.clerk)
    response = client.post(
        reverse("training:class_follow_up", args=[training_class.pk]),
        {
            "action": "certificate",
            "cert-enrolment": enrolment.pk,
            "cert-certificate_type": CertificateType.objects.get(code="skill_level_certificate").pk,
            "cert-number": "X1",
            "cert-issued_on": "2020-01-01",
            "cert-issuer": "某所",
        },
        follow=True,
    )
    assert "早于开班日期" in response.content.decode()
    assert enrolment.obtained_certificates.count() == 0


def test_a_reviewer_reads_the_tab_but_may_not_record(client, tw):
    training_class = closed_class(tw, closed_on=CLOSED_ON, qualified=1)
    url = reverse("training:class_follow_up", args=[training_class.pk])
    _login(client, tw.reviewer)
    page = client.get(url).content.decode()
    assert "取证与就业跟踪" in page and "登记证书" not in page
    assert client.post(url, {"action": "certificate"}).status_code == 403


def test_the_kpi_page_for_the_bureau_and_for_a_clerk(client, tw):
    # given a class of A, 1 of 2 certified, read after its deadline
    training_class = closed_class(tw, closed_on=CLOSED_ON, qualified=2)
    certify(tw, training_class.enrolments.order_by("id").first())
    # when the bureau admin opens the KPI page
    _login(client, tw.users["bureau_admin"])
    page = client.get(reverse("training:kpi")).content.decode()
    # then A's row shows 1/2 = 50.0% and the class is overdue (no 推介, no jobs: 3.3)
    assert tw.institution_a.name in page and "1/2 50.0%" in page and "逾期未完成" in page
    # and a year with no closings shows none
    assert "没有已结班的培训班" in client.get(reverse("training:kpi") + "?year=2024").content.decode()
    # and the clerk sees "本机构"
    client.logout()
    _login(client, tw.clerk)
    assert "本机构取证就业指标" in client.get(reverse("training:kpi")).content.decode()


def test_the_excel_export_reads_back_and_neutralises_formulas(client, tw):
    # given institution A renamed to start with "=" (a formula if written raw)
    institution_update(actor=tw.root, institution=tw.institution_a, name="=HYPERLINK(1)培训学校")
    training_class = closed_class(tw, closed_on=CLOSED_ON, qualified=4)
    first, second, *_ = training_class.enrolments.order_by("id")
    certify(tw, first)
    employ(tw, first)
    employ(tw, second)
    for day in (1, 2, 3):
        promote(tw, training_class, held_on=dt.date(2025, 7, day))
    # when exported by the bureau admin
    _login(client, tw.users["bureau_admin"])
    response = client.get(reverse("training:kpi_export"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    institutions, classes = workbook.worksheets
    header = [c.value for c in institutions[1]]
    row = dict(zip(header, [c.value for c in institutions[2]], strict=True))
    # then the name is text, not a formula
    assert row["培训机构"] == "'=HYPERLINK(1)培训学校"
    # and 取证率 1/4 = 25.0% (< 40%, 3.3), 就业率 2/4 = 50.0% (≥ 50%)
    assert (row["取证人数"], row["合格人数(取证)"], row["取证率(目标≥40%)"]) == (1, 4, "25.0%")
    assert (row["就业人数"], row["就业率(目标≥50%)"]) == (2, "50.0%")
    assert row["逾期未完成跟踪"] == 1
    class_row = dict(zip([c.value for c in classes[1]], [c.value for c in classes[2]], strict=True))
    assert class_row["跟踪期限"] == "2025-09-30"
    assert class_row["就业推介次数"] == 3
    assert class_row["未达要求"] == "取证率未达 40%（1/4）"


def test_the_list_page_generates_and_records_a_decision(client, tw):
    # given a pending proposal for A (the rules themselves are tested in test_listing.py)
    ListChangeProposal.objects.create(
        institution=tw.institution_a, current_state="normal", proposed_state="white", rules=[], metrics={}
    )
    url = reverse("training:list_proposals")
    _login(client, tw.users["bureau_admin"])
    page = client.get(url).content.decode()
    assert "正常 → <strong>白名单</strong>" in page
    # when the admin runs the rules again, then no duplicate is made for a pending institution
    client.post(url, {"action": "generate"})
    assert ListChangeProposal.objects.count() == 1
    # when accepted without a reason, then refused; with one, then A is white-listed
    proposal = ListChangeProposal.objects.get()
    client.post(url, {"action": "decide", "proposal": proposal.pk, "decision": "accept", "reason": ""})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    client.post(url, {"action": "decide", "proposal": proposal.pk, "decision": "accept", "reason": "达标"})
    proposal.refresh_from_db()
    tw.institution_a.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and tw.institution_a.list_state == "white"


def test_the_api_reads_kpis_and_records_follow_up(client, tw):
    # given a closed class of A with 2 qualified trainees
    training_class = closed_class(tw, closed_on=CLOSED_ON, qualified=2)
    first, second = training_class.enrolments.order_by("id")
    _login(client, tw.clerk)
    # when a certificate and a labour contract are posted
    response = client.post(
        f"/api/training/enrolments/{first.pk}/certificates",
        {
            "certificate_type": "special_ability",
            "number": "ZX-1",
            "issued_on": "2025-07-01",
            "issuer": "某所",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    name, stream = pdf()
    response = client.post(
        f"/api/training/enrolments/{second.pk}/employment",
        {
            "kind": "labour_contract",
            "employer_name": "乙公司",
            "started_on": "2025-07-01",
            "file": SimpleUploadedFile(name, stream.getvalue()),
        },
    )
    assert response.status_code == 201, response.content
    # then the class's figures: 取证 1/2 = 0.5, 就业 1/2 = 0.5 (3.3)
    data = client.get(f"/api/training/classes/{training_class.pk}/follow-up").json()
    assert data["closed"] is True
    assert (data["kpi"]["certified"], data["kpi"]["employed"]) == (1, 1)
    assert data["kpi"]["certification_rate"] == "0.5"
    [institution] = client.get("/api/training/kpi/institutions").json()
    assert institution["institution_id"] == tw.institution_a.pk
    # and an unknown certificate type is a clear 400
    response = client.post(
        f"/api/training/enrolments/{first.pk}/certificates",
        {"certificate_type": "nope", "number": "1", "issued_on": "2025-07-01", "issuer": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "没有证书类型" in response.json()["message"]
