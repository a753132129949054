"""Test data for the targets app on top of the training factories.

`closed_class` files a class through the training services (so its type, occupation, level and unit
are validated as in production) and then puts it in the state the closing step leaves it in —
closed on a given date, with qualified and unqualified trainees. That last part is ORM test setup:
# test setup: the closing service (结班) lands in another branch (closing); switch to it once merged.
Certificates and employment records after the class are likewise made directly:
# test setup: the follow-up services (取证/就业登记) land in another branch (followup).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from gongjiang.catalog.models import CertificateType, Occupation, OccupationClass, SkillLevel, StartupCourse
from gongjiang.registry import services as registry
from gongjiang.registry.models import PersonCertificate
from gongjiang.registry.tests.factories import make_person
from gongjiang.training.choices import ClassStatus, EnrolmentStatus
from gongjiang.training.models import EmploymentRecord, Enrolment, TrainingClass
from gongjiang.training.services import evidence
from gongjiang.training.tests.factories import draft_class, pdf, training_world

_serial = itertools.count(1)
EXTRA_OCCUPATIONS = {"电子商务师": "B", "家政服务员": "B"}


def targets_world(w: Any) -> Any:
    """The training world plus two occupations for the 电商/康养 columns in both institutions' scope."""
    training_world(w)
    CertificateType.objects.get_or_create(code="training_certificate", defaults={"name": "培训合格证"})
    level = SkillLevel.objects.get(code="senior")
    for name, subsidy_class in EXTRA_OCCUPATIONS.items():
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
    return w


def person(w: Any, **flags: Any) -> Any:
    return make_person(w.root, w.jurisdiction, f"学员{next(_serial)}", **flags)


def closed_class(
    w: Any,
    *,
    closed_on: dt.date,
    qualified: int = 0,
    unqualified: int = 0,
    withdrawn: int = 0,
    people: list[Any] | None = None,
    institution: Any = None,
    occupation: str = "焊工",
    **fields: Any,
) -> TrainingClass:
    """A class filed through the services, then closed on `closed_on` with the given trainees.

    `people` (all qualified) may be given instead of, or in addition to, `qualified` new people."""
    institution = institution or w.institution_a
    values: dict[str, Any] = {
        "institution": institution,
        "training_type": "employment",
        "level": "cert",
        "occupation": w.occupations[occupation],
    }
    values.update(fields)
    if values["training_type"] == "startup":
        values.pop("occupation", None)
        values.pop("level", None)
        values.setdefault("startup_course", StartupCourse.objects.get(code="SYB"))
    if values["training_type"] in {"enterprise_post", "apprenticeship"}:
        values.setdefault("enterprise", w.enterprise_a)
    training_class = draft_class(w, actor=w.root, **values)
    # test setup: the closing service (结班) lands in another branch (closing); switch to it once merged.
    start = closed_on - dt.timedelta(days=20)
    TrainingClass.objects.filter(pk=training_class.pk).update(
        status=ClassStatus.CLOSED,
        start_date=start,
        end_date=closed_on - dt.timedelta(days=5),
        closed_on=closed_on,
        closed_by=w.reviewer,
    )
    trainees = list(people or [])
    statuses = [EnrolmentStatus.QUALIFIED] * len(trainees)
    for status, count in (
        (EnrolmentStatus.QUALIFIED, qualified),
        (EnrolmentStatus.UNQUALIFIED, unqualified),
        (EnrolmentStatus.WITHDRAWN, withdrawn),
    ):
        for _ in range(count):
            trainees.append(person(w))
            statuses.append(status)
    for trainee, status in zip(trainees, statuses, strict=True):
        Enrolment.objects.create(
            training_class=training_class,
            person=trainee,
            status=status,
            eligibility="测试",
            attended_hours=120,
        )
    training_class.refresh_from_db()
    return training_class


def qualified_enrolments(training_class: TrainingClass) -> list[Enrolment]:
    return list(training_class.enrolments.filter(status=EnrolmentStatus.QUALIFIED).order_by("id"))


def certify(
    enrolment: Enrolment,
    *,
    issued_on: dt.date,
    level: str | None = None,
    kind: str = "skill_level_certificate",
) -> Any:
    # test setup: the follow-up services (取证登记) land in another branch (followup).
    certificate = PersonCertificate.objects.create(
        person=enrolment.person,
        certificate_type=CertificateType.objects.get(code=kind),
        occupation=enrolment.training_class.occupation,
        level=SkillLevel.objects.get(code=level) if level else None,
        number=f"CERT-{next(_serial):06d}",
        issued_on=issued_on,
        issuer="兰州新区职业技能鉴定中心",
        source="training_follow_up",
    )
    enrolment.obtained_certificates.add(certificate)
    return certificate


def employ(w: Any, enrolment: Enrolment, *, started_on: dt.date, kind: str = "labour_contract") -> Any:
    name, stream = pdf()
    proof = evidence.evidence_add(
        actor=w.root, training_class=enrolment.training_class, kind="employment", name=name, stream=stream
    )
    # test setup: the follow-up services (就业登记) land in another branch (followup).
    return EmploymentRecord.objects.create(
        enrolment=enrolment,
        kind=kind,
        employer_name="兰州新区甲化工有限公司",
        started_on=started_on,
        evidence=proof,
        recorded_by=w.root,
    )


RECIPIENT_HEADER = "姓名,身份证号,统计单位,职业(工种),证书等级,证书编号,领取日期,补贴金额"


def recipients_csv(rows: list[dict[str, str]]) -> bytes:
    keys = RECIPIENT_HEADER.split(",")
    lines = [RECIPIENT_HEADER] + [",".join(row.get(k, "") for k in keys) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def recipient_row(**values: str) -> dict[str, str]:
    from gongjiang.registry.tests.factories import new_id_number

    row = {
        "姓名": f"参保职工{next(_serial)}",
        "身份证号": new_id_number(birth="19880412"),
        "统计单位": "兰州新区社会保障第二服务中心",
        "职业(工种)": "养老护理员",
        "证书等级": "高级工",
        "证书编号": f"S{next(_serial):08d}",
        "领取日期": "2025-06-01",
        "补贴金额": "2000",
    }
    row.update(values)
    return row
