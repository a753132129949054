"""Every public function of every services.py writes an audit event (issue 2, audit trail).

The test discovers the functions itself; each needs a case below that calls it on the test world.
A new service without a case fails `test_every_service_has_a_case`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

import gongjiang
from gongjiang.core.models import AuditEvent
from gongjiang.registry.tests.factories import PASSWORD, new_credit_code, new_id_number


def _service_modules(app: str) -> list[Any]:
    """`gongjiang.<app>.services`, or every module of it when it is a package (training/services/)."""
    try:
        module = importlib.import_module(f"gongjiang.{app}.services")
    except ModuleNotFoundError:
        return []
    if not hasattr(module, "__path__"):
        return [module]
    return [
        importlib.import_module(f"{module.__name__}.{info.name}")
        for info in pkgutil.iter_modules(module.__path__)
    ]


def service_functions() -> dict[str, Callable[..., Any]]:
    found: dict[str, Callable[..., Any]] = {}
    for module_info in pkgutil.iter_modules(gongjiang.__path__):
        for module in _service_modules(module_info.name):
            for name, fn in inspect.getmembers(module, inspect.isfunction):
                if not name.startswith("_") and fn.__module__ == module.__name__:
                    found[f"{module_info.name}.{name}"] = fn
    return found


def _report_run(w):
    from gongjiang.core.services import report_request

    return report_request(actor=w.root, kind="audit_summary")


def _scope_case(w):
    from gongjiang.catalog.models import Occupation, SkillLevel

    # Reference rows made directly: the catalog's own services are exercised by their own cases.
    occupation = Occupation.objects.create(name="焊工")
    level = SkillLevel.objects.create(code="senior", name="三级", alias="高级工", rank=3)
    return w.fn(
        actor=w.root,
        institution=w.institution_a,
        occupation=occupation,
        level=level,
        may_train=True,
        may_evaluate=True,
    )


CASES: dict[str, Callable[[Any], Any]] = {
    "core.jurisdiction_create": lambda w: w.fn(actor=w.root, code="shangyu", name="上虞区"),
    "core.user_create": lambda w: w.fn(
        actor=w.root, username="new-user", password=PASSWORD, role="auditor", jurisdictions=[w.jurisdiction]
    ),
    "core.user_deactivate": lambda w: w.fn(actor=w.root, user=w.users["auditor"], reason="离职"),
    "core.user_otp_reset": lambda w: w.fn(actor=w.root, user=w.users["auditor"], reason="手机遗失"),
    "core.report_request": lambda w: w.fn(actor=w.root, kind="audit_summary"),
    "core.report_run_execute": lambda w: w.fn(run_id=_report_run(w).pk),
    "registry.person_reveal_identifiers": lambda w: w.fn(
        actor=w.root, person=w.trainee_a, purpose="payment", note="补贴发放核对"
    ),
    "registry.teacher_reveal_identifiers": lambda w: w.fn(
        actor=w.root, teacher=w.teacher_a, purpose="inspection"
    ),
    "core.working_day_override_set": lambda w: w.fn(
        actor=w.root, date=dt.date(2030, 1, 2), is_working_day=False, reason="2030年假期安排"
    ),
    "registry.person_create": lambda w: w.fn(
        actor=w.root,
        jurisdiction=w.jurisdiction,
        name="新人",
        id_number=new_id_number(),
        household_type="urban",
    ),
    "registry.person_update": lambda w: w.fn(actor=w.root, person=w.trainee_a, is_veteran=True),
    "registry.person_set_contact": lambda w: w.fn(
        actor=w.root,
        person=w.trainee_a,
        phone="13900001111",
        bank_name="工行",
        bank_account="6222020000000001",
        reason="本人申请",
    ),
    "registry.person_soft_delete": lambda w: w.fn(actor=w.root, person=w.trainee_b, reason="重复登记"),
    "registry.enterprise_create": lambda w: w.fn(
        actor=w.root,
        jurisdiction=w.jurisdiction,
        name="新企业",
        credit_code=new_credit_code(),
        ownership="private",
        size="small",
    ),
    "registry.enterprise_update": lambda w: w.fn(
        actor=w.root, enterprise=w.enterprise_a, business_field="化工"
    ),
    "registry.enterprise_soft_delete": lambda w: w.fn(actor=w.root, enterprise=w.enterprise_b, reason="注销"),
    "registry.service_unit_create": lambda w: w.fn(
        actor=w.root, jurisdiction=w.jurisdiction, code="section", name="就业科", kind="section"
    ),
    "registry.institution_create": lambda w: w.fn(
        actor=w.root, jurisdiction=w.jurisdiction, name="新机构", credit_code=new_credit_code()
    ),
    "registry.institution_update": lambda w: w.fn(
        actor=w.root, institution=w.institution_a, address="新区大道1号"
    ),
    "registry.institution_set_list_state": lambda w: w.fn(
        actor=w.root, institution=w.institution_b, state="black", reason="虚假培训"
    ),
    "registry.institution_scope_set": _scope_case,
    "registry.institution_soft_delete": lambda w: w.fn(
        actor=w.root, institution=w.institution_b, reason="停办"
    ),
    "registry.institution_trainee_register": lambda w: w.fn(
        actor=w.root, institution=w.institution_a, person=w.trainee_b
    ),
    "registry.teacher_create": lambda w: w.fn(
        actor=w.root,
        jurisdiction=w.jurisdiction,
        name="新老师",
        id_number=new_id_number(birth="19750101"),
        filing_number="XQSZ-2025-099",
        filed_on=dt.date(2025, 2, 1),
    ),
    "registry.teacher_update": lambda w: w.fn(actor=w.root, teacher=w.teacher_a, qualification="高级技师"),
    "registry.teacher_soft_delete": lambda w: w.fn(actor=w.root, teacher=w.teacher_b, reason="调离"),
}


def _occupation(name: str = "电工") -> Any:
    from gongjiang.catalog.models import Occupation

    return Occupation.objects.get_or_create(name=name)[0]


def _shortage_entry(w: Any) -> Any:
    from gongjiang.catalog.services import shortage_entry_add

    return shortage_entry_add(
        actor=w.root,
        jurisdiction=w.jurisdiction,
        occupation=_occupation(),
        valid_from=dt.date(2025, 1, 1),
        valid_to=None,
        source="测试目录",
    )


CASES.update(
    {
        "catalog.catalog_load_reference": lambda w: w.fn(actor=w.root, jurisdiction=w.jurisdiction),
        "catalog.occupation_create": lambda w: w.fn(actor=w.root, name="新职业"),
        "catalog.occupation_update": lambda w: w.fn(actor=w.root, occupation=_occupation(), is_green=True),
        "catalog.occupation_class_set": lambda w: w.fn(
            actor=w.root,
            jurisdiction=w.jurisdiction,
            occupation=_occupation(),
            subsidy_class="A",
            citation="新民社发〔2025〕13号 附件3 A类",
        ),
        "catalog.shortage_entry_add": lambda w: _shortage_entry(w),
        "catalog.shortage_entry_end": lambda w: w.fn(
            actor=w.root, entry=_shortage_entry(w), valid_to=dt.date(2025, 12, 31)
        ),
        "catalog.catalog_import_occupations": lambda w: w.fn(
            actor=w.root,
            jurisdiction=w.jurisdiction,
            filename="o.csv",
            data="职业名称,职业类别,数字职业,绿色职业\n焊工,A,否,否\n".encode(),
        ),
        "catalog.shortage_import": lambda w: w.fn(
            actor=w.root,
            jurisdiction=w.jurisdiction,
            filename="s.csv",
            data=f"职业名称,起始日期,截止日期,目录来源\n{_occupation().name},2025-01-01,,测试目录\n".encode(),
        ),
    }
)


def _training(w: Any) -> Any:
    from gongjiang.training.tests import factories

    factories.training_world(w)
    return factories


def _timetable_case(w: Any) -> Any:
    f = _training(w)
    training_class = f.draft_class(w)
    return w.fn(
        actor=w.clerk, training_class=training_class, filename="t.csv", data=f.timetable_csv(training_class)
    )


def _roster_case(w: Any) -> Any:
    f = _training(w)
    return w.fn(
        actor=w.clerk,
        training_class=f.draft_class(w),
        filename="r.csv",
        data=f.roster_csv([f.new_trainee_row()]),
    )


def _evidence_case(w: Any) -> Any:
    f = _training(w)
    name, stream = f.png()
    return w.fn(actor=w.clerk, training_class=f.draft_class(w), kind="venue_photo", name=name, stream=stream)


def _closed_enrolment(w: Any) -> Any:
    f = _training(w)
    return f.closed_class(w, closed_on=dt.date(2025, 6, 30), qualified=1).enrolments.get()


def _certificate_case(w: Any) -> Any:
    from gongjiang.catalog.models import CertificateType

    enrolment = _closed_enrolment(w)
    return w.fn(
        actor=w.clerk,
        enrolment=enrolment,
        certificate_type=CertificateType.objects.get(code="special_ability"),
        number="ZX-0001",
        issued_on=dt.date(2025, 7, 1),
        issuer="某所",
    )


def _employment_case(w: Any) -> Any:
    from gongjiang.training.tests.factories import pdf

    enrolment = _closed_enrolment(w)
    name, stream = pdf()
    return w.fn(
        actor=w.clerk,
        enrolment=enrolment,
        kind="labour_contract",
        employer_name="某公司",
        started_on=dt.date(2025, 7, 1),
        file_name=name,
        stream=stream,
    )


def _promotion_case(w: Any) -> Any:
    f = _training(w)
    name, stream = f.pdf()
    return w.fn(
        actor=w.clerk,
        training_class=f.closed_class(w, closed_on=dt.date(2025, 6, 30), qualified=1),
        held_on=dt.date(2025, 7, 1),
        title="推介会",
        employers="某公司",
        attendee_count=1,
        file_name=name,
        stream=stream,
    )


def _proposal(w: Any) -> Any:
    from gongjiang.training.models import ListChangeProposal

    return ListChangeProposal.objects.create(
        institution=w.institution_a, current_state="normal", proposed_state="white", rules=[], metrics={}
    )


CASES.update(
    {
        "training.certificate_record": _certificate_case,
        "training.promotion_record": _promotion_case,
        "training.employment_record": _employment_case,
        "training.list_proposals_generate": lambda w: w.fn(actor=w.root, jurisdiction=w.jurisdiction),
        "training.list_proposal_accept": lambda w: w.fn(actor=w.root, proposal=_proposal(w), reason="达标"),
        "training.list_proposal_decline": lambda w: w.fn(actor=w.root, proposal=_proposal(w), reason="再议"),
    }
)

CASES.update(
    {
        "training.class_create": lambda w: _training(w).draft_class(w),
        "training.class_update": lambda w: w.fn(
            training_class=_training(w).draft_class(w), actor=w.clerk, venue_address="实训楼 5 层"
        ),
        "training.class_submit": lambda w: w.fn(training_class=_training(w).ready_class(w), actor=w.clerk),
        "training.class_approve": lambda w: w.fn(
            training_class=_training(w).submitted_class(w), actor=w.reviewer
        ),
        "training.class_return": lambda w: w.fn(
            training_class=_training(w).submitted_class(w), actor=w.reviewer, reason="材料不全"
        ),
        "training.class_reject": lambda w: w.fn(
            training_class=_training(w).submitted_class(w), actor=w.reviewer, reason="师资不符"
        ),
        "training.class_cancel": lambda w: w.fn(
            training_class=_training(w).draft_class(w), actor=w.clerk, reason="生源不足"
        ),
        "training.timetable_import": _timetable_case,
        "training.roster_import": _roster_case,
        "training.enrolment_withdraw": lambda w: w.fn(
            enrolment=_training(w).ready_class(w, trainees=1).enrolments.get(), actor=w.clerk, reason="退训"
        ),
        "training.evidence_add": _evidence_case,
    }
)


def _running(w: Any) -> tuple[Any, Any]:
    """A running (approved) class of June 2025 with one trainee, and the factories module."""
    f = _training(w)
    return f, f.running_class(w, trainees=1)


def _device_check_in_case(w: Any) -> Any:
    f, training_class = _running(w)
    terminal, _key = f.device(w)
    return f.check_in(training_class, terminal, training_class.id_numbers[0], f.at(f.RUN_START, "07:55"))


def _manual_check_in(w: Any, clock: str = "08:05") -> Any:
    from gongjiang.training.services.attendance import attendance_record_manual

    f, training_class = _running(w)
    return attendance_record_manual(
        actor=w.clerk,
        enrolment=training_class.enrolments.get(),
        occurred_at=f.at(f.RUN_START, clock),
        reason="考勤机故障",
    )


def _device_register_case(w: Any) -> Any:
    _training(w)
    return w.fn(
        actor=w.clerk, institution=w.institution_a, serial="FACE-AUDIT", name="人脸考勤机", method="face"
    )


def _resolve_case(w: Any) -> Any:
    record = _manual_check_in(w, "17:30")  # outside the timetable: flagged
    flag = record.training_class.anomalies.get()
    return w.fn(actor=w.reviewer, flag=flag, status="explained", note="当天加课已核实")


def _closing(w: Any) -> Any:
    from gongjiang.training.tests import closing_factories

    _training(w)
    return closing_factories


def _assessment_case(w: Any) -> Any:
    from gongjiang.training.services.closing import AssessmentResult

    training_class = _closing(w).closable_class(w, trainees=1, assess=False)
    enrolment = training_class.enrolments.get()
    return w.fn(
        actor=w.clerk, training_class=training_class, results=[AssessmentResult(enrolment.pk, "qualified")]
    )


def _close_case(w: Any) -> Any:
    from gongjiang.training.services.certificates import number_ranges_load_reference

    f = _closing(w)
    number_ranges_load_reference(actor=w.root, jurisdiction=w.jurisdiction)
    return w.fn(actor=w.reviewer, training_class=f.closing_class(w, trainees=1), today=f.CLOSING_DAY)


def _range_args(w: Any) -> dict[str, Any]:
    _training(w)
    return {
        "service_unit": w.centre_1,
        "category": "employment",
        "year": 2026,
        "first": "700001",
        "last": "700100",
    }


def _range_request(w: Any, fn: Any = None) -> Any:
    from gongjiang.training.services.certificates import number_range_request

    args = _range_args(w)
    return (fn or number_range_request)(actor=w.reviewer, reason="号段不足", **args)


def _closing_request_case(w: Any) -> Any:
    f = _closing(w)
    return w.fn(actor=w.clerk, training_class=f.closable_class(w, trainees=1), today=f.CLOSING_DAY)


CASES.update(
    {
        "training.device_register": _device_register_case,
        "training.device_deactivate": lambda w: w.fn(
            device=_training(w).device(w)[0], actor=w.clerk, reason="设备遗失"
        ),
        "training.attendance_record_device": _device_check_in_case,
        "training.attendance_record_manual": lambda w: _manual_check_in(w),
        "training.spot_check_record": lambda w: w.fn(
            training_class=_running(w)[1],
            actor=w.reviewer,
            checked_on=dt.date(2025, 6, 3),
            mode="online",
            present_count=1,
            findings="视频巡查正常",
            outcome="compliant",
        ),
        "training.anomaly_scan": lambda w: w.fn(training_class=_running(w)[1], actor=w.reviewer),
        "training.anomaly_resolve": _resolve_case,
        "training.assessment_record": _assessment_case,
        "training.class_closing_request": _closing_request_case,
        "training.class_closing_return": lambda w: w.fn(
            training_class=_closing(w).closing_class(w, trainees=1), actor=w.reviewer, reason="成绩单缺签字"
        ),
        "training.class_close": _close_case,
        "training.number_range_add": lambda w: w.fn(
            actor=w.root, jurisdiction=w.jurisdiction, citation="新民社发〔2026〕1号", **_range_args(w)
        ),
        "training.number_range_request": lambda w: _range_request(w, w.fn),
        "training.number_range_decide": lambda w: w.fn(
            actor=w.root, number_range=_range_request(w), approve=True
        ),
        "training.number_ranges_load_reference": lambda w: w.fn(actor=w.root, jurisdiction=w.jurisdiction),
    }
)


def _targets_table_args(w: Any) -> dict[str, Any]:
    return {
        "actor": w.root,
        "jurisdiction": w.jurisdiction,
        "year": 2026,
        "title": "兰州新区2026年职业技能培训任务分解表",
        "document": "新民社发〔2026〕1号",
        "citation": "新民社发〔2026〕1号 附件1",
    }


def _table_csv() -> bytes:
    from gongjiang.targets.imports import TABLE_COLUMNS

    row = ["兰州新区社会保障第一服务中心", "10", "10"] + [""] * (len(TABLE_COLUMNS) - 3)
    return (",".join(TABLE_COLUMNS) + "\n" + ",".join(row) + "\n").encode()


def _recipient_case(w: Any) -> Any:
    from gongjiang.targets.tests.factories import recipient_row, recipients_csv, targets_world

    targets_world(w)
    return w.fn(
        actor=w.root,
        jurisdiction=w.jurisdiction,
        year=2025,
        filename="r.csv",
        data=recipients_csv([recipient_row()]),
    )


CASES.update(
    {
        "targets.targets_load_reference": lambda w: w.fn(actor=w.root, jurisdiction=w.jurisdiction),
        "targets.target_table_save": lambda w: w.fn(
            **_targets_table_args(w),
            figures={w.centre_1.pk: {"total": 10, "employment": 10}},
        ),
        "targets.target_table_import": lambda w: w.fn(
            **_targets_table_args(w), filename="t.csv", data=_table_csv()
        ),
        "targets.recipient_import": _recipient_case,
    }
)


def _funds(w: Any) -> Any:
    from gongjiang.funds.tests import factories

    if not hasattr(w, "fund"):
        factories.funds_world(w)
    return factories


def _funds_submitted(w: Any) -> Any:
    f = _funds(w)
    return f.submitted(w, f.trainees(w, 1))


def _funds_in_notice(w: Any) -> Any:
    f = _funds(w)
    application = f.reviewed(w, f.trainees(w, 1))
    return f.services.notice_publish(
        actor=w.reviewer,
        applications=[application],
        title="公示",
        issuing_unit="人社局",
        today=dt.date(2025, 11, 17),
    )


def _funds_batch(w: Any, *, approved: bool = False, exported: bool = False) -> Any:
    f = _funds(w)
    f.noticed(w, f.trainees(w, 1))
    batch = f.services.batch_create(actor=w.finance, fund_source=w.fund, year=f.YEAR)
    if approved or exported:
        f.services.batch_approve(actor=w.finance2, batch=batch)
    if exported:
        f.services.batch_export(actor=w.finance, batch=batch)
    return batch


def _funds_paid_item(w: Any) -> Any:
    f = _funds(w)
    batch = _funds_batch(w, exported=True)
    item = batch.items.get()
    f.services.batch_result_import(
        actor=w.finance,
        batch=batch,
        filename="r.csv",
        data=f.bank_result([(item.detail_number, "成功", "", "B1")]),
    )
    return item


def _funds_closed_class(w: Any) -> Any:
    return _funds(w).closed_class(w)


def _funds_schedule(w: Any) -> Any:
    f = _funds(w)
    f.noticed(w, f.trainees(w, 1))
    from gongjiang.funds.models import InstalmentSchedule

    return InstalmentSchedule.objects.get()


def _talent(w: Any) -> Any:
    from gongjiang.talent.tests import factories

    factories.talent_world(w)
    return factories


def _talent_answer(w: Any) -> Any:
    from gongjiang.talent.survey import ResponseData

    counts = dict.fromkeys(("level_senior", "age_31_40", "edu_college"), 5)
    return ResponseData(
        principal="孙经理",
        principal_phone="",
        ownership="private_corp",
        size="medium",
        business_field="石油化工",
        staff_count=50,
        average_monthly_wage=Decimal("5000"),
        training_funds_drawn=Decimal("0"),
        training_funds_used=Decimal("0"),
        counts=counts,
        filled_by="周会计",
        filler_phone="",
        filled_on=dt.date(2025, 6, 30),
    )


def _talent_proposal(w: Any) -> Any:
    from gongjiang.talent.services import shortage_proposal_create
    from gongjiang.talent.tests.factories import imported_scenario

    imported_scenario(w)
    return shortage_proposal_create(actor=w.root, survey_round=w.round, occupation=w.occupations["焊工"])


CASES.update(
    {
        "funds.funds_config_load": lambda w: w.fn(actor=w.root, jurisdiction=w.jurisdiction),
        "funds.fund_budget_set": lambda w: (
            _funds(w),
            w.fn(actor=w.root, fund_source=w.fund, year=2026, amount=Decimal("20000"), note="预算"),
        ),
        "funds.application_create": lambda w: (
            _funds(w),
            w.fn(
                actor=w.users["institution_clerk"],
                applicant_kind="institution",
                applicant=w.institution_a,
                policy="lanzhou-xinqu-2025",
                benefit="training_subsidy",
                claim_date=dt.date(2025, 11, 14),
            ),
        ),
        "funds.application_line_add": lambda w: w.fn(
            actor=w.users["institution_clerk"],
            application=_funds(w).training_application(w, []),
            person=_funds(w).trainees(w, 1)[0],
            facts=dict(_funds(w).WELDER_FACTS),
        ),
        "funds.application_create_for_class": lambda w: w.fn(
            actor=w.users["institution_clerk"], training_class=_funds_closed_class(w)
        ),
        "funds.application_checklist_set": lambda w: w.fn(
            actor=w.users["institution_clerk"],
            application=_funds(w).training_application(w, []),
            items={"invoice": True},
        ),
        "funds.application_submit": lambda w: w.fn(
            actor=w.users["institution_clerk"],
            application=(
                lambda a: _funds(w).services.application_checklist_set(
                    actor=w.users["institution_clerk"], application=a, items=_funds(w).all_materials()
                )
            )(_funds(w).training_application(w, _funds(w).trainees(w, 1))),
        ),
        "funds.line_review": lambda w: w.fn(
            actor=w.users["centre_reviewer"], line=_funds_submitted(w).lines.get(), approve=True
        ),
        "funds.application_review_complete": lambda w: (
            lambda a: (
                _funds(w).services.line_review(actor=w.reviewer, line=a.lines.get(), approve=True),
                w.fn(actor=w.reviewer, application=a),
            )
        )(_funds_submitted(w)),
        "funds.application_return": lambda w: w.fn(
            actor=w.users["centre_reviewer"], application=_funds_submitted(w), reason="材料不清晰"
        ),
        "funds.notice_publish": lambda w: _funds_in_notice(w),
        "funds.objection_file": lambda w: (
            lambda n: w.fn(
                actor=None,
                notice=n,
                line=n.lines.get(),
                objector_name="甲",
                content="异议",
                today=n.published_on,
            )
        )(_funds_in_notice(w)),
        "funds.objection_resolve": lambda w: (
            lambda n: w.fn(
                actor=w.reviewer,
                objection=_funds(w).services.objection_file(
                    actor=None,
                    notice=n,
                    line=n.lines.get(),
                    objector_name="甲",
                    content="异议",
                    today=n.published_on,
                ),
                upheld=False,
                resolution="不成立",
            )
        )(_funds_in_notice(w)),
        "funds.notice_close": lambda w: (
            lambda n: w.fn(actor=w.reviewer, notice=n, today=n.ends_on + dt.timedelta(days=1))
        )(_funds_in_notice(w)),
        "funds.instalments_fall_due": lambda w: (
            _funds(w),
            w.fn(actor=w.users["finance_officer"], jurisdiction=w.jurisdiction, today=dt.date(2025, 12, 1)),
        ),
        "funds.schedule_stop": lambda w: (lambda s: w.fn(actor=w.reviewer, schedule=s, reason="离职"))(
            _funds_schedule(w)
        ),
        "funds.batch_create": lambda w: _funds_batch(w),
        "funds.batch_approve": lambda w: (lambda b: w.fn(actor=w.finance2, batch=b))(_funds_batch(w)),
        "funds.batch_export": lambda w: (lambda b: w.fn(actor=w.finance, batch=b))(
            _funds_batch(w, approved=True)
        ),
        "funds.batch_result_import": lambda w: (
            lambda b: w.fn(
                actor=w.finance,
                batch=b,
                filename="r.csv",
                data=_funds(w).bank_result([(b.items.get().detail_number, "失败", "账号错误", "")]),
            )
        )(_funds_batch(w, exported=True)),
        "funds.item_recover": lambda w: (lambda i: w.fn(actor=w.finance, item=i, reason="重复领取，已追回"))(
            _funds_paid_item(w)
        ),
        "talent.survey_round_create": lambda w: w.fn(
            actor=w.root,
            jurisdiction=w.jurisdiction,
            title="2025年企业技能人才调查",
            period="2025年",
            year=2025,
        ),
        "talent.survey_round_close": lambda w: w.fn(
            actor=w.root, survey_round=_talent(w).imported_scenario(w).round
        ),
        "talent.survey_response_submit": lambda w: w.fn(
            actor=w.users["enterprise_clerk"], survey_round=_talent(w).open_round(w), data=_talent_answer(w)
        ),
        "talent.survey_import": lambda w: w.fn(
            actor=w.root,
            survey_round=_talent(w).open_round(w),
            filename="r.csv",
            data=_talent(w).survey_csv([_talent(w).survey_row(w.enterprise_a)]),
        ),
        "talent.shortage_proposal_create": lambda w: _talent_proposal(w),
        "talent.shortage_proposal_decide": lambda w: w.fn(
            actor=w.root, proposal=_talent_proposal(w), accept=True, effective_from=dt.date(2025, 9, 1)
        ),
        "talent.competition_create": lambda w: _talent(w).competition(w),
        "talent.competition_result_record": lambda w: w.fn(
            actor=w.root, competition=_talent(w).competition(w), person=w.employee_a, rank=1
        ),
        "talent.studio_create": lambda w: _talent(w).studio(w),
        "talent.studio_assess": lambda w: w.fn(
            actor=w.root,
            studio=_talent(w).studio(w),
            year=2025,
            result="excellent",
            assessed_on=dt.date(2025, 12, 20),
        ),
        "talent.title_award": lambda w: w.fn(
            actor=w.root,
            person=w.employee_a,
            kind="chief_technician",
            title_name="首席技师",
            awarded_by="区人力资源和社会保障局",
            awarded_on=dt.date(2025, 5, 1),
        ),
        "talent.platform_create": lambda w: w.fn(
            actor=w.root,
            jurisdiction=w.jurisdiction,
            kind="training_base",
            level="provincial",
            name="甲化工高技能人才培训基地",
            recognised_on=dt.date(2025, 5, 1),
            enterprise=w.enterprise_a,
        ),
    }
)


def _funds_from_record(w: Any) -> Any:
    """A 上虞 studio (虞人社〔2023〕19号 三、（四）22 开办经费) started as an application by the bureau."""
    from gongjiang.funds.tests.factories import place_world
    from gongjiang.talent.tests.factories import studio

    sy = place_world("shangyu", "上虞区", "330604")
    record = studio(
        w, jurisdiction=sy.jurisdiction, actor=sy.admin, enterprise=sy.enterprise, master=sy.person
    )
    return w.fn(actor=sy.admin, kind="studio", record=record, index=0)


CASES.update(
    {
        "funds.application_payee_account_set": lambda w: w.fn(
            actor=w.users["institution_clerk"],
            application=_funds(w).training_application(w, []),
            bank_name="中国工商银行兰州新区支行",
            bank_account="6222020000000000001",
        ),
        "funds.application_create_from_record": _funds_from_record,
    }
)

# Read-only helpers that live in services.py because create and import share them.
EXEMPT = {"registry.person_check_new": "只做校验，不写数据"}


def test_every_service_has_a_case():
    # given every public service function in the code base
    missing = sorted(set(service_functions()) - set(CASES) - set(EXEMPT))
    # then each is exercised below (or exempt with a reason)
    assert not missing, f"services without an audit case: {missing}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_service_writes_an_audit_event(world, name):
    # given
    world.fn = service_functions()[name]
    before = AuditEvent.objects.count()
    # when
    CASES[name](world)
    # then
    assert AuditEvent.objects.count() > before, f"{name} wrote no audit event"
