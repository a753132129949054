"""Writes of the talent app: survey rounds and answers, the paper-round import, shortage proposals,
and the records of competitions, master studios, titles and platforms.

Who writes: a bureau admin (`talent.manage`) for everything of their own jurisdictions; an
enterprise clerk (`talent.respond`) only their own enterprise's answer to an open round. Every
function is atomic, validates before its first write, and records its audit events in the same
transaction; an import with one bad row writes nothing (`ImportRejected`, every row's reason).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongjiang.catalog.models import Occupation, SkillLevel
from gongjiang.catalog.services import shortage_entry_add
from gongjiang.core.audit import audit_record, record_create, record_update, snapshot
from gongjiang.core.errors import DomainError, ImportRejected, PermissionDenied
from gongjiang.core.models import Jurisdiction
from gongjiang.core.permissions import require, require_jurisdiction
from gongjiang.core.pii import encrypt, mask_phone
from gongjiang.core.spreadsheets import read_table, require_columns
from gongjiang.core.validation import validated
from gongjiang.registry.models import Enterprise, Institution, Person

from .choices import (
    AssessmentResult,
    CompetitionLevel,
    PlatformKind,
    PlatformLevel,
    ProposalStatus,
    ResponseSource,
    RoundStatus,
    StudioLevel,
    TitleKind,
)
from .imports import REQUIRED_COLUMNS, SURVEY_COLUMNS, survey_rows
from .models import (
    Competition,
    CompetitionResult,
    DemandLine,
    MasterStudio,
    ShortageProposal,
    StudioAssessment,
    SurveyResponse,
    SurveyRound,
    TalentPlatform,
    TalentTitle,
)
from .selectors import highest_level
from .survey import ResponseData, totals_problems

MANAGE = "talent.manage"
RESPOND = "talent.respond"
# 台人社发〔2021〕17号 三(二)6: “取得优异名次的选手” — read as the three prize ranks (一、二、三等奖).
PROMOTION_RANKS = frozenset({1, 2, 3})


def _require_manager(actor: Any, jurisdiction_id: int) -> None:
    require(actor, MANAGE)
    require_jurisdiction(actor, jurisdiction_id)


# --- survey rounds ----------------------------------------------------------------------------


@transaction.atomic
def survey_round_create(
    *, actor: Any, jurisdiction: Jurisdiction, title: str, period: str, year: int
) -> SurveyRound:
    """Open a new round of the 企业技能人才现状及需求情况调查表 (台人社发〔2021〕17号 四(一), 措施7)."""
    _require_manager(actor, jurisdiction.pk)
    if SurveyRound.objects.filter(jurisdiction=jurisdiction, title=title.strip()).exists():
        raise DomainError("duplicate_round", f"已有名为“{title.strip()}”的调查")
    survey_round = SurveyRound(
        jurisdiction=jurisdiction, title=title.strip(), period=period.strip(), year=year, created_by=actor
    )
    validated(survey_round)
    survey_round.save()
    record_create(survey_round, actor=actor, event_type="survey_round_opened")
    return survey_round


@transaction.atomic
def survey_round_close(
    *, actor: Any, survey_round: SurveyRound, closed_on: dt.date | None = None
) -> SurveyRound:
    """Close a round: no more answers; its aggregates are published on the public 供求信息 page."""
    _require_manager(actor, survey_round.jurisdiction_id)
    survey_round = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
    if survey_round.status == RoundStatus.CLOSED:
        raise DomainError("round_closed", "该调查已结束")
    if not survey_round.responses.exists():
        raise DomainError("round_empty", "该调查还没有任何调查表，不能结束发布")
    before = snapshot(survey_round)
    survey_round.status = RoundStatus.CLOSED
    survey_round.closed_on = closed_on or timezone.localdate()
    validated(survey_round)
    survey_round.save()
    record_update(survey_round, before, actor=actor, event_type="survey_round_closed")
    return survey_round


# --- answers ----------------------------------------------------------------------------------


def _response_fields(response: SurveyResponse, data: ResponseData) -> None:
    response.principal = data.principal.strip()
    response.principal_phone_encrypted = encrypt(data.principal_phone)
    response.principal_phone_masked = mask_phone(data.principal_phone) if data.principal_phone else ""
    response.ownership = data.ownership
    response.size = data.size
    response.business_field = data.business_field.strip()
    response.staff_count = data.staff_count
    response.average_monthly_wage = data.average_monthly_wage
    response.training_funds_drawn = data.training_funds_drawn
    response.training_funds_used = data.training_funds_used
    for name, value in data.counts.items():
        setattr(response, name, value)
    response.filled_by = data.filled_by.strip()
    response.filler_phone_encrypted = encrypt(data.filler_phone)
    response.filler_phone_masked = mask_phone(data.filler_phone) if data.filler_phone else ""
    response.filled_on = data.filled_on


def _demand_snapshot(response: SurveyResponse) -> list[dict[str, Any]]:
    return [
        {
            "occupation": line.occupation_id,
            "count": line.count,
            "level": line.level_id,
            "monthly_wage": line.monthly_wage,
            "method": line.method,
        }
        for line in response.demand_lines.order_by("id")
    ]


def _write_demand(response: SurveyResponse, data: ResponseData) -> None:
    response.demand_lines.all().delete()
    for item in data.demand:
        line = DemandLine(
            response=response,
            occupation=item.occupation,
            count=item.count,
            level=item.level,
            monthly_wage=item.monthly_wage,
            method=item.method,
        )
        validated(line)
        line.save()


def _check(data: ResponseData) -> None:
    problems = totals_problems(data)
    if problems:
        raise DomainError(
            "survey_inconsistent", "；".join(f"{column}：{message}" for column, message in problems)
        )


@transaction.atomic
def survey_response_submit(*, actor: Any, survey_round: SurveyRound, data: ResponseData) -> SurveyResponse:
    """An enterprise clerk fills in (or corrects, while the round is open) their own enterprise's
    调查表. The form's three totals must agree (`survey.totals_problems`)."""
    require(actor, RESPOND)
    require_jurisdiction(actor, survey_round.jurisdiction_id)
    enterprise = Enterprise.objects.filter(
        pk=actor.enterprise_id, jurisdiction_id=survey_round.jurisdiction_id, is_deleted=False
    ).first()
    if enterprise is None:
        raise PermissionDenied("您的账号未关联本辖区的企业，不能填报")
    survey_round = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
    if not survey_round.is_open:
        raise DomainError("round_closed", "该调查已结束，不能再填报或修改")
    _check(data)
    response = SurveyResponse.objects.filter(survey_round=survey_round, enterprise=enterprise).first()
    if response is None:
        response = SurveyResponse(
            survey_round=survey_round,
            enterprise=enterprise,
            enterprise_name=enterprise.name,
            source=ResponseSource.ONLINE,
            submitted_by=actor,
        )
        before = None
    else:
        before = {**snapshot(response), "demand": _demand_snapshot(response)}
    _response_fields(response, data)
    validated(response)
    response.save()
    _write_demand(response, data)
    after = {**snapshot(response), "demand": _demand_snapshot(response)}
    jurisdiction_id = survey_round.jurisdiction_id
    if before is None:
        audit_record(
            actor=actor,
            obj=response,
            action="create",
            event_type="survey_response_submitted",
            after=after,
            jurisdiction_id=jurisdiction_id,
        )
    else:
        changed = [k for k in after if before.get(k) != after.get(k) and k != "updated_at"]
        audit_record(
            actor=actor,
            obj=response,
            action="update",
            event_type="survey_response_corrected",
            before={k: before.get(k) for k in changed},
            after={k: after[k] for k in changed},
            jurisdiction_id=jurisdiction_id,
        )
    return response


