"""Funds test data, built through the services on top of the registry's `build_world`.

`funds_world(w)` loads 兰州新区's fund sources and benefit → fund mapping (data/lanzhou-xinqu.yaml)
and gives 兰州市职业技能提升行动专账资金 a budget. `training_application(w, people)` files institution A's
training-subsidy application with one line per person: 焊工 (附件3 A类) 就业技能培训, 培训合格证,
120 课时 over 15 days, urban trainees (no 备注1 living allowance) — each line quotes 1500 元
(新民社发〔2025〕13号 附件3 A类 培训合格证 1500 元).

`paid_through(...)` drives an application through review, notice and a batch to the bank file.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from gongjiang.core.choices import Role
from gongjiang.core.services import user_create
from gongjiang.registry.tests.factories import PASSWORD, make_person

from .. import config, services
from ..models import Application, FundSource

CLAIM_DATE = dt.date(2025, 11, 14)  # a Friday; 2025 is a year chinese-calendar knows
YEAR = 2025
WELDER_FACTS = {
    "training_type": "employment",
    "occupation": "焊工",
    "level": "cert",
    "class_hours": 120,
    "rural_or_lowincome": False,
    "training_days": 15,
}
A_CERT = Decimal("1500.00")  # 新民社发〔2025〕13号 附件3 A类 培训合格证 1500 元


def funds_world(w: Any, budget: Decimal = Decimal("100000.00")) -> Any:
    services.funds_config_load(actor=w.root, jurisdiction=w.jurisdiction)
    w.fund = FundSource.objects.get(jurisdiction=w.jurisdiction, code="lanzhou_skill_upgrade")
    services.fund_budget_set(actor=w.root, fund_source=w.fund, year=YEAR, amount=budget, note="年度预算")
    w.reviewer = w.users[Role.CENTRE_REVIEWER]
    w.finance = w.users[Role.FINANCE_OFFICER]
    w.clerk = w.users[Role.INSTITUTION_CLERK]
    # A second finance officer: the batch maker and its approver must be two people.
    w.finance2 = user_create(
        actor=w.root,
        username="finance2",
        password=PASSWORD,
        role=Role.FINANCE_OFFICER,
        jurisdictions=[w.jurisdiction],
        display_name="财务复核",
    )
    return w


def trainees(w: Any, n: int, prefix: str = "学员") -> list[Any]:
    return [make_person(w.root, w.jurisdiction, f"{prefix}{i + 1}", household_type="urban") for i in range(n)]


def training_application(
    w: Any, people: list[Any], *, facts: dict[str, Any] | None = None, claim_date: dt.date = CLAIM_DATE
) -> Application:
    application = services.application_create(
        actor=w.clerk,
        applicant_kind="institution",
        applicant=w.institution_a,
        policy="lanzhou-xinqu-2025",
        benefit="training_subsidy",
        claim_date=claim_date,
    )
    for person in people:
        services.application_line_add(
            actor=w.clerk, application=application, person=person, facts=dict(facts or WELDER_FACTS)
        )
    return application


def all_materials(benefit: str = "training_subsidy") -> dict[str, bool]:
    return {item["code"]: True for item in config.checklist_for(benefit)}


def submitted(w: Any, people: list[Any], today: dt.date = CLAIM_DATE, **kwargs: Any) -> Application:
    application = training_application(w, people, **kwargs)
    services.application_checklist_set(actor=w.clerk, application=application, items=all_materials())
    return services.application_submit(actor=w.clerk, application=application, today=today)


def reviewed(w: Any, people: list[Any], today: dt.date = CLAIM_DATE, **kwargs: Any) -> Application:
    application = submitted(w, people, today=today, **kwargs)
    for line in application.lines.filter(status="pending"):
        services.line_review(actor=w.reviewer, line=line, approve=True)
    return services.application_review_complete(actor=w.reviewer, application=application, today=today)


def noticed(w: Any, people: list[Any], published: dt.date = dt.date(2025, 11, 17), **kwargs: Any) -> Any:
    """Reviewed, published on Monday 17 November 2025 (window to Monday 24th), closed on the 25th."""
    application = reviewed(w, people, **kwargs)
    notice = services.notice_publish(
        actor=w.reviewer,
        applications=[application],
        title="2025年第一批职业技能培训补贴公示",
        issuing_unit="兰州新区民政司法和社会保障局",
        today=published,
    )
    services.notice_close(actor=w.reviewer, notice=notice, today=notice.ends_on + dt.timedelta(days=1))
    application.refresh_from_db()
    return application


def bank_result(rows: list[tuple[str, str, str, str]]) -> bytes:
    lines = ["明细号,状态,失败原因,银行流水号"] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def closed_class(w: Any, trainees: int = 1) -> Any:
    """An approved 焊工 class of institution A whose trainees qualified and which is closed.

    The closing step belongs to the training lifecycle (issue 5, built elsewhere): until it lands,
    its outcome — qualified enrolments, the class closed on its last day — is set directly here."""
    from gongjiang.training.models import Enrolment, TrainingClass
    from gongjiang.training.tests import factories as tf

    tf.training_world(w)
    training_class = tf.approved_class(w, trainees=trainees)
    Enrolment.objects.filter(training_class=training_class).update(status="qualified")
    TrainingClass.objects.filter(pk=training_class.pk).update(
        status="closed", closed_on=training_class.end_date
    )
    training_class.refresh_from_db()
    w.clerk = w.users[Role.INSTITUTION_CLERK]
    return training_class


def record_objects(w: Any) -> Any:
    """Talent records of the world (兰州新区, whose documents pay none of them) for the access matrix:
    a competition result of trainee_a (the person user), studios of enterprises A and B, a title of
    employee_a at enterprise A, and a platform of institution A."""
    from gongjiang.talent import services as talent
    from gongjiang.talent.tests.factories import competition, studio

    contest = competition(w)
    w.competition_result_a = talent.competition_result_record(
        actor=w.root, competition=contest, person=w.trainee_a, rank=1
    )
    w.studio_a = studio(w)
    w.studio_b = studio(w, enterprise=w.enterprise_b, master=w.employee_b, level="provincial")
    w.title_a = talent.title_award(
        actor=w.root,
        person=w.employee_a,
        kind="chief_technician",
        title_name="新区首席技师",
        awarded_by="兰州新区管委会",
        awarded_on=dt.date(2025, 1, 1),
        enterprise=w.enterprise_a,
    )
    w.platform_a = talent.platform_create(
        actor=w.root,
        jurisdiction=w.jurisdiction,
        kind="training_base",
        level="provincial",
        name="省级高技能人才培训基地",
        recognised_on=dt.date(2025, 1, 1),
        institution=w.institution_a,
    )
    return w


def place_world(code: str, name: str, region: str, *, budget: Decimal = Decimal("1000000.00")) -> Any:
    """A jurisdiction of another document (shangyu, huzhou, taierzhuang) with its funds configuration
    (data/<code>.yaml) and a 2025 budget for each fund; an admin, a reviewer, two finance officers,
    an enterprise with its clerk, and a person employed there."""
    from types import SimpleNamespace

    from gongjiang.core.services import jurisdiction_create
    from gongjiang.registry import services as registry
    from gongjiang.registry.tests.factories import make_admin, new_credit_code, new_id_number

    jurisdiction = jurisdiction_create(actor=None, code=code, name=name, region_code=region)
    admin = make_admin(jurisdiction, f"{code}-admin")
    services.funds_config_load(actor=admin, jurisdiction=jurisdiction)
    for fund in FundSource.objects.filter(jurisdiction=jurisdiction):
        services.fund_budget_set(actor=admin, fund_source=fund, year=YEAR, amount=budget, note="年度预算")
    enterprise = registry.enterprise_create(
        actor=admin,
        jurisdiction=jurisdiction,
        name=f"{name}精工机械有限公司",
        credit_code=new_credit_code(),
        ownership="private_corp",
        size="medium",
    )

    def user(role: str, username: str, **extra: Any) -> Any:
        return user_create(
            actor=admin,
            username=f"{code}-{username}",
            password=PASSWORD,
            role=role,
            jurisdictions=[jurisdiction],
            **extra,
        )

    return SimpleNamespace(
        jurisdiction=jurisdiction,
        admin=admin,
        reviewer=user(Role.CENTRE_REVIEWER, "reviewer"),
        finance=user(Role.FINANCE_OFFICER, "finance"),
        finance2=user(Role.FINANCE_OFFICER, "finance2"),
        enterprise=enterprise,
        clerk=user(Role.ENTERPRISE_CLERK, "clerk", enterprise=enterprise),
        person=make_person(
            admin, jurisdiction, f"{name}师傅", id_number=new_id_number(region=region), employer=enterprise
        ),
    )
