"""Who may act on a class: the institution's side (its clerk, or a bureau admin acting for it) and
the reviewing side (a reviewer of the class's unit, or a bureau admin)."""

from __future__ import annotations

from typing import Any

from gongjiang.core.choices import Role
from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.core.permissions import require, require_jurisdiction, role_of

from .choices import ClassStatus
from .models import TrainingClass

EDITABLE = frozenset({ClassStatus.DRAFT, ClassStatus.RETURNED})


def require_institution_side(actor: Any, training_class: TrainingClass) -> None:
    """The institution's own clerk, or a bureau admin acting for it."""
    require(actor, "training.file")
    require_jurisdiction(actor, training_class.jurisdiction_id)
    if role_of(actor) == Role.INSTITUTION_CLERK and actor.institution_id != training_class.institution_id:
        raise PermissionDenied("只能办理本机构的培训班")


def require_reviewer_of(actor: Any, training_class: TrainingClass) -> None:
    """A reviewer of the class's unit (a reviewer with no unit, or a bureau admin, reviews any)."""
    require(actor, "training.review")
    require_jurisdiction(actor, training_class.jurisdiction_id)
    unit = getattr(actor, "service_unit_id", None)
    if role_of(actor) == Role.CENTRE_REVIEWER and unit and unit != training_class.service_unit_id:
        raise PermissionDenied("该培训班不由您所在单位审核")


def require_editable(training_class: TrainingClass) -> None:
    if training_class.status not in EDITABLE:
        raise DomainError(
            "not_editable", f"培训班当前状态为“{training_class.get_status_display()}”，不能修改备案内容"
        )