@transaction.atomic
def survey_import(
    *, actor: Any, survey_round: SurveyRound, filename: str, data: bytes
) -> list[SurveyResponse]:
    """Import a round collected on paper (one row per enterprise, template `file_templates`). Every
    row is checked first; one bad row and nothing is written, each bad row listed with its column
    and reason."""
    _require_manager(actor, survey_round.jurisdiction_id)
    survey_round = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
    if not survey_round.is_open:
        raise DomainError("round_closed", "该调查已结束，不能再导入")
    header, rows = read_table(filename, data)
    require_columns(header, REQUIRED_COLUMNS)
    parsed, errors = survey_rows(survey_round, rows)
    if errors:
        raise ImportRejected(errors.sorted(SURVEY_COLUMNS))
    responses = []
    for item in parsed:
        response = SurveyResponse(
            survey_round=survey_round,
            enterprise=item.enterprise,
            enterprise_name=item.enterprise.name,
            source=ResponseSource.IMPORT,
            submitted_by=actor,
        )
        _response_fields(response, item.data)
        validated(response)
        response.save()
        _write_demand(response, item.data)
        audit_record(
            actor=actor,
            obj=response,
            action="import",
            event_type="survey_response_imported",
            after={**snapshot(response), "demand": _demand_snapshot(response)},
            jurisdiction_id=survey_round.jurisdiction_id,
        )
        responses.append(response)
    audit_record(
        actor=actor,
        obj=survey_round,
        action="import",
        event_type="survey_round_imported",
        after={
            "filename": filename[:200],
            "sha256": hashlib.sha256(data).hexdigest(),
            "rows": len(responses),
        },
    )
    return responses


# --- shortage proposals -----------------------------------------------------------------------


