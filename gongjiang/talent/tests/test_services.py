"""Services of the talent app: rounds, the online answer, the paper-round import (all or nothing,
every bad row with its column and reason), shortage proposals and the engine's uplift, records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongjiang.catalog.models import ShortageOccupationEntry
from gongjiang.catalog.selectors import shortage_occupations_on
from gongjiang.core.choices import Role
from gongjiang.core.errors import DomainError, ImportRejected, PermissionDenied
from gongjiang.core.models import AuditEvent
from gongjiang.core.pii import decrypt
from gongjiang.policy.selectors import quote_requests
from gongjiang.talent import services
from gongjiang.talent.choices import DemandMethod, ProposalStatus
from gongjiang.talent.models import DemandLine, SurveyResponse
from gongjiang.talent.survey import DemandData, ResponseData

from .factories import level, open_round, row_b, survey_csv, survey_row

pytestmark = pytest.mark.django_db


def answer(w, **overrides) -> ResponseData:
    counts = {
        "level_junior": 10,
        "level_intermediate": 8,
        "level_senior": 6,
        "level_technician": 3,
        "level_senior_technician": 1,
        "age_18_30": 8,
        "age_31_40": 10,
        "age_41_50": 6,
        "age_51_plus": 4,
        "edu_high_school": 15,
        "edu_college": 10,
        "edu_bachelor": 3,
    }
    counts.update(overrides.pop("counts", {}))
    values = {
        "principal": "孙经理",
        "principal_phone": "13900001111",
        "ownership": "private_corp",
        "size": "medium",
        "business_field": "石油化工",
        "staff_count": 100,
        "average_monthly_wage": Decimal("5000"),
        "training_funds_drawn": Decimal("80000"),
        "training_funds_used": Decimal("60000"),
        "counts": counts,
        "filled_by": "周会计",
        "filler_phone": "",
        "filled_on": dt.date(2025, 6, 30),
        "demand": [DemandData(w.occupations["焊工"], 5, level("senior"), Decimal("6000"), DemandMethod.SELF)],
    }
    values.update(overrides)
    return ResponseData(**values)


# --- rounds and the online form ---------------------------------------------------------------


def test_clerk_answers_for_their_own_enterprise_and_may_correct_while_open(tw):
    # given an open round and the enterprise clerk of enterprise A
    w = tw
    survey_round = open_round(w)
    clerk = w.users[Role.ENTERPRISE_CLERK]
    # when the clerk submits, then corrects the staff count
    first = services.survey_response_submit(actor=clerk, survey_round=survey_round, data=answer(w))
    second = services.survey_response_submit(
        actor=clerk, survey_round=survey_round, data=answer(w, staff_count=120)
    )
    # then one answer (the round is its version), enterprise A's, corrected and audited
    assert first.pk == second.pk and SurveyResponse.objects.count() == 1
    assert second.enterprise == w.enterprise_a and second.staff_count == 120
    assert second.principal_phone_masked == "139****1111"
    assert decrypt(second.principal_phone_encrypted) == "13900001111"
    assert list(
        AuditEvent.objects.filter(object_type="talent.surveyresponse").values_list("event_type", flat=True)
    ) == [
        "survey_response_submitted",
        "survey_response_corrected",
    ]


def test_totals_that_disagree_are_refused_and_nothing_is_written(tw):
    # given age bands summing to 27 while the levels sum to 28 (附件1: the three 合计 agree)
    w = tw
    survey_round = open_round(w)
    bad = answer(w, counts={"age_51_plus": 3})
    # when / then
    with pytest.raises(DomainError) as exc:
        services.survey_response_submit(
            actor=w.users[Role.ENTERPRISE_CLERK], survey_round=survey_round, data=bad
        )
    assert "年龄结构合计 27 与职业技能等级合计 28 不一致" in exc.value.message
    assert not SurveyResponse.objects.exists() and not DemandLine.objects.exists()


def test_more_skilled_staff_than_staff_is_refused(tw):
    w = tw
    survey_round = open_round(w)
    with pytest.raises(DomainError) as exc:
        services.survey_response_submit(
            actor=w.users[Role.ENTERPRISE_CLERK], survey_round=survey_round, data=answer(w, staff_count=20)
        )
    assert "技能人才合计 28 人不能多于职工总数 20 人" in exc.value.message


def test_only_enterprise_clerks_answer_and_not_after_the_round_closed(tw):
    # given
    w = tw
    survey_round = open_round(w)
    # when a bureau admin tries the clerk's form
    with pytest.raises(PermissionDenied):
        services.survey_response_submit(actor=w.root, survey_round=survey_round, data=answer(w))
    # and the clerk answers, the bureau closes, the clerk tries again
    clerk = w.users[Role.ENTERPRISE_CLERK]
    services.survey_response_submit(actor=clerk, survey_round=survey_round, data=answer(w))
    services.survey_round_close(actor=w.root, survey_round=survey_round, closed_on=dt.date(2025, 7, 31))
    with pytest.raises(DomainError) as exc:
        services.survey_response_submit(
            actor=clerk, survey_round=survey_round, data=answer(w, staff_count=90)
        )
    # then
    assert exc.value.code == "round_closed"
    assert SurveyResponse.objects.get().staff_count == 100


def test_round_in_another_jurisdiction_is_refused(tw):
    w = tw
    with pytest.raises(PermissionDenied):
        open_round(w, jurisdiction=w.other_jurisdiction)
    with pytest.raises(PermissionDenied):
        open_round(w, actor=w.users[Role.CENTRE_REVIEWER])


# --- the paper-round import -------------------------------------------------------------------


def test_import_writes_every_row_with_its_demand_lines(tw):
    # given
    w = tw
    survey_round = open_round(w)
    data = survey_csv([survey_row(w.enterprise_a), row_b(w.enterprise_b)])
    # when
    responses = services.survey_import(actor=w.root, survey_round=survey_round, filename="r.csv", data=data)
    # then
    assert len(responses) == 2
    b = SurveyResponse.objects.get(enterprise=w.enterprise_b)
    assert (b.ownership, b.size, b.staff_count, b.level_total, b.source) == (
        "state",
        "large",
        300,
        50,
        "import",
    )
    assert [
        (d.occupation.name, d.count, d.level.code, d.monthly_wage, d.method) for d in b.demand_lines.all()
    ] == [
        ("焊工", 3, "senior", Decimal("7000.00"), "joint"),
        ("焊工", 2, "technician", Decimal("9000.00"), "self"),
    ]


def test_import_with_one_bad_row_is_refused_with_its_reason_and_writes_nothing(tw):
    # given row 2 good, row 3 with education bands summing to 49 against 50 skilled
    w = tw
    survey_round = open_round(w)
    data = survey_csv([survey_row(w.enterprise_a), row_b(w.enterprise_b, 本科及以上="4")])
    events = AuditEvent.objects.count()
    # when
    with pytest.raises(ImportRejected) as exc:
        services.survey_import(actor=w.root, survey_round=survey_round, filename="r.csv", data=data)
    # then the one bad row is listed, in Chinese, with its column; nothing written
    assert exc.value.errors == [
        {
            "row": 3,
            "column": "本科及以上",
            "message": "学历结构合计 49 与职业技能等级合计 50 不一致（调查表三个合计须相等）",
        }
    ]
    assert not SurveyResponse.objects.exists() and AuditEvent.objects.count() == events


def test_import_lists_every_bad_cell(tw):
    # given one row with an unknown enterprise, an unknown occupation, a bad method and a bad date
    w = tw
    survey_round = open_round(w)
    bad = survey_row(
        w.enterprise_a,
        统一社会信用代码="91620100MA00000000",
        需求工种1="宇航员",
        培养措施1="外包",
        填表日期="2025/13/01",
        企业规模="特大",
    )
    # when
    with pytest.raises(ImportRejected) as exc:
        services.survey_import(
            actor=w.root, survey_round=survey_round, filename="r.csv", data=survey_csv([bad])
        )
    # then every problem, in column order
    assert [(e["row"], e["column"]) for e in exc.value.errors] == [
        (2, "统一社会信用代码"),
        (2, "企业规模"),
        (2, "需求工种1"),
        (2, "培养措施1"),
        (2, "填表日期"),
    ]
    assert "职业目录中没有“宇航员”" in exc.value.errors[2]["message"]


def test_an_enterprise_answers_a_round_once(tw):
    w = tw
    survey_round = open_round(w)
    services.survey_import(
        actor=w.root,
        survey_round=survey_round,
        filename="r.csv",
        data=survey_csv([survey_row(w.enterprise_a)]),
    )
    with pytest.raises(ImportRejected) as exc:
        services.survey_import(
            actor=w.root,
            survey_round=survey_round,
            filename="r.csv",
            data=survey_csv([survey_row(w.enterprise_a)]),
        )
    assert exc.value.errors[0]["message"] == "该企业在本轮调查中已有调查表"


def test_import_of_an_xlsx_made_from_the_template(tw):
    # given the downloadable template, filled in with enterprise A's row (the template's own example)
    from gongjiang.core.spreadsheets import write_xlsx
    from gongjiang.talent.file_templates import survey_template
    from gongjiang.talent.imports import SURVEY_COLUMNS

    w = tw
    survey_round = open_round(w)
    assert survey_template(survey_round)[:2] == b"PK"
    row = survey_row(w.enterprise_a)
    data = write_xlsx({"调查表": (SURVEY_COLUMNS, [[row.get(c, "") for c in SURVEY_COLUMNS]])})
    # when
    responses = services.survey_import(actor=w.root, survey_round=survey_round, filename="r.xlsx", data=data)
    # then
    assert responses[0].level_total == 28


# --- shortage proposals and the policy engine ------------------------------------------------

WELDER_CLAIM = {
    "policy": "lanzhou-xinqu-2025",
    "benefit": "training_subsidy",
    "facts": {
        "training_type": "employment",
        "occupation": "焊工",
        "level": "senior",
        "class_hours": 120,
        "rural_or_lowincome": False,
        "training_days": 15,
    },
}


def test_accepted_proposal_puts_the_occupation_in_the_directory_and_the_uplift_follows(scenario):
    # given 焊工 proposed from the round's demand (10 against a supply of 2)
    w = scenario
    proposal = services.shortage_proposal_create(
        actor=w.root, survey_round=w.round, occupation=w.occupations["焊工"], note="缺口 8 人"
    )
    assert (proposal.demand, proposal.supply) == (10, 2)
    # when the bureau accepts it with effect from 2025-09-01
    services.shortage_proposal_decide(
        actor=w.root, proposal=proposal, accept=True, effective_from=dt.date(2025, 9, 1)
    )
    # then the directory has it from that day
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.shortage_entry.valid_from == dt.date(2025, 9, 1)
    assert "焊工" not in shortage_occupations_on(w.jurisdiction, dt.date(2025, 8, 31))
    assert "焊工" in shortage_occupations_on(w.jurisdiction, dt.date(2025, 9, 1))
    # and a quote for 焊工 高级工: 附件3 A类 高级工 2000元; from the effective date +20% (附件3 备注2,
    # 四(一) 纳入急需紧缺职业(工种)指导目录的提高20%): 2000 × 1.2 = 2400
    before, after = quote_requests(
        [{**WELDER_CLAIM, "date": "2025-08-31"}, {**WELDER_CLAIM, "date": "2025-09-01"}]
    )
    assert before["amount"] == "2000.00"
    assert after["amount"] == "2400.00"


def test_rejected_proposal_needs_a_reason_and_writes_no_directory_entry(scenario):
    w = scenario
    proposal = services.shortage_proposal_create(
        actor=w.root, survey_round=w.round, occupation=w.occupations["电工"]
    )
    with pytest.raises(DomainError):
        services.shortage_proposal_decide(actor=w.root, proposal=proposal, accept=False)
    services.shortage_proposal_decide(actor=w.root, proposal=proposal, accept=False, reason="供给可满足")
    assert not ShortageOccupationEntry.objects.exists()
    with pytest.raises(DomainError) as exc:
        services.shortage_proposal_decide(
            actor=w.root, proposal=proposal, accept=True, effective_from=dt.date(2025, 9, 1)
        )
    assert exc.value.code == "already_decided"


def test_proposal_needs_demand_and_acceptance_an_effective_date(scenario):
    w = scenario
    with pytest.raises(DomainError) as exc:
        services.shortage_proposal_create(
            actor=w.root, survey_round=w.round, occupation=w.occupations["养老护理员"]
        )
    assert exc.value.code == "no_demand"
    proposal = services.shortage_proposal_create(
        actor=w.root, survey_round=w.round, occupation=w.occupations["焊工"]
    )
    with pytest.raises(DomainError) as exc:
        services.shortage_proposal_decide(actor=w.root, proposal=proposal, accept=True)
    assert exc.value.code == "effective_date_required"
    with pytest.raises(PermissionDenied):
        services.shortage_proposal_decide(
            actor=w.users[Role.CENTRE_REVIEWER],
            proposal=proposal,
            accept=True,
            effective_from=dt.date(2025, 9, 1),
        )
