"""Roles and what each may do. Object-level scoping (which rows) lives in each app's selectors."""

from __future__ import annotations

from typing import Any

from .choices import Role

BUREAU_STAFF = frozenset({Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER, Role.FINANCE_OFFICER})
# Roles that read the whole jurisdiction's registry (the auditor read-only).
JURISDICTION_READERS = BUREAU_STAFF | {Role.AUDITOR}
# Roles allowed to see ID numbers, phones and bank accounts unmasked.
PII_ROLES = frozenset({Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER, Role.FINANCE_OFFICER})

CAPABILITIES: dict[str, frozenset[str]] = {
    "registry.read": frozenset(
        JURISDICTION_READERS | {Role.INSTITUTION_CLERK, Role.ENTERPRISE_CLERK, Role.PERSON}
    ),
    "registry.read_enterprises": frozenset(JURISDICTION_READERS | {Role.ENTERPRISE_CLERK}),
    "registry.read_institutions": frozenset(JURISDICTION_READERS | {Role.INSTITUTION_CLERK}),
    "registry.read_teachers": frozenset(JURISDICTION_READERS | {Role.INSTITUTION_CLERK}),
    "registry.manage": frozenset({Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER}),
    "registry.manage_person": frozenset({Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER, Role.INSTITUTION_CLERK}),
    "registry.set_list_state": frozenset({Role.BUREAU_ADMIN}),
    "catalog.read": frozenset(Role),
    "catalog.manage": frozenset({Role.BUREAU_ADMIN}),
    "policy.quote": frozenset(Role),
    "policy.simulate": frozenset({Role.BUREAU_ADMIN}),
    "audit.read": frozenset({Role.AUDITOR, Role.BUREAU_ADMIN}),
    # Training lifecycle (新民社发〔2025〕13号 附件2): which rows each role sees is in training.selectors.
    "training.read": frozenset(JURISDICTION_READERS | {Role.INSTITUTION_CLERK}),
    "training.file": frozenset({Role.INSTITUTION_CLERK, Role.BUREAU_ADMIN}),
    "training.review": frozenset({Role.CENTRE_REVIEWER, Role.BUREAU_ADMIN}),
    "training.devices": frozenset({Role.INSTITUTION_CLERK, Role.BUREAU_ADMIN}),
    "training.number_ranges": frozenset({Role.CENTRE_REVIEWER, Role.BUREAU_ADMIN}),
    "training.number_ranges_approve": frozenset({Role.BUREAU_ADMIN}),
    "training.kpi": frozenset(JURISDICTION_READERS | {Role.INSTITUTION_CLERK}),
    "training.list_decide": frozenset({Role.BUREAU_ADMIN}),
    # Targets and progress (新民社发〔2025〕13号 附件1): clerks see only their own institution's figures
    # (targets.selectors.scope_for); the monthly report and the recipient list are for bureau staff.
    "targets.read": frozenset(JURISDICTION_READERS | {Role.INSTITUTION_CLERK}),
    "targets.report": frozenset(JURISDICTION_READERS),
    "targets.manage": frozenset({Role.BUREAU_ADMIN}),
    # Funds (新民社发〔2025〕13号 附件2 第四章): applicants see their own applications
    # (funds.selectors.application_list); the two-person rule is in funds.services.batch_approve.
    "funds.read": frozenset(
        JURISDICTION_READERS | {Role.INSTITUTION_CLERK, Role.ENTERPRISE_CLERK, Role.PERSON}
    ),
    "funds.apply": frozenset(
        {Role.INSTITUTION_CLERK, Role.ENTERPRISE_CLERK, Role.PERSON, Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER}
    ),
    "funds.review": frozenset({Role.CENTRE_REVIEWER, Role.BUREAU_ADMIN}),
    "funds.pay": frozenset({Role.FINANCE_OFFICER, Role.BUREAU_ADMIN}),
    "funds.report": frozenset(JURISDICTION_READERS),
    "funds.manage": frozenset({Role.BUREAU_ADMIN}),
    # Skilled-talent survey and database (台人社发〔2021〕17号 措施7, issue 7): bureau staff and the
    # auditor read the rounds, aggregates, talent database and records of the whole jurisdiction; an
    # enterprise clerk answers the survey for their own enterprise only (talent.selectors); a bureau
    # admin opens and closes rounds, imports paper rounds, decides shortage proposals, keeps records.
    "talent.read": frozenset(JURISDICTION_READERS),
    "talent.respond": frozenset({Role.ENTERPRISE_CLERK}),
    "talent.manage": frozenset({Role.BUREAU_ADMIN}),
    "calendar.manage": frozenset({Role.BUREAU_ADMIN}),
    "users.manage": frozenset({Role.BUREAU_ADMIN}),
    # Unmask one record's identifiers, stating a purpose each time (audited). Lists and exports
    # stay masked for every role.
    "pii.reveal": PII_ROLES,
    "reports.run": frozenset({Role.AUDITOR, Role.BUREAU_ADMIN}),
}


def role_of(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "role", None) or None


def has_capability(user: Any, capability: str) -> bool:
    role = role_of(user)
    return role is not None and role in CAPABILITIES[capability]


def can_see_pii(user: Any) -> bool:
    """May this role unmask identifiers (one record at a time, with a stated purpose)?"""
    return role_of(user) in PII_ROLES


def jurisdiction_ids(user: Any) -> list[int]:
    if role_of(user) is None:
        return []
    cached = getattr(user, "_jurisdiction_ids", None)
    if cached is None:
        cached = list(user.jurisdictions.values_list("id", flat=True))
        user._jurisdiction_ids = cached
    return cached


def require(user: Any, capability: str) -> None:
    """Raise the domain PermissionDenied unless the user's role has the capability."""
    from .errors import PermissionDenied

    if not has_capability(user, capability):
        raise PermissionDenied()


def require_jurisdiction(user: Any, jurisdiction_id: int | None) -> None:
    from .errors import PermissionDenied

    if jurisdiction_id not in jurisdiction_ids(user):
        raise PermissionDenied("该记录不在您的辖区内")