@transaction.atomic
def shortage_proposal_create(
    *, actor: Any, survey_round: SurveyRound, occupation: Occupation, note: str = ""
) -> ShortageProposal:
    """Propose an occupation for the shortage directory from a round's demand (demand and supply as
    `aggregates.demand_supply` computes them, kept on the proposal)."""
    from .aggregates import demand_supply

    _require_manager(actor, survey_round.jurisdiction_id)
    row = next((r for r in demand_supply(survey_round) if r.occupation_id == occupation.pk), None)
    if row is None:
        raise DomainError("no_demand", f"本轮调查中没有企业需求“{occupation.name}”，不能提议")
    if ShortageProposal.objects.filter(survey_round=survey_round, occupation=occupation).exists():
        raise DomainError("duplicate_proposal", f"本轮调查已提议过“{occupation.name}”")
    proposal = ShortageProposal(
        jurisdiction_id=survey_round.jurisdiction_id,
        survey_round=survey_round,
        occupation=occupation,
        demand=row.demand,
        supply=row.supply,
        note=note.strip(),
        proposed_by=actor,
    )
    validated(proposal)
    proposal.save()
    record_create(proposal, actor=actor, event_type="shortage_proposal_made")
    return proposal


@transaction.atomic
def shortage_proposal_decide(
    *,
    actor: Any,
    proposal: ShortageProposal,
    accept: bool,
    effective_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    reason: str = "",
) -> ShortageProposal:
    """The bureau decides. Accepting puts the occupation in the shortage directory from
    `effective_from` (through the catalog's `shortage_entry_add`), so the policy engine's shortage
    uplift follows for claims dated on or after it (新民社发〔2025〕13号 附件3 备注2)."""
    _require_manager(actor, proposal.jurisdiction_id)
    proposal = ShortageProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PROPOSED:
        raise DomainError("already_decided", "该提议已作出决定")
    before = snapshot(proposal)
    if accept:
        if effective_from is None:
            raise DomainError("effective_date_required", "采纳提议必须填写生效日期")
        proposal.shortage_entry = shortage_entry_add(
            actor=actor,
            jurisdiction=proposal.jurisdiction,
            occupation=proposal.occupation,
            valid_from=effective_from,
            valid_to=valid_to,
            source=f"{proposal.survey_round.title} 供求分析提议"[:120],
        )
        proposal.status = ProposalStatus.ACCEPTED
        proposal.effective_from = effective_from
        proposal.valid_to = valid_to
    else:
        if not reason.strip():
            raise DomainError("reason_required", "不采纳提议必须填写说明")
        proposal.status = ProposalStatus.REJECTED
    proposal.decision_reason = reason.strip()
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    validated(proposal)
    proposal.save()
    record_update(
        proposal,
        before,
        actor=actor,
        action="approve" if accept else "reject",
        event_type="shortage_proposal_accepted" if accept else "shortage_proposal_rejected",
        reason=reason.strip(),
    )
    return proposal


# --- competitions, studios, titles, platforms -------------------------------------------------


def _check_choice(value: str, choices: Any, label: str) -> None:
    if value not in choices.values:
        raise DomainError("invalid_choice", f"{label}无效：“{value}”")


def _in_jurisdiction(obj: Any, jurisdiction_id: int, label: str) -> None:
    if obj is not None and obj.jurisdiction_id != jurisdiction_id:
        raise DomainError("other_jurisdiction", f"{label}不在本辖区")


@transaction.atomic
def competition_create(
    *,
    actor: Any,
    jurisdiction: Jurisdiction,
    name: str,
    level: str,
    occupation: Occupation,
    organiser: str,
    held_on: dt.date,
) -> Competition:
    _require_manager(actor, jurisdiction.pk)
    _check_choice(level, CompetitionLevel, "竞赛级别")
    competition = Competition(
        jurisdiction=jurisdiction,
        name=name.strip(),
        level=level,
        occupation=occupation,
        organiser=organiser.strip(),
        held_on=held_on,
    )
    validated(competition)
    competition.save()
    record_create(competition, actor=actor, event_type="competition_recorded")
    return competition


