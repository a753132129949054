"""The closing pages, the certificate PDF, the public verification page and the number-range pages."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from gongjiang.core.pii import decrypt
from gongjiang.registry.tests.factories import PASSWORD
from gongjiang.training.choices import ClassStatus, NumberRangeStatus
from gongjiang.training.models import CertificateNumberRange, TrainingCertificate
from gongjiang.training.services import certificates, closing

from .closing_factories import CLOSING_DAY, closable_class, closing_class

pytestmark = pytest.mark.django_db


def _login(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def closed(tw):
    """A class closed on 2025-06-20 with 2 certificates, 202251 and 202252 (附件4 第一服务中心 就业技能)."""
    certificates.number_ranges_load_reference(actor=tw.root, jurisdiction=tw.jurisdiction)
    training_class = closing_class(tw, trainees=2)
    closing.class_close(actor=tw.reviewer, training_class=training_class, today=CLOSING_DAY)
    tw.closed_class = training_class
    tw.certificate = TrainingCertificate.objects.select_related("enrolment__person").get(number="202251")
    return tw


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_certificate_pdf_reads_back_in_chinese(closed):
    # given a certificate and the clerk of the institution
    certificate = closed.certificate
    person = certificate.enrolment.person
    # when the PDF is downloaded
    response = _login(closed.clerk).get(reverse("training:certificate_pdf", args=[certificate.pk]))
    # then it is a PDF whose text, read back with pypdf, is the certificate's, in Chinese
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for expected in (
        "职业技能培训合格证",
        person.name,
        person.id_number_masked,
        "焊工",
        "培训合格证",
        "就业技能培训",
        "甘肃交通职业技术学院",
        "2025年6月2日至2025年6月16日",
        "兰州新区社会保障第一服务中心",
        "2025年6月20日",
        "202251",
        certificate.verification_code,
        f"http://testserver/public/certificates/?code={certificate.verification_code}",
        "扫码查验证书真伪",
    ):
        assert expected in text, expected
    # and the full ID number is not in it
    assert decrypt(person.id_number_encrypted) not in text


def test_the_pdf_draws_the_qr_code_of_the_verification_address(closed):
    import segno

    from gongjiang.training.certificate_pdf import render_certificate_pdf

    # given the verification address
    url = f"https://gongjiang.example/public/certificates/?code={closed.certificate.verification_code}"
    dark = sum(sum(1 for module in row if module) for row in segno.make(url, error="m").matrix)
    # when rendered
    data = render_certificate_pdf(closed.certificate, url)
    # then one filled square per dark module of the QR symbol is in the page's drawing
    content = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data().decode("latin-1")
    assert content.count(" re f") >= dark


def test_another_institution_cannot_download_the_certificate(closed):
    from gongjiang.core.services import user_create

    other = user_create(
        actor=closed.root,
        username="clerk-b",
        password=PASSWORD,
        role="institution_clerk",
        jurisdictions=[closed.jurisdiction],
        institution=closed.institution_b,
    )
    response = _login(other).get(reverse("training:certificate_pdf", args=[closed.certificate.pk]))
    assert response.status_code == 404


def test_public_verification_shows_only_the_masked_holder_and_the_class_facts(closed):
    # given a visitor who is not logged in, and the code from the certificate (typed in lower case)
    certificate = closed.certificate
    person = certificate.enrolment.person
    code = certificate.verification_code.lower()
    # when
    response = Client().get(reverse("training_public:certificate_verify"), {"code": code})
    # then the certificate is shown: masked name and ID, occupation, level, institution, date
    assert response.status_code == 200
    page = response.content.decode()
    assert "证书有效" in page
    assert person.name[0] + "*" * (len(person.name) - 1) in page
    assert person.id_number_masked in page
    for fact in ("焊工", "培训合格证", "甘肃交通职业技术学院", "2025年6月20日"):
        assert fact in page
    # and nothing else: not the full name, the clear ID, the number, nor the other trainee
    assert person.name not in page
    assert decrypt(person.id_number_encrypted) not in page
    assert "202251" not in page and "202252" not in page


def test_an_unknown_code_gives_a_clear_not_found_page(closed):
    response = Client().get(reverse("training_public:certificate_verify"), {"code": "NOSUCHCODE99"})
    assert response.status_code == 404
    assert "没有查验码为“NOSUCHCODE99”的培训合格证" in response.content.decode()


def test_closing_through_the_pages(tw):
    # given a range for this year (the pages close on today's date) and a class ready to assess
    year = timezone.localdate().year
    certificates.number_range_add(
        actor=tw.root,
        jurisdiction=tw.jurisdiction,
        service_unit=tw.centre_1,
        category="employment",
        year=year,
        first="300001",
        last="300100",
        citation="测试号段",
    )
    training_class = closable_class(tw, trainees=2, assess=False)
    first, second = list(training_class.enrolments.order_by("id"))
    clerk, reviewer = _login(tw.clerk), _login(tw.reviewer)
    page = reverse("training:class_closing", args=[training_class.pk])
    # when the clerk opens the tab, it lists what is missing
    assert "尚未登记考核结果" in clerk.get(page).content.decode()
    # and records results with a score that is not a number: refused, nothing written
    clerk.post(
        reverse("training:class_assess", args=[training_class.pk]),
        {f"result_{first.pk}": "qualified", f"score_{first.pk}": "九十"},
    )
    first.refresh_from_db()
    assert first.status == "enrolled"
    # then records them properly and asks to close
    clerk.post(
        reverse("training:class_assess", args=[training_class.pk]),
        {f"result_{first.pk}": "qualified", f"score_{first.pk}": "90", f"result_{second.pk}": "unqualified"},
    )
    clerk.post(reverse("training:class_closing_request", args=[training_class.pk]))
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.CLOSING
    # when the reviewer approves on the page
    response = reviewer.post(
        reverse("training:class_closing_review", args=[training_class.pk]),
        {"decision": "approve"},
        follow=True,
    )
    # then one certificate, the range's first number, listed with its PDF link
    body = response.content.decode()
    assert "300001" in body and "打印证书（PDF）" in body
    assert TrainingCertificate.objects.get().enrolment == first


def test_number_range_pages(tw):
    # given the 附件4 ranges
    certificates.number_ranges_load_reference(actor=tw.root, jurisdiction=tw.jurisdiction)
    admin, reviewer = _login(tw.root), _login(tw.reviewer)
    # when the admin opens the list: the ranges with their leading zeros and what remains
    body = admin.get(reverse("training:number_ranges")).content.decode()
    assert "042701—045700" in body and "48701—50500" in body and "3000" in body
    # when the reviewer asks for an extension, and the admin approves it
    reviewer.post(
        reverse("training:number_range_request"),
        {
            "service_unit": tw.centre_1.pk,
            "category": "startup",
            "year": "2025",
            "first": "60001",
            "last": "60200",
            "reason": "创业培训报名超出计划",
        },
    )
    requested = CertificateNumberRange.objects.get(first_value=60001)
    assert requested.status == NumberRangeStatus.REQUESTED
    admin.post(reverse("training:number_range_decide", args=[requested.pk]), {"decision": "approve"})
    requested.refresh_from_db()
    assert requested.status == NumberRangeStatus.APPROVED
    # and the admin adds one; an overlapping one is refused with the reason shown
    admin.post(
        reverse("training:number_range_add"),
        {
            "service_unit": tw.centre_2.pk,
            "category": "employment",
            "year": "2026",
            "first": "600001",
            "last": "600500",
            "citation": "新民社发〔2026〕1号",
        },
    )
    refused = admin.post(
        reverse("training:number_range_add"),
        {
            "service_unit": tw.centre_2.pk,
            "category": "employment",
            "year": "2026",
            "first": "600400",
            "last": "600600",
            "citation": "x",
        },
        follow=True,
    )
    assert "重叠" in refused.content.decode()
    assert CertificateNumberRange.objects.count() == 8
    # and the reviewer cannot add or decide
    assert reviewer.post(reverse("training:number_range_add"), {}).status_code == 403
