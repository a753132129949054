"""The black/white list (黑白名单管理制度, 新民社发〔2025〕13号 四(三)、五(三)).

`list_proposals_generate` evaluates the rule set (list_rules.yaml) on each institution's KPIs over
the rule set's window and records a `ListChangeProposal` where a rule calls for a different state;
the bureau admin then accepts (the institution's list state changes through
`registry.services.institution_set_list_state`, with its history and audit row) or declines, with a
reason either way. A black-listed institution cannot file classes (`filing._check_institution`);
the list state reaches the policy engine as the `institution_list_state` fact (`policy_link`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from gongjiang.core.audit import audit_record, record_create, record_update, snapshot
from gongjiang.core.errors import DomainError
from gongjiang.core.models import Jurisdiction
from gongjiang.core.permissions import require, require_jurisdiction
from gongjiang.core.validation import validated
from gongjiang.registry.choices import FilingStatus
from gongjiang.registry.models import Institution
from gongjiang.registry.services import institution_set_list_state

from ..choices import AnomalyStatus, ProposalStatus, SpotCheckOutcome
from ..kpis import InstitutionKpi, add_calendar_months, closed_classes, institution_kpis, kpis_for_classes
from ..list_rules import load_rules
from ..models import AnomalyFlag, ListChangeProposal, SpotCheck, TrainingClass


def _findings(jurisdiction: Jurisdiction, *, since: dt.date, today: dt.date) -> dict[int, dict[str, int]]:
    """Per institution: spot checks concluded 严重违规 and attendance anomalies confirmed as
    violations, dated inside the window (附件2 3.2 抽查; 五(三) 对发现问题……)."""
    found: dict[int, dict[str, int]] = defaultdict(lambda: {"serious_findings": 0, "anomalies_confirmed": 0})
    serious = (
        SpotCheck.objects.filter(
            training_class__jurisdiction=jurisdiction,
            outcome=SpotCheckOutcome.SERIOUS,
            checked_on__gt=since,
            checked_on__lte=today,
        )
        .values_list("training_class__institution_id")
        .annotate(n=Count("id"))
        .values_list("training_class__institution_id", "n")
    )
    for institution_id, n in serious:
        found[institution_id]["serious_findings"] = n
    confirmed = (
        AnomalyFlag.objects.filter(
            training_class__jurisdiction=jurisdiction,
            status=AnomalyStatus.CONFIRMED,
            day__gt=since,
            day__lte=today,
        )
        .values_list("training_class__institution_id")
        .annotate(n=Count("id"))
        .values_list("training_class__institution_id", "n")
    )
    for institution_id, n in confirmed:
        found[institution_id]["anomalies_confirmed"] = n
    return dict(found)


def _jsonable(metrics: dict[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in metrics.items()}


@transaction.atomic
def list_proposals_generate(
    *, actor: Any, jurisdiction: Jurisdiction, today: dt.date | None = None
) -> list[ListChangeProposal]:
    """Run the rule set over the jurisdiction's institutions; one proposal per institution whose
    rules call for another state and that has no proposal pending yet."""
    require(actor, "training.list_decide")
    require_jurisdiction(actor, jurisdiction.pk)
    today = today or timezone.localdate()
    rules = load_rules()
    since = add_calendar_months(today, -rules.window_months)
    classes = closed_classes(TrainingClass.objects.filter(jurisdiction=jurisdiction)).filter(
        closed_on__gt=since, closed_on__lte=today
    )
    by_institution = {k.institution.pk: k for k in institution_kpis(kpis_for_classes(classes, today=today))}
    findings = _findings(jurisdiction, since=since, today=today)
    pending = set(
        ListChangeProposal.objects.filter(status=ProposalStatus.PENDING).values_list(
            "institution_id", flat=True
        )
    )
    institutions = Institution.objects.filter(
        jurisdiction=jurisdiction, is_deleted=False, filing_status=FilingStatus.FILED
    ).order_by("id")
    created = []
    for institution in institutions:
        if institution.pk in pending:
            continue
        metrics = (by_institution.get(institution.pk) or InstitutionKpi(institution)).metrics()
        # Findings count by their own date, whether or not their class has closed yet.
        metrics.update(findings.get(institution.pk, {"serious_findings": 0, "anomalies_confirmed": 0}))
        if not metrics["classes_closed"] and not any(findings.get(institution.pk, {}).values()):
            continue
        rule = rules.evaluate(institution.list_state, metrics)
        if rule is None:
            continue
        proposal = ListChangeProposal(
            institution=institution,
            current_state=institution.list_state,
            proposed_state=rule.to,
            rules=[
                {
                    "id": rule.id,
                    "label": rule.label,
                    "reference": rule.reference,
                    "interpretation": rule.interpretation,
                }
            ],
            metrics={**_jsonable(metrics), "as_of": today.isoformat(), "window_from": since.isoformat()},
        )
        validated(proposal)
        proposal.save()
        record_create(
            proposal,
            actor=actor,
            event_type="list_change_proposed",
            jurisdiction_id=jurisdiction.pk,
        )
        created.append(proposal)
    audit_record(
        actor=actor,
        obj=jurisdiction,
        action="update",
        event_type="list_rules_evaluated",
        after={"as_of": today.isoformat(), "proposals": [p.pk for p in created]},
        jurisdiction_id=jurisdiction.pk,
    )
    return created


def _decidable(actor: Any, proposal: ListChangeProposal, reason: str) -> tuple[ListChangeProposal, str]:
    require(actor, "training.list_decide")
    locked = ListChangeProposal.objects.select_for_update().select_related("institution").get(pk=proposal.pk)
    require_jurisdiction(actor, locked.institution.jurisdiction_id)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", "采纳或不采纳名单调整建议都须填写理由")
    if locked.status != ProposalStatus.PENDING:
        raise DomainError("already_decided", f"该建议已{locked.get_status_display()}，不能再次决定")
    return locked, reason


def _decide(locked: ListChangeProposal, *, actor: Any, status: str, reason: str) -> ListChangeProposal:
    before = snapshot(locked)
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_reason = reason[:300]
    locked.save()
    record_update(
        locked, before, actor=actor, event_type=f"list_change_{status}", reason=reason, action="transition"
    )
    return locked


@transaction.atomic
def list_proposal_accept(*, actor: Any, proposal: ListChangeProposal, reason: str) -> ListChangeProposal:
    """Accept: the institution moves to the proposed list state (history + audit in registry)."""
    locked, reason = _decidable(actor, proposal, reason)
    institution = Institution.objects.select_for_update().get(pk=locked.institution_id)
    if institution.list_state != locked.current_state:
        raise DomainError(
            "list_state_changed",
            f"{institution.name}的名单状态已变为“{institution.get_list_state_display()}”，该建议已过时，请不采纳后重新评估",
        )
    institution_set_list_state(
        actor=actor,
        institution=institution,
        state=locked.proposed_state,
        reason=f"采纳名单调整建议 #{locked.pk}：{reason}"[:200],
    )
    return _decide(locked, actor=actor, status=ProposalStatus.ACCEPTED, reason=reason)


@transaction.atomic
def list_proposal_decline(*, actor: Any, proposal: ListChangeProposal, reason: str) -> ListChangeProposal:
    locked, reason = _decidable(actor, proposal, reason)
    return _decide(locked, actor=actor, status=ProposalStatus.DECLINED, reason=reason)
