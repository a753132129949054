"""Training test data, built through the services on top of the registry's `build_world`.

`training_world(world)` adds the reference data a class needs (a few 附件3 occupations with their
class, skill levels, startup courses, certificate types — made directly, as the catalog's own
services are tested elsewhere), institution A's training scope, and a second filed teacher.
Then `draft_class`, `submitted_class`, `approved_class` build a 焊工 (A类) employment-skill class
of 120 class hours (36 theory + 84 practice, 新民社发〔2025〕13号 四(一) A类不少于120课时) with
its materials and a roster.

Files: tiny byte strings with the right signatures (what `filetype` sniffs), each unique so the
duplicate-file check never trips by accident.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

from django.utils import timezone

from gongjiang.catalog.models import (
    CertificateType,
    Occupation,
    OccupationClass,
    SkillLevel,
    StartupCourse,
)
from gongjiang.registry import services as registry
from gongjiang.registry.tests.factories import make_person, new_id_number

from ..choices import EvidenceKind
from ..services import evidence, filing, roster, timetable
from ..services import follow_up as follow_up_services

_unique = itertools.count(1)

OCCUPATIONS = {"焊工": "A", "电工": "A", "养老护理员": "B", "保洁员": "C", "快递员": "D"}
LEVELS = [
    ("junior", "五级", "初级工", 1),
    ("intermediate", "四级", "中级工", 2),
    ("senior", "三级", "高级工", 3),
    ("technician", "二级", "技师", 4),
    ("senior_technician", "一级", "高级技师", 5),
]
COURSES = [("GYB", "GYB", 24, 3), ("SYB", "SYB", 56, 7), ("IYB", "IYB", 56, 7), ("EYB", "EYB", 48, 6)]
CERTIFICATE_TYPES = [
    ("occupational_qualification", "职业资格证书"),
    ("skill_level_certificate", "职业技能等级证书"),
    ("special_ability", "专项职业能力证书"),
    ("special_operation", "特种作业操作证"),
    ("special_equipment", "特种设备作业人员证"),
]


def png() -> tuple[str, io.BytesIO]:
    return f"photo-{next(_unique)}.png", io.BytesIO(b"\x89PNG\r\n\x1a\n" + f"img{next(_unique)}".encode() * 8)


def jpeg() -> tuple[str, io.BytesIO]:
    return f"photo-{next(_unique)}.jpg", io.BytesIO(b"\xff\xd8\xff\xe0" + f"jpg{next(_unique)}".encode() * 8)


def pdf() -> tuple[str, io.BytesIO]:
    return f"doc-{next(_unique)}.pdf", io.BytesIO(b"%PDF-1.4\n" + f"pdf{next(_unique)}".encode() * 8)


def mp4() -> tuple[str, io.BytesIO]:
    return f"video-{next(_unique)}.mp4", io.BytesIO(
        b"\x00\x00\x00\x18ftypmp42" + f"mp4{next(_unique)}".encode() * 8
    )


def training_world(w: Any) -> Any:
    """Reference data, institution A's scope for every test occupation, a second teacher."""
    for code, name, alias, rank in LEVELS:
        SkillLevel.objects.get_or_create(code=code, defaults={"name": name, "alias": alias, "rank": rank})
    for code, name, hours, days in COURSES:
        StartupCourse.objects.get_or_create(
            code=code, defaults={"name": name, "min_class_hours": hours, "min_days": days}
        )
    for code, name in CERTIFICATE_TYPES:
        CertificateType.objects.get_or_create(code=code, defaults={"name": name})
    w.occupations = {}
    level = SkillLevel.objects.get(code="senior")
    for name, subsidy_class in OCCUPATIONS.items():
        occupation = Occupation.objects.get_or_create(name=name)[0]
        OccupationClass.objects.get_or_create(
            jurisdiction=w.jurisdiction,
            occupation=occupation,
            defaults={
                "subsidy_class": subsidy_class,
                "citation": f"新民社发〔2025〕13号 附件3 {subsidy_class}类",
            },
        )
        for institution in (w.institution_a, w.institution_b):
            registry.institution_scope_set(
                actor=w.root,
                institution=institution,
                occupation=occupation,
                level=level,
                may_train=True,
                may_evaluate=False,
            )
        w.occupations[name] = occupation
    w.teacher_a2 = registry.teacher_create(
        actor=w.root,
        jurisdiction=w.jurisdiction,
        name="周老师",
        id_number=new_id_number(birth="19820707"),
        filing_number="XQSZ-2025-003",
        filed_on=dt.date(2025, 1, 10),
        institutions=[w.institution_a],
    )
    w.clerk = w.users["institution_clerk"]
    w.reviewer = w.users["centre_reviewer"]
    return w


def class_dates(start: dt.date | None = None, days: int = 15) -> tuple[dt.date, dt.date]:
    """`days` consecutive days from `start` (default: ten days from today, so a filing is on time)."""
    start = start or timezone.localdate() + dt.timedelta(days=10)
    return start, start + dt.timedelta(days=days - 1)


