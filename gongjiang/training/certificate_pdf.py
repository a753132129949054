"""The printable 职业技能培训合格证 (新民社发〔2025〕13号 二(二) "合格学员发放统一的职业技能培训合格证",
numbered by 附件4) as a one-page PDF, A4 landscape, in Chinese.

Font: reportlab's built-in CID font STSong-Light (Adobe-GB1, UniGB-UCS2-H encoding). Nothing is
embedded or shipped: PDF readers substitute a Song face for it, and the text is stored as Unicode
code units, so it extracts back as Chinese (the test reads it with pypdf).

The QR code (segno) points to the public verification page with the certificate's verification
code; it is drawn module by module as vector squares, so no image library is needed. The holder's ID
is printed masked, as everywhere outside a purposeful reveal.
"""

from __future__ import annotations

import io
from typing import Any

import segno
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
TITLE = "职业技能培训合格证"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _date(value: Any) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def certificate_fields(certificate: Any) -> list[tuple[str, str]]:
    """The lines printed on the certificate, label and value."""
    enrolment = certificate.enrolment
    training_class = enrolment.training_class
    person = enrolment.person
    if training_class.occupation is not None:
        occupation = training_class.occupation.name
    else:
        occupation = training_class.startup_course.name if training_class.startup_course else ""
    level = training_class.get_level_display() if training_class.level else "培训合格"
    return [
        ("姓名", person.name),
        ("身份证号", person.id_number_masked),
        ("职业(工种)", occupation),
        ("培训等级", level),
        ("培训类型", training_class.get_training_type_display()),
        ("培训机构", training_class.institution.name),
        ("培训时间", f"{_date(training_class.start_date)}至{_date(training_class.end_date)}"),
        ("审核单位", training_class.service_unit.name),
        ("发证日期", _date(certificate.issued_on)),
        ("证书编号", certificate.number),
        ("查验码", certificate.verification_code),
    ]


def _draw_qr(pdf: canvas.Canvas, data: str, x: float, y: float, size: float) -> None:
    qr = segno.make(data, error="m")
    matrix = qr.matrix
    module = size / len(matrix)
    pdf.setFillColorRGB(0, 0, 0)
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                pdf.rect(
                    x + col_index * module,
                    y + size - (row_index + 1) * module,
                    module,
                    module,
                    stroke=0,
                    fill=1,
                )


def render_certificate_pdf(certificate: Any, verify_url: str) -> bytes:
    """One certificate as PDF bytes; `verify_url` is the absolute public verification address."""
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), invariant=True)
    pdf.setTitle(f"{TITLE} {certificate.number}")
    pdf.setAuthor(certificate.enrolment.training_class.service_unit.name)
    # border
    pdf.setStrokeColorRGB(0.55, 0.1, 0.1)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setLineWidth(0.8)
    pdf.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)
    # title and class
    pdf.setFillColorRGB(0.55, 0.1, 0.1)
    pdf.setFont(FONT, 32)
    pdf.drawCentredString(width / 2, height - 42 * mm, TITLE)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(FONT, 13)
    pdf.drawCentredString(width / 2, height - 54 * mm, certificate.enrolment.training_class.name)
    # fields
    pdf.setFont(FONT, 14)
    y = height - 72 * mm
    for label, value in certificate_fields(certificate):
        pdf.drawString(40 * mm, y, f"{label}：")
        pdf.drawString(72 * mm, y, value)
        y -= 10 * mm
    # QR code with the verification address
    qr_size = 48 * mm
    qr_x, qr_y = width - 40 * mm - qr_size, 40 * mm
    _draw_qr(pdf, verify_url, qr_x, qr_y, qr_size)
    pdf.setFont(FONT, 10)
    pdf.drawCentredString(qr_x + qr_size / 2, qr_y - 6 * mm, "扫码查验证书真伪")
    pdf.drawString(40 * mm, 24 * mm, f"查验网址：{verify_url}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