@transaction.atomic
def competition_result_record(
    *, actor: Any, competition: Competition, person: Person, rank: int, result_label: str = ""
) -> CompetitionResult:
    """A contestant's place. 台人社发〔2021〕17号 三(二)6: 取得优异名次 (一、二、三等奖) → one skill
    level above the level held in the competition's occupation on the day (none held, or 高级技师
    already: no promotion)."""
    _require_manager(actor, competition.jurisdiction_id)
    _in_jurisdiction(person, competition.jurisdiction_id, "选手")
    if rank < 1:
        raise DomainError("invalid_rank", "名次应为不小于 1 的整数")
    if CompetitionResult.objects.filter(competition=competition, person=person).exists():
        raise DomainError("duplicate_result", f"{person.name}已有本竞赛的成绩")
    level_before = highest_level(person, competition.occupation, competition.held_on)
    promoted_to = None
    if rank in PROMOTION_RANKS and level_before is not None:
        promoted_to = SkillLevel.objects.filter(rank__gt=level_before.rank).order_by("rank").first()
    result = CompetitionResult(
        competition=competition,
        person=person,
        rank=rank,
        result_label=result_label.strip(),
        level_before=level_before,
        promoted_to=promoted_to,
    )
    validated(result)
    result.save()
    record_create(
        result,
        actor=actor,
        event_type="competition_result_recorded",
        jurisdiction_id=competition.jurisdiction_id,
    )
    return result


@transaction.atomic
def studio_create(
    *,
    actor: Any,
    jurisdiction: Jurisdiction,
    name: str,
    level: str,
    enterprise: Enterprise,
    master: Person,
    occupation: Occupation,
    recognised_on: dt.date,
) -> MasterStudio:
    _require_manager(actor, jurisdiction.pk)
    _check_choice(level, StudioLevel, "工作室级别")
    _in_jurisdiction(enterprise, jurisdiction.pk, "依托单位")
    _in_jurisdiction(master, jurisdiction.pk, "领办技能大师")
    studio = MasterStudio(
        jurisdiction=jurisdiction,
        name=name.strip(),
        level=level,
        enterprise=enterprise,
        master=master,
        occupation=occupation,
        recognised_on=recognised_on,
    )
    validated(studio)
    studio.save()
    record_create(studio, actor=actor, event_type="master_studio_recognised")
    return studio


@transaction.atomic
def studio_assess(
    *, actor: Any, studio: MasterStudio, year: int, result: str, assessed_on: dt.date
) -> StudioAssessment:
    _require_manager(actor, studio.jurisdiction_id)
    _check_choice(result, AssessmentResult, "考核结果")
    if year < studio.recognised_on.year:
        raise DomainError("invalid_year", "考核年度不能早于工作室命名年度")
    if StudioAssessment.objects.filter(studio=studio, year=year).exists():
        raise DomainError("duplicate_assessment", f"该工作室 {year} 年度已有考核结果")
    assessment = StudioAssessment(studio=studio, year=year, result=result, assessed_on=assessed_on)
    validated(assessment)
    assessment.save()
    record_create(
        assessment,
        actor=actor,
        event_type="master_studio_assessed",
        jurisdiction_id=studio.jurisdiction_id,
    )
    return assessment


@transaction.atomic
def title_award(
    *,
    actor: Any,
    person: Person,
    kind: str,
    title_name: str,
    awarded_by: str,
    awarded_on: dt.date,
    enterprise: Enterprise | None = None,
    allowance_months: int | None = None,
) -> TalentTitle:
    """Record a title a person holds: 工匠 (湖州/浙江), 首席技师, 技术能手."""
    _require_manager(actor, person.jurisdiction_id)
    _check_choice(kind, TitleKind, "称号")
    _in_jurisdiction(enterprise, person.jurisdiction_id, "所在企业")
    title = TalentTitle(
        jurisdiction_id=person.jurisdiction_id,
        person=person,
        kind=kind,
        title_name=title_name.strip() or str(TitleKind(kind).label),
        awarded_by=awarded_by.strip(),
        awarded_on=awarded_on,
        enterprise=enterprise if enterprise is not None else person.employer,
        allowance_months=allowance_months,
    )
    validated(title)
    title.save()
    record_create(title, actor=actor, event_type="talent_title_awarded")
    return title


@transaction.atomic
def platform_create(
    *,
    actor: Any,
    jurisdiction: Jurisdiction,
    kind: str,
    level: str,
    name: str,
    recognised_on: dt.date,
    enterprise: Enterprise | None = None,
    institution: Institution | None = None,
) -> TalentPlatform:
    """Record a training base or a demonstration enterprise (with its level and recognition date)."""
    _require_manager(actor, jurisdiction.pk)
    _check_choice(kind, PlatformKind, "类别")
    _check_choice(level, PlatformLevel, "级别")
    if enterprise is None and institution is None:
        raise DomainError("holder_required", "必须指定所属企业或培训机构/院校")
    _in_jurisdiction(enterprise, jurisdiction.pk, "企业")
    _in_jurisdiction(institution, jurisdiction.pk, "培训机构/院校")
    platform = TalentPlatform(
        jurisdiction=jurisdiction,
        kind=kind,
        level=level,
        name=name.strip(),
        enterprise=enterprise,
        institution=institution,
        recognised_on=recognised_on,
    )
    validated(platform)
    platform.save()
    record_create(platform, actor=actor, event_type="talent_platform_recognised")
    return platform