def draft_class(w: Any, *, actor: Any = None, start: dt.date | None = None, **overrides: Any) -> Any:
    begin, end = class_dates(start)
    fields: dict[str, Any] = {
        "institution": w.institution_a,
        "name": "农村转移就业劳动者焊工就业技能培训班",
        "training_type": "employment",
        "occupation": w.occupations["焊工"],
        "level": "cert",
        "start_date": begin,
        "end_date": end,
        "venue_address": "兰州新区职教园区实训楼 3 层",
        "textbook_name": "焊工（初级）",
        "textbook_publisher": "中国劳动社会保障出版社",
        "planned_size": 30,
    }
    fields.update(overrides)
    return filing.class_create(actor=actor or w.clerk, **fields)


def timetable_csv(
    training_class: Any, teacher_number: str = "XQSZ-2025-001", *, theory_days: int = 9, per_day: int = 8
) -> bytes:
    """Each day 08:00–11:00 (4 课时) and 13:00–16:00 (4 课时): theory in the mornings of the first
    `theory_days` days, practice otherwise — 15 days give 36 theory + 84 practice = 120 课时."""
    lines = ["日期,开始时间,结束时间,类型,课时,教学内容,教师备案编号"]
    day = training_class.start_date
    index = 0
    half = per_day // 2
    while day <= training_class.end_date:
        morning = "理论" if index < theory_days else "实操"
        lines.append(f"{day},08:00,11:00,{morning},{half},第{index + 1}天上午,{teacher_number}")
        lines.append(f"{day},13:00,16:00,实操,{half},第{index + 1}天下午,{teacher_number}")
        day += dt.timedelta(days=1)
        index += 1
    return ("\n".join(lines) + "\n").encode("utf-8")


def roster_csv(people: list[dict[str, str]]) -> bytes:
    header = "姓名,身份证号,手机号,户籍类型,人员类别,城乡低保,工作单位统一社会信用代码,劳动合同签订日期,劳动合同期限(月)"
    keys = header.split(",")
    lines = [header] + [",".join(p.get(k, "") for k in keys) for p in people]
    return ("\n".join(lines) + "\n").encode("utf-8")


def new_trainee_row(name: str = "", **values: str) -> dict[str, str]:
    row = {
        "姓名": name or f"学员{next(_unique)}",
        "身份证号": new_id_number(birth="19950315"),
        "手机号": "13700001111",
        "户籍类型": "农村",
        "人员类别": "农村转移就业劳动者",
        "城乡低保": "否",
    }
    row.update(values)
    return row


def add_filing_evidence(w: Any, training_class: Any, actor: Any = None) -> None:
    actor = actor or w.clerk
    for kind, maker in (
        (EvidenceKind.VENUE_PHOTO, png),
        (EvidenceKind.TRAINING_PLAN, pdf),
        (EvidenceKind.EMERGENCY_PLAN, pdf),
    ):
        name, stream = maker()
        evidence.evidence_add(actor=actor, training_class=training_class, kind=kind, name=name, stream=stream)


def ready_class(w: Any, *, trainees: int = 3, **overrides: Any) -> Any:
    """A complete draft: timetable, materials and `trainees` new rural migrant workers."""
    training_class = draft_class(w, **overrides)
    timetable.timetable_import(
        actor=w.clerk,
        training_class=training_class,
        filename="课程表.csv",
        data=timetable_csv(training_class),
    )
    add_filing_evidence(w, training_class)
    if trainees:
        rows = [new_trainee_row() for _ in range(trainees)]
        roster.roster_import(
            actor=w.clerk, training_class=training_class, filename="花名册.csv", data=roster_csv(rows)
        )
    training_class.refresh_from_db()
    return training_class


def submitted_class(w: Any, **overrides: Any) -> Any:
    return filing.class_submit(actor=w.clerk, training_class=ready_class(w, **overrides))


def approved_class(w: Any, **overrides: Any) -> Any:
    return filing.class_approve(
        actor=w.reviewer, training_class=submitted_class(w, **overrides), note="材料齐全"
    )


def existing_person_row(person: Any, id_number: str, **values: str) -> dict[str, str]:
    """A roster row for a person already in the register (the test keeps their clear ID number)."""
    row = {"姓名": person.name, "身份证号": id_number, "户籍类型": "农村", "人员类别": "", "城乡低保": "否"}
    row.update(values)
    return row


def registered_person(w: Any, name: str, **kwargs: Any) -> tuple[Any, str]:
    id_number = kwargs.pop("id_number", None) or new_id_number(birth="19930808")
    return make_person(w.root, w.jurisdiction, name, id_number=id_number, **kwargs), id_number


# --- Running the class (附件2 3.2) -------------------------------------------------------------

# A class that ran in June 2025 (Monday 2 June to Monday 16 June), filed and approved before it
# started, so check-ins on its days are in the past and never "in the future".
RUN_START = dt.date(2025, 6, 2)


