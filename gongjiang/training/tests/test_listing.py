"""The black/white list (黑白名单管理制度, 新民社发〔2025〕13号 四(三)、五(三)): the rule set as data,
proposals from KPIs and findings, the bureau's decision, and the list factor in the policy engine."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.core.models import AuditEvent
from gongjiang.registry.models import InstitutionListChange
from gongjiang.registry.services import institution_set_list_state
from gongjiang.training.choices import ProposalStatus, SpotCheckMode, SpotCheckOutcome
from gongjiang.training.list_rules import load_rules, parse_rules
from gongjiang.training.models import ListChangeProposal, SpotCheck, TrainingClass
from gongjiang.training.prechecks import roster_prechecks
from gongjiang.training.services import listing

from .factories import LATE, approved_class, certify, closed_class, draft_class, employ, promote, ready_class

pytestmark = pytest.mark.django_db


def good_class(tw, closed_on):
    """A class that meets every 3.3 requirement: 1 qualified trainee certified and employed
    (100% ≥ 40% and ≥ 50%), 3 就业推介 — all before the deadline."""
    training_class = closed_class(tw, closed_on=closed_on, qualified=1)
    enrolment = training_class.enrolments.get()
    certify(tw, enrolment, issued_on=closed_on + dt.timedelta(days=10))
    employ(tw, enrolment, started_on=closed_on + dt.timedelta(days=10))
    for n in range(3):
        promote(tw, training_class, held_on=closed_on + dt.timedelta(days=n + 1))
    return training_class


def generate(tw, today=LATE):
    return listing.list_proposals_generate(actor=tw.root, jurisdiction=tw.jurisdiction, today=today)


def test_the_rule_set_cites_its_sources_and_uses_the_documents_figures():
    # given the rule set shipped in gongjiang/training/list_rules.yaml
    rules = load_rules()
    # then every rule has a reference and an interpretation, and the two figures the documents give
    # are there: 取证率 40%, 就业率 50% (附件2 3.3, 四(三))
    assert rules.citation.startswith("新民社发〔2025〕13号 四(三)")
    assert all(rule.reference and rule.interpretation for rule in rules.rules)
    qualifies = next(rule for rule in rules.rules if rule.id == "white_qualifies")
    figures = {c.metric: c.value for c in qualifies.conditions}
    assert figures["certification_rate"] == Decimal("0.40")
    assert figures["employment_rate"] == Decimal("0.50")
    # and black-list rules come first (a serious finding outranks good rates)
    assert [rule.to for rule in rules.rules][:3] == ["black", "black", "black"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("citation: x\n", "顶层"),
        (
            "citation: x\nwindow_months: 12\nwindow_interpretation: y\nrules:\n"
            "  - {id: a, label: b, from: [normal], to: white, when: {all: [{metric: nope, op: '>=', value: 1}]},"
            " reference: r, interpretation: i}\n",
            "指标 nope 未定义",
        ),
        (
            "citation: x\nwindow_months: 12\nwindow_interpretation: y\nrules:\n"
            "  - {id: a, label: b, from: [normal], to: white, when: {all: [{metric: anomalies, op: '>=', value: 1}]},"
            " reference: r, interpretation: ''}\n",
            "依据",
        ),
        (
            "citation: x\nwindow_months: 12\nwindow_interpretation: y\nrules:\n"
            "  - {id: a, label: b, from: [normal], to: grey, when: {all: [{metric: anomalies, op: '>=', value: 1}]},"
            " reference: r, interpretation: i}\n",
            "名单状态无效",
        ),
    ],
)
def test_a_malformed_rule_file_is_refused_with_a_clear_message(text, fragment):
    with pytest.raises(DomainError) as exc:
        parse_rules(text)
    assert fragment in exc.value.message


def test_good_rates_propose_the_white_list_and_accepting_moves_the_institution(tw):
    # given two classes of institution A whose follow-up met every goal, read on 2025-10-08
    good_class(tw, dt.date(2025, 6, 30))
    good_class(tw, dt.date(2025, 5, 15))
    # when the rules are run
    [proposal] = generate(tw)
    # then A is proposed for the white list by rule white_qualifies, with the metrics it read
    assert (proposal.institution, proposal.current_state, proposal.proposed_state) == (
        tw.institution_a,
        "normal",
        "white",
    )
    assert proposal.rules[0]["id"] == "white_qualifies"
    assert proposal.metrics["certification_rate"] == "1"
    assert proposal.metrics["classes_final"] == 2
    # and running again proposes nothing more while it is pending
    assert generate(tw) == []
    # when the bureau admin accepts it with a reason
    before = AuditEvent.objects.count()
    listing.list_proposal_accept(actor=tw.root, proposal=proposal, reason="两期取证就业均达标")
    # then the institution is white-listed, with history and audit rows
    tw.institution_a.refresh_from_db()
    proposal.refresh_from_db()
    assert tw.institution_a.list_state == "white"
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.decision_reason == "两期取证就业均达标"
    change = InstitutionListChange.objects.get(institution=tw.institution_a)
    assert (change.from_state, change.to_state) == ("normal", "white")
    assert f"#{proposal.pk}" in change.reason
    assert AuditEvent.objects.count() - before == 2  # the list state, and the proposal's decision
    # and a decided proposal cannot be decided again
    with pytest.raises(DomainError) as exc:
        listing.list_proposal_decline(actor=tw.root, proposal=proposal, reason="再议")
    assert exc.value.code == "already_decided"


def test_a_serious_finding_proposes_the_black_list_and_then_filing_is_refused(tw):
    # given one class of A with good rates but a spot check concluded "严重违规" (五(三))
    training_class = good_class(tw, dt.date(2025, 6, 30))
    SpotCheck.objects.create(
        training_class=training_class,
        checked_on=training_class.start_date,
        mode=SpotCheckMode.ON_SITE,
        present_count=0,
        findings="现场无学员，签到记录与实际不符",
        outcome=SpotCheckOutcome.SERIOUS,
        reviewer=tw.reviewer,
    )
    # when the rules are run, then black_serious_finding wins over the good rates
    [proposal] = generate(tw)
    assert (proposal.proposed_state, proposal.rules[0]["id"]) == ("black", "black_serious_finding")
    # when accepted
    listing.list_proposal_accept(actor=tw.root, proposal=proposal, reason="抽查严重违规，列入黑名单")
    # then A may no longer file a class (附件2 3.1; filing._check_institution)
    tw.institution_a.refresh_from_db()
    assert tw.institution_a.list_state == "black"
    with pytest.raises(DomainError) as exc:
        draft_class(tw)
    assert exc.value.code == "institution_blacklisted"


def test_a_finding_on_a_running_class_counts_before_it_closes(tw):
    # given a class of A that is still running, with a spot check concluded "严重违规" on its first day
    training_class = approved_class(tw, trainees=1)
    SpotCheck.objects.create(
        training_class=training_class,
        checked_on=training_class.start_date,
        mode=SpotCheckMode.ONLINE,
        present_count=0,
        findings="视频抽查无人上课",
        outcome=SpotCheckOutcome.SERIOUS,
        reviewer=tw.reviewer,
    )
    # when the rules run that day, then A is proposed for the black list though no class has closed
    [proposal] = generate(tw, today=training_class.start_date)
    assert (proposal.institution, proposal.proposed_state) == (tw.institution_a, "black")
    assert (proposal.metrics["serious_findings"], proposal.metrics["classes_closed"]) == (1, 0)


def test_declining_needs_a_reason_and_changes_nothing(tw):
    # given a pending proposal
    good_class(tw, dt.date(2025, 6, 30))
    good_class(tw, dt.date(2025, 5, 15))
    [proposal] = generate(tw)
    # when declined without a reason, then refused
    with pytest.raises(DomainError) as exc:
        listing.list_proposal_decline(actor=tw.root, proposal=proposal, reason="  ")
    assert exc.value.code == "reason_required"
    # when declined with one, then recorded and the institution stays normal
    listing.list_proposal_decline(actor=tw.root, proposal=proposal, reason="待年度评估后再定")
    proposal.refresh_from_db()
    tw.institution_a.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED and proposal.decided_by == tw.root
    assert tw.institution_a.list_state == "normal"


def test_a_proposal_overtaken_by_a_manual_change_cannot_be_accepted(tw):
    # given a pending normal→white proposal, then the admin black-lists A directly in the registry
    good_class(tw, dt.date(2025, 6, 30))
    good_class(tw, dt.date(2025, 5, 15))
    [proposal] = generate(tw)
    institution_set_list_state(actor=tw.root, institution=tw.institution_a, state="black", reason="举报查实")
    # when the stale proposal is accepted, then refused and nothing changes
    with pytest.raises(DomainError) as exc:
        listing.list_proposal_accept(actor=tw.root, proposal=proposal, reason="达标")
    assert exc.value.code == "list_state_changed"
    tw.institution_a.refresh_from_db()
    assert tw.institution_a.list_state == "black"


def test_only_the_bureau_admin_runs_and_decides(tw):
    good_class(tw, dt.date(2025, 6, 30))
    good_class(tw, dt.date(2025, 5, 15))
    for role in ("centre_reviewer", "institution_clerk", "auditor"):
        with pytest.raises(PermissionDenied):
            listing.list_proposals_generate(actor=tw.users[role], jurisdiction=tw.jurisdiction, today=LATE)
    [proposal] = generate(tw)
    with pytest.raises(PermissionDenied):
        listing.list_proposal_accept(actor=tw.reviewer, proposal=proposal, reason="x")
    assert ListChangeProposal.objects.get().status == ProposalStatus.PENDING


def test_classes_outside_the_window_are_not_read(tw):
    # given good classes closed in 2025 but the rules run on 2026-12-01 (window: 12 months)
    good_class(tw, dt.date(2025, 6, 30))
    good_class(tw, dt.date(2025, 5, 15))
    # then nothing is proposed
    assert generate(tw, today=dt.date(2026, 12, 1)) == []


@pytest.mark.parametrize("state", ["white", "normal", "black"])
def test_the_list_state_reaches_the_engine_and_the_factor_is_pending(tw, state):
    # given a 焊工 (A类) class of 15 days for a rural trainee, filed by institution A, which is then
    # put in `state` (a black-listed institution files no new class, but its existing drafts are
    # still pre-checked)
    training_class = ready_class(tw, trainees=1)
    if state != "normal":
        institution_set_list_state(actor=tw.root, institution=tw.institution_a, state=state, reason="测试")
    training_class = TrainingClass.objects.get(pk=training_class.pk)
    # when pre-checked (the facts the quote receives carry institution_list_state)
    [result] = roster_prechecks(training_class).values()
    # then 四(三) 差异化补贴 is applied with factor 1 — the documents give no figure, so the trace says
    # it is pending — and the amount is unchanged: 附件3 A类 1500 × 1 + 备注1 30 × 15 = 1950.00
    label = {"white": "白名单", "normal": "未列入黑白名单", "black": "黑名单"}[state]
    steps = [step["step"] for step in result["trace"]]
    assert f"机构名单系数（{label}）×1（文件未定，待局方确定）" in steps
    assert result["amount"] == "1950.00"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_admins_deciding_at_once_decide_once(tw):
    # given a pending proposal, and two decisions (accept and decline) released together by a barrier,
    # each from its own thread and database connection
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    proposal = ListChangeProposal.objects.create(
        institution=tw.institution_a, current_state="normal", proposed_state="white", rules=[], metrics={}
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(service, reason):
        try:
            barrier.wait()
            service(actor=tw.root, proposal=proposal, reason=reason)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(listing.list_proposal_accept, "达标")),
        threading.Thread(target=decide, args=(listing.list_proposal_decline, "再议")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then exactly one decision stands, the other is refused as already decided
    assert sorted(outcomes) == ["already_decided", "ok"]
    proposal.refresh_from_db()
    tw.institution_a.refresh_from_db()
    changes = InstitutionListChange.objects.filter(institution=tw.institution_a).count()
    if proposal.status == ProposalStatus.ACCEPTED:
        assert (tw.institution_a.list_state, changes) == ("white", 1)
    else:
        assert (tw.institution_a.list_state, changes) == ("normal", 0)
