"""The demo's 2025 training activity in 兰州新区, so that the 任务进度 dashboard (/targets/) shows
realistic progress against the 附件1 table (新民社发〔2025〕13号) as of `DEMO_TODAY`.

Scale: the 附件1 targets are 12000 人次 a year, so a realistic picture at the end of October needs
several thousand qualified trainees. Filing, running and closing each of some 200 classes through the
services (timetable and roster imports, uploaded evidence, per-session check-ins, spot checks,
assessment, closing) would take minutes, so the classes, their people, enrolments, vocational
certificates and the 培训合格证 are written directly to the tables, in bulk. The 培训合格证 numbers
are still taken through `training.numbering.allocate` — the closing's own allocator — from the
附件4 ranges loaded by the demo, so the numbers are real and the ranges' next numbers agree.
These rows write no audit events (they are demo fixtures, not actions of a user).

Deterministic: one seeded `random.Random`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import random
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from gongjiang.catalog.models import CertificateType, Occupation, SkillLevel, StartupCourse
from gongjiang.core.uploads import check_upload
from gongjiang.registry.identifiers import set_identifiers
from gongjiang.registry.models import Person, PersonCertificate, Teacher
from gongjiang.training.choices import (
    AttendanceMethod,
    ClassLevel,
    ClassStatus,
    EmploymentKind,
    EnrolmentStatus,
    EvidenceKind,
    SessionKind,
    SpotCheckMode,
    SpotCheckOutcome,
    TrainingType,
)
from gongjiang.training.kpis import follow_up_due_date
from gongjiang.training.models import (
    AttendanceRecord,
    ClassEvidence,
    ClassSession,
    EmploymentRecord,
    Enrolment,
    SpotCheck,
    TrainingCertificate,
    TrainingClass,
)
from gongjiang.training.numbering import allocate
from gongjiang.training.services.closing import (
    AssessmentResult,
    _new_verification_code,
    assessment_record,
    class_close,
    class_closing_request,
)
from gongjiang.training.services.evidence import FILE_KIND, evidence_add

# The demo's “today”: the dashboard is read as of this day (/targets/?year=2025&as_of=2025-10-31);
# 304 of 365 days, 83.3% of the year gone.
DEMO_TODAY = dt.date(2025, 10, 31)
YEAR = 2025


@dataclass(frozen=True)
class Stream:
    """Classes of one kind a unit runs in 2025, and how many qualified trainees they reach."""

    training_type: str
    occupation: str | None
    level: str
    qualified: int
    labour_brand: str = ""


E, P, S = TrainingType.EMPLOYMENT, TrainingType.ENTERPRISE_POST, TrainingType.STARTUP
# Chosen against the 附件1 figures (第一服务中心 就业4000 岗位3000 创业1800 高技能2500 康养600 电商150
# 劳务品牌300; 第二服务中心 就业1000 岗位2000 创业200 高技能1500 康养400 电商150 劳务品牌150) so that
# most cells are near the 83% of the year gone, some ahead and some lagging.
STREAMS: dict[str, list[Stream]] = {
    "centre-1": [
        Stream(E, "养老护理员", ClassLevel.JUNIOR, 560),
        Stream(E, "电子商务师", ClassLevel.CERT, 160),
        Stream(E, "中式面点师", ClassLevel.CERT, 150, labour_brand="兰州牛肉拉面"),
        Stream(E, "焊工", ClassLevel.SENIOR, 900),
        Stream(E, "电工", ClassLevel.JUNIOR, 900),
        Stream(E, "中式烹调师", ClassLevel.CERT, 800),
        Stream(P, "化工总控工", ClassLevel.SENIOR, 850),
        Stream(P, "工业机器人系统运维员", ClassLevel.INTERMEDIATE, 800),
        Stream(P, "车工", ClassLevel.INTERMEDIATE, 700),
        Stream(S, None, "", 1050),
    ],
    "centre-2": [
        Stream(E, "养老护理员", ClassLevel.JUNIOR, 200),
        Stream(E, "育婴员", ClassLevel.CERT, 100),
        Stream(E, "互联网营销师", ClassLevel.CERT, 90),
        Stream(E, "中式面点师", ClassLevel.CERT, 130, labour_brand="兰州牛肉拉面"),
        Stream(E, "汽车维修工", ClassLevel.SENIOR, 100),
        Stream(E, "保洁员", ClassLevel.CERT, 300),
        Stream(P, "焊工", ClassLevel.TECHNICIAN, 500),
        Stream(P, "化工总控工", ClassLevel.SENIOR, 600),
        Stream(P, "电工", ClassLevel.INTERMEDIATE, 380),
        Stream(S, None, "", 190),
    ],
}
STARTUPS = ["牛肉面馆", "便利店", "家政服务部", "电商工作室", "汽车美容店", "养殖专业合作社", "快递驿站"]
CLERK_STREAMS = {
    0: Stream(E, "焊工", ClassLevel.SENIOR, 0),
    4: Stream(E, "养老护理员", ClassLevel.JUNIOR, 0),
}
# Classes still running on DEMO_TODAY (not counted: only closed classes count, counting.py).
RUNNING_PER_UNIT = 4
# 防止返贫监测对象 among each unit's trainees.
POVERTY_PER_UNIT = {"centre-1": 21, "centre-2": 17}
INSTITUTIONS_OF_UNIT = {"centre-1": (0, 1, 2, 5), "centre-2": (3, 4, 6)}
# The two national bases (web/demo.py: 交通 of centre 1, 东方 of centre 2) run the kinds their unit's
# “其中：国家级基地承接” column expects (附件1: centre 1 就业, centre 2 岗位), so no “/” cell fills up.
NOT_RUN = {("centre-1", 0, P), ("centre-2", 3, E)}


@dataclass
class TrainingSummary:
    classes_closed: int = 0
    classes_running: int = 0
    qualified: int = 0
    certificates: int = 0
    employed: int = 0


class _Writer:
    def __init__(
        self,
        b: Any,
        *,
        jurisdiction: Any,
        admin: Any,
        units: dict[str, Any],
        institutions: list[Any],
        enterprises: list[Any],
        reviewers: dict[str, Any],
    ) -> None:
        self.b = b
        self.rng: random.Random = random.Random(20251031)
        self.jurisdiction = jurisdiction
        self.admin = admin
        self.units = units
        self.institutions = institutions
        self.enterprises = enterprises
        self.reviewers = reviewers
        self.occupations = {o.name: o for o in Occupation.objects.all()}
        self.levels = {lv.code: lv for lv in SkillLevel.objects.all()}
        self.course = StartupCourse.objects.filter(code="SYB").first()
        self.cert_type = CertificateType.objects.get(code="skill_level_certificate")
        self.people: list[Person] = []
        self.cert_serial = 0
        self.summary = TrainingSummary()

    def new_people(self, count: int, poverty: int) -> list[Person]:
        made = []
        for i in range(count):
            person = Person(
                jurisdiction=self.jurisdiction,
                name=self.b.name(),
                household_type="rural" if self.rng.random() < 0.6 else "urban",
                is_rural_migrant_worker=self.rng.random() < 0.3,
                is_registered_unemployed=self.rng.random() < 0.2,
                is_poverty_monitoring=i < poverty,
                bank_name="中国农业银行兰州新区支行",
            )
            set_identifiers(person, id_number=self.b.id_number(), phone=self.b.phone())
            made.append(person)
        self.rng.shuffle(made)
        created = Person.objects.bulk_create(made)
        self.people.extend(created)
        return created

    def new_class(
        self, unit: str, stream: Stream, start: dt.date, size: int, status: str, institution: Any = None
    ) -> TrainingClass:
        if institution is None:
            choices = [
                i for i in INSTITUTIONS_OF_UNIT[unit] if (unit, i, stream.training_type) not in NOT_RUN
            ]
            institution = self.institutions[self.rng.choice(choices)]
        occupation = self.occupations[stream.occupation] if stream.occupation else None
        days = 10 if stream.training_type == S else self.rng.randint(12, 25)
        end = start + dt.timedelta(days=days)
        what = stream.occupation or "SYB创业"
        level = (
            f"（{ClassLevel(stream.level).label}）"
            if stream.level and stream.level != ClassLevel.CERT
            else ""
        )
        closed_on = end + dt.timedelta(days=self.rng.randint(3, 9)) if status == ClassStatus.CLOSED else None
        if closed_on is not None and closed_on > DEMO_TODAY:  # closed by the demo's today
            shift = closed_on - DEMO_TODAY
            start, end, closed_on = start - shift, end - shift, DEMO_TODAY
        training_class = TrainingClass.objects.create(
            jurisdiction=self.jurisdiction,
            code=f"tmp-{unit}-{start:%m%d}-{self.rng.randint(0, 10**8)}"[:20],
            name=f"{institution.name}{start.month}月{what}{level}培训班",
            institution=institution,
            service_unit=self.units[unit],
            training_type=stream.training_type,
            occupation=occupation,
            level=stream.level,
            startup_course=self.course if stream.training_type == S else None,
            enterprise=self.rng.choice(self.enterprises) if stream.training_type == P else None,
            labour_brand=stream.labour_brand,
            planned_size=size,
            start_date=start,
            end_date=end,
            required_hours=56 if stream.training_type == S else 120,
            venue_address=f"甘肃省兰州新区{institution.name}实训楼",
            textbook_name=f"{what}职业技能培训教程",
            textbook_publisher="中国劳动社会保障出版社",
            status=status,
            submitted_on=start - dt.timedelta(days=10),
            reviewed_by=self.reviewers[unit],
            closing_requested_on=end + dt.timedelta(days=1) if closed_on else None,
            closed_on=closed_on,
            closed_by=self.reviewers[unit] if closed_on else None,
            follow_up_due_on=follow_up_due_date(closed_on) if closed_on else None,
            created_by=self.admin,
        )
        training_class.code = f"PX{start.year}-{training_class.pk:06d}"
        training_class.save(update_fields=["code"])
        return training_class

    def enrol(self, training_class: TrainingClass, people: list[Person], qualified: int) -> None:
        statuses = [EnrolmentStatus.QUALIFIED] * qualified
        closed = training_class.status == ClassStatus.CLOSED
        extra = len(people) - qualified
        statuses += (
            [
                EnrolmentStatus.UNQUALIFIED if closed and i % 2 else EnrolmentStatus.WITHDRAWN
                for i in range(extra)
            ]
            if closed
            else [EnrolmentStatus.ENROLLED] * extra
        )
        enrolments = Enrolment.objects.bulk_create(
            Enrolment(
                training_class=training_class,
                person=person,
                status=status,
                eligibility="城乡劳动者（新民社发〔2025〕13号 二）",
                withdrawn_reason="个人原因退训" if status == EnrolmentStatus.WITHDRAWN else "",
            )
            for person, status in zip(people, statuses, strict=True)
        )
        if not closed:
            return
        passed = [e for e in enrolments if e.status == EnrolmentStatus.QUALIFIED]
        if training_class.closed_on is None:
            return
        numbers = allocate(training_class=training_class, year=YEAR, count=len(passed))
        TrainingCertificate.objects.bulk_create(
            TrainingCertificate(
                jurisdiction=self.jurisdiction,
                enrolment=e,
                number_range=a.number_range,
                number=a.number,
                issued_on=training_class.closed_on,
                verification_code=_new_verification_code(),
            )
            for e, a in zip(passed, numbers, strict=True)
        )
        self.summary.qualified += len(passed)
        if training_class.training_type in (E, S):
            self.employ(training_class, passed)
        # 职业技能等级证书 after classes that train towards a level: most pass the 认定 a few weeks later.
        level = self.levels.get(training_class.level)
        if level is None:
            return
        issued_on = training_class.closed_on + dt.timedelta(days=self.rng.randint(15, 40))
        if issued_on > DEMO_TODAY:
            return
        certified = [e for e in passed if self.rng.random() < 0.75]
        certificates = []
        for _e in certified:
            self.cert_serial += 1
            certificates.append(
                PersonCertificate(
                    person_id=_e.person_id,
                    certificate_type=self.cert_type,
                    occupation=training_class.occupation,
                    level=level,
                    number=f"S{YEAR}62010{self.cert_serial:07d}",
                    issued_on=issued_on,
                    issuer="兰州新区职业技能等级认定中心",
                    source="training_follow_up",
                    recorded_by=self.admin,
                )
            )
        created = PersonCertificate.objects.bulk_create(certificates)
        through = Enrolment.obtained_certificates.through
        through.objects.bulk_create(
            through(enrolment_id=e.pk, personcertificate_id=c.pk)
            for e, c in zip(certified, created, strict=True)
        )
        self.summary.certificates += len(created)

    def employ(self, training_class: TrainingClass, passed: list[Enrolment]) -> None:
        """Employment (就业技能) or business starts (创业) after the class, as the institution's follow-up
        records them (附件2 3.3); the class's evidence is one scanned bundle of the contracts."""
        if training_class.closed_on is None:
            return
        share = self.rng.uniform(0.6, 0.95)
        rows = []
        for enrolment in passed:
            started_on = training_class.closed_on + dt.timedelta(days=self.rng.randint(3, 75))
            if started_on <= DEMO_TODAY and self.rng.random() < share:
                rows.append((enrolment, started_on))
        if not rows:
            return
        startup = training_class.training_type == S
        name = f"{training_class.code}-就业凭证.pdf"
        upload = check_upload(
            name,
            io.BytesIO(b"%PDF-1.4\n% " + f"{training_class.code} 就业凭证汇编".encode() + b"\n%%EOF\n"),
            FILE_KIND[EvidenceKind.EMPLOYMENT],
        )
        evidence = ClassEvidence(
            training_class=training_class,
            kind=EvidenceKind.EMPLOYMENT,
            note="学员劳动合同、营业执照扫描件汇编" if startup else "学员劳动合同扫描件汇编",
            uploaded_by=self.admin,
            **upload.fields(),
        )
        evidence.file.save(upload.sha256, upload.content, save=False)
        evidence.save()
        records = []
        for enrolment, started_on in rows:
            enterprise = None if startup else self.rng.choice(self.enterprises)
            place = self.rng.choice(["秦王川", "中川", "西岔", "上川"])
            employer = (
                enterprise.name if enterprise is not None else f"兰州新区{place}{self.rng.choice(STARTUPS)}"
            )
            records.append(
                EmploymentRecord(
                    enrolment=enrolment,
                    kind=EmploymentKind.BUSINESS_LICENCE if startup else EmploymentKind.LABOUR_CONTRACT,
                    employer_name=employer,
                    enterprise=enterprise,
                    started_on=started_on,
                    evidence=evidence,
                    recorded_by=self.admin,
                )
            )
        EmploymentRecord.objects.bulk_create(records)
        self.summary.employed += len(records)

    def unit(self, unit: str) -> None:
        total = sum(s.qualified for s in STREAMS[unit])
        pool = self.new_people(int(total * 0.95), POVERTY_PER_UNIT[unit])
        cursor = 0
        for stream in STREAMS[unit]:
            left = stream.qualified
            while left > 0:
                qualified = min(left, self.rng.randint(30, 55))
                if left - qualified < 20:
                    qualified = left
                left -= qualified
                size = qualified + self.rng.randint(0, 3)
                # 人次: some trainees take a second class (a second skill) during the year.
                people = []
                for _ in range(size):
                    if cursor < len(pool) and self.rng.random() > 0.06:
                        people.append(pool[cursor])
                        cursor += 1
                    else:
                        people.append(self.rng.choice(self.people))
                people = list({p.pk: p for p in people}.values())
                while len(people) < size:
                    people.extend(self.new_people(size - len(people), 0))
                    people = list({p.pk: p for p in people}.values())
                # Classes open from late February; more in the spring and autumn (农闲, after 春节).
                month = self.rng.choice([2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8, 9, 9, 10])
                start = dt.date(YEAR, month, self.rng.randint(1, 28))
                training_class = self.new_class(unit, stream, start, size, ClassStatus.CLOSED)
                self.enrol(training_class, people, qualified)
                self.summary.classes_closed += 1
        for i in range(RUNNING_PER_UNIT):
            stream = STREAMS[unit][i * 2 % len(STREAMS[unit])]
            start = DEMO_TODAY - dt.timedelta(days=self.rng.randint(3, 10))
            size = self.rng.randint(30, 50)
            training_class = self.new_class(unit, stream, start, size, ClassStatus.APPROVED)
            self.enrol(training_class, self.new_people(size, 0), 0)
            self.summary.classes_running += 1

    def closed_through_services(
        self, unit: str, stream: Stream, institution: Any, clerk: Any, start: dt.date, size: int
    ) -> TrainingClass:
        """A class of a demo clerk's institution closed the real way: its sessions and check-ins are
        rows (as the attendance terminals would send them), then the clerk uploads the closing
        ceremony photo, records the assessment and requests the closing, and the centre's reviewer
        closes it with `class_close`, which numbers the 培训合格证 from the 附件4 range."""
        training_class = self.new_class(
            unit, stream, start, size, ClassStatus.APPROVED, institution=institution
        )
        training_class.end_date = start + dt.timedelta(days=16)  # 15 days of 8 class hours: 120 (A类)
        training_class.save(update_fields=["end_date"])
        self.enrol(training_class, self.new_people(size, 0), 0)
        teacher = Teacher.objects.filter(institutions=institution).first() or Teacher.objects.first()
        zone = timezone.get_default_timezone()
        days = [start + dt.timedelta(days=i) for i in range((training_class.end_date - start).days + 1)]
        sessions = ClassSession.objects.bulk_create(
            ClassSession(
                training_class=training_class,
                date=day,
                starts_at=dt.time(9, 0),
                ends_at=dt.time(17, 0),
                kind=SessionKind.THEORY if i % 3 == 0 else SessionKind.PRACTICE,
                class_hours=8,
                topic=f"{stream.occupation or '创业'}第{i + 1}讲",
                teacher=teacher,
            )
            for i, day in enumerate(days[: -(-training_class.required_hours // 8)])
        )
        enrolments = list(training_class.enrolments.all())
        AttendanceRecord.objects.bulk_create(
            AttendanceRecord(
                training_class=training_class,
                enrolment=e,
                person_id=e.person_id,
                occurred_at=dt.datetime.combine(s.date, dt.time(8, 55), tzinfo=zone),
                method=AttendanceMethod.MANUAL,
                manual_reason="考勤机故障，纸质签到补录",
                recorded_by=clerk,
            )
            for e in enrolments
            for s in sessions
        )
        for i in range(3):
            SpotCheck.objects.create(
                training_class=training_class,
                checked_on=start + dt.timedelta(days=2 + 3 * i),
                mode=SpotCheckMode.ON_SITE if i % 2 else SpotCheckMode.ONLINE,
                present_count=len(enrolments),
                findings="学员在训，签到与课程表一致",
                outcome=SpotCheckOutcome.COMPLIANT,
                reviewer=self.reviewers[unit],
            )
        photo = b"\xff\xd8\xff\xe0" + f"{training_class.code} 结班仪式".encode() * 8
        evidence_add(
            actor=clerk,
            training_class=training_class,
            kind=EvidenceKind.CLOSING_CEREMONY,
            name="结班仪式.jpg",
            stream=io.BytesIO(photo),
            taken_on=training_class.end_date,
        )
        results = [
            AssessmentResult(
                e.pk, "unqualified" if i == 0 else "qualified", decimal.Decimal(58 if i == 0 else 70 + i % 25)
            )
            for i, e in enumerate(enrolments)
        ]
        assessment_record(actor=clerk, training_class=training_class, results=results)
        requested = training_class.end_date + dt.timedelta(days=1)
        class_closing_request(actor=clerk, training_class=training_class, today=requested)
        closed = class_close(
            actor=self.reviewers[unit],
            training_class=training_class,
            note="结班材料齐全，合格名单审核通过",
            today=requested + dt.timedelta(days=3),
        )
        self.summary.classes_closed += 1
        self.summary.qualified += len(enrolments) - 1
        return closed


def load_demo_training(
    b: Any,
    *,
    jurisdiction: Any,
    admin: Any,
    units: dict[str, Any],
    institutions: list[Any],
    enterprises: list[Any],
    reviewers: dict[str, Any],
    clerks: dict[int, Any],
) -> TrainingSummary:
    writer = _Writer(
        b,
        jurisdiction=jurisdiction,
        admin=admin,
        units=units,
        institutions=institutions,
        enterprises=enterprises,
        reviewers=reviewers,
    )
    for unit in STREAMS:
        writer.unit(unit)
    # The demo clerks' own classes (jiaotong: institution 0 of centre 1, boren: 4 of centre 2), closed
    # through the services.
    for index, clerk in clerks.items():
        unit = "centre-1" if index in INSTITUTIONS_OF_UNIT["centre-1"] else "centre-2"
        stream = CLERK_STREAMS[index]
        for start in (dt.date(YEAR, 9, 8), dt.date(YEAR, 10, 9)):
            writer.closed_through_services(unit, stream, writer.institutions[index], clerk, start, 32)
    return writer.summary