def at(day: dt.date, clock: str) -> dt.datetime:
    """An aware instant on `day` at local (Asia/Shanghai) time `clock` ("07:55" or "07:55:03")."""
    parts = [int(p) for p in clock.split(":")]
    return dt.datetime.combine(day, dt.time(*parts), tzinfo=timezone.get_default_timezone())


def running_class(w: Any, *, trainees: int = 3, start: dt.date = RUN_START, **overrides: Any) -> Any:
    """An approved (running) class with `trainees` new trainees; `id_numbers` lists their clear ID
    numbers in roster order (what a device sends)."""
    training_class = draft_class(w, start=start, **overrides)
    timetable.timetable_import(
        actor=w.clerk,
        training_class=training_class,
        filename="课程表.csv",
        data=timetable_csv(training_class),
    )
    add_filing_evidence(w, training_class)
    rows = [new_trainee_row() for _ in range(trainees)]
    if rows:
        roster.roster_import(
            actor=w.clerk, training_class=training_class, filename="花名册.csv", data=roster_csv(rows)
        )
    filing.class_submit(actor=w.clerk, training_class=training_class, today=start - dt.timedelta(days=3))
    approved = filing.class_approve(actor=w.reviewer, training_class=training_class, note="材料齐全")
    approved.refresh_from_db()
    approved.id_numbers = [row["身份证号"] for row in rows]
    return approved


def device(w: Any, *, institution: Any = None, method: str = "face", serial: str = "") -> tuple[Any, str]:
    from ..services.attendance import device_register

    return device_register(
        actor=w.clerk if institution is None else w.root,
        institution=institution or w.institution_a,
        serial=serial or f"FACE-{next(_unique):04d}",
        name="实训楼人脸考勤机",
        method=method,
    )


def check_in(
    training_class: Any, terminal: Any, id_number: str, when: dt.datetime, score: str = "92.50", **kw: Any
) -> Any:
    """A device check-in through the service (what `POST /api/attendance` calls)."""
    from decimal import Decimal

    from ..services.attendance import attendance_record_device

    fields = {
        "device": terminal,
        "serial": terminal.serial,
        "id_number": id_number,
        "class_code": training_class.code,
        "occurred_at": when,
        "method": terminal.method,
        "match_score": Decimal(score),
    }
    fields.update(kw)
    return attendance_record_device(**fields)


def closed_class(
    w: Any, *, closed_on: dt.date, qualified: int = 5, unqualified: int = 0, days: int = 15, **overrides: Any
) -> Any:
    """A class closed on `closed_on` with `qualified` + `unqualified` trainees, made directly (the
    closing and its certificates are built and tested by their own services): 15 days of training
    ending four days before the closing."""
    from ..choices import ClassStatus, EnrolmentStatus
    from ..models import Enrolment, TrainingClass

    start = closed_on - dt.timedelta(days=days + 3)
    training_class = ready_class(
        w,
        trainees=qualified + unqualified,
        start_date=start,
        end_date=start + dt.timedelta(days=days - 1),
        **overrides,
    )
    TrainingClass.objects.filter(pk=training_class.pk).update(status=ClassStatus.CLOSED, closed_on=closed_on)
    ids = list(training_class.enrolments.order_by("id").values_list("pk", flat=True))
    Enrolment.objects.filter(pk__in=ids[:qualified]).update(status=EnrolmentStatus.QUALIFIED)
    Enrolment.objects.filter(pk__in=ids[qualified:]).update(status=EnrolmentStatus.UNQUALIFIED)
    training_class.refresh_from_db()
    return training_class


# Follow-up (附件2 3.3) of a class closed on 2025-06-30 (due 2025-09-30), recorded on 2025-10-08.
IN_PERIOD = dt.date(2025, 8, 1)
LATE = dt.date(2025, 10, 8)


def certify(tw, enrolment, *, issued_on=IN_PERIOD, kind="skill_level_certificate", today=LATE):
    number = f"S{enrolment.pk:04d}{issued_on:%m%d}{kind[:3]}"
    return follow_up_services.certificate_record(
        actor=tw.clerk,
        enrolment=enrolment,
        certificate_type=CertificateType.objects.get(code=kind),
        number=number,
        issued_on=issued_on,
        issuer="兰州新区职业技能鉴定所",
        today=today,
    )


def employ(tw, enrolment, *, started_on=IN_PERIOD, today=LATE):
    name, stream = pdf()
    return follow_up_services.employment_record(
        actor=tw.clerk,
        enrolment=enrolment,
        kind="labour_contract",
        employer_name="兰州新区某制造有限公司",
        started_on=started_on,
        file_name=name,
        stream=stream,
        today=today,
    )


def promote(tw, training_class, *, held_on=IN_PERIOD, today=LATE):
    name, stream = pdf()
    return follow_up_services.promotion_record(
        actor=tw.clerk,
        training_class=training_class,
        held_on=held_on,
        title="焊工岗位专场推介会",
        employers="甲公司、乙公司",
        attendee_count=1,
        file_name=name,
        stream=stream,
        today=today,
    )
