"""A running class built through the services on a bare jurisdiction, for checks that drive the
production stack over HTTP: `scripts/prod_check.py` (one device check-in) and the load benchmark
(`benchmarks/load.py`, device users posting check-ins). Not used by the app itself.

From a jurisdiction and a bureau admin only (what `gongjiang bootstrap` leaves): the reference
catalogue (新民社发〔2025〕13号), a service centre, a filed institution with a filed teacher, a 快递员
(附件3 D类, 60 课时) employment-skill class that started yesterday — timetable of 8 days × 8 课时,
materials, `trainees` rural migrant workers on the roster — submitted before it started, approved,
and one face terminal whose key is returned in clear (as the registration page shows it once).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone

from gongjiang.catalog.models import Occupation, SkillLevel
from gongjiang.catalog.services import catalog_load_reference
from gongjiang.registry import services as registry
from gongjiang.registry.validators import credit_code_with_check_digit, resident_id_with_check_digit

from .services import attendance, evidence, filing, roster, timetable

DAYS = 8


def _file(header: bytes, label: str) -> io.BytesIO:
    return io.BytesIO(header + label.encode() * 16)


def running_class_for_checks(
    *, actor: Any, jurisdiction: Any, trainees: int, tag: str = "01"
) -> dict[str, Any]:
    """Returns {"class_code", "serial", "key", "id_numbers", "day"}; `day` is the class's first day
    (yesterday), on which a check-in at 07:55 local time falls in the 08:00 session's window."""
    catalog_load_reference(actor=actor, jurisdiction=jurisdiction)
    unit = registry.service_unit_create(
        actor=actor,
        jurisdiction=jurisdiction,
        code=f"check-centre-{tag}",
        name=f"检查用服务中心{tag}",
        kind="service_centre",
    )
    institution = registry.institution_create(
        actor=actor,
        jurisdiction=jurisdiction,
        name=f"检查用培训学校{tag}",
        credit_code=credit_code_with_check_digit(f"91620100MA00{tag:0>4}9"[:17]),
        service_unit=unit,
        filing_status="filed",
    )
    occupation = Occupation.objects.get(name="快递员")
    level = SkillLevel.objects.order_by("rank").first()
    registry.institution_scope_set(
        actor=actor,
        institution=institution,
        occupation=occupation,
        level=level,
        may_train=True,
        may_evaluate=False,
    )
    filing_number = f"CHECK-{tag}-001"
    registry.teacher_create(
        actor=actor,
        jurisdiction=jurisdiction,
        name="检查用教师",
        id_number=resident_id_with_check_digit(f"62010119800101{tag[-2:]:0>2}1"),
        filing_number=filing_number,
        filed_on=dt.date(2025, 1, 10),
        institutions=[institution],
    )
    start = timezone.localdate() - dt.timedelta(days=1)
    training_class = filing.class_create(
        actor=actor,
        institution=institution,
        name="农村转移就业劳动者快递员就业技能培训班",
        training_type="employment",
        occupation=occupation,
        level="cert",
        start_date=start,
        end_date=start + dt.timedelta(days=DAYS - 1),
        venue_address="兰州新区职教园区",
        textbook_name="快递员",
        textbook_publisher="中国劳动社会保障出版社",
        planned_size=trainees,
    )
    lines = ["日期,开始时间,结束时间,类型,课时,教学内容,教师备案编号"]
    for n in range(DAYS):
        day = start + dt.timedelta(days=n)
        lines.append(f"{day},08:00,11:00,{'理论' if n < 2 else '实操'},4,第{n + 1}天上午,{filing_number}")
        lines.append(f"{day},13:00,16:00,实操,4,第{n + 1}天下午,{filing_number}")
    timetable.timetable_import(
        actor=actor, training_class=training_class, filename="课程表.csv", data="\n".join(lines).encode()
    )
    for kind, header, name in (
        ("venue_photo", b"\x89PNG\r\n\x1a\n", "venue.png"),
        ("training_plan", b"%PDF-1.4\n", "plan.pdf"),
        ("emergency_plan", b"%PDF-1.4\n", "emergency.pdf"),
    ):
        evidence.evidence_add(
            actor=actor,
            training_class=training_class,
            kind=kind,
            name=name,
            stream=_file(header, f"{tag}{kind}"),
        )
    id_numbers = [
        resident_id_with_check_digit(f"6201{n // 999 + 50:02d}19950315{n % 999:03d}") for n in range(trainees)
    ]
    columns = "姓名,身份证号,手机号,户籍类型,人员类别,城乡低保,工作单位统一社会信用代码,劳动合同签订日期,劳动合同期限(月)"
    rows = [
        f"检查学员{n:04d},{number},137{n:08d},农村,农村转移就业劳动者,否,,,"
        for n, number in enumerate(id_numbers)
    ]
    roster.roster_import(
        actor=actor,
        training_class=training_class,
        filename="花名册.csv",
        data="\n".join([columns, *rows]).encode(),
    )
    filing.class_submit(actor=actor, training_class=training_class, today=start - dt.timedelta(days=3))
    filing.class_approve(actor=actor, training_class=training_class, note="检查用")
    device, key = attendance.device_register(
        actor=actor,
        institution=institution,
        serial=f"CHECK-FACE-{tag}",
        name="检查用人脸考勤机",
        method="face",
    )
    training_class.refresh_from_db()
    return {
        "class_code": training_class.code,
        "serial": device.serial,
        "key": key,
        "id_numbers": id_numbers,
        "day": start.isoformat(),
    }
