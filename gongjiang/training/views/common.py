"""What every class page shares: the class (scoped), its tabs, and turning domain errors into
messages. Views only call services and selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongjiang.core.errors import DomainError, ImportRejected
from gongjiang.core.errors import PermissionDenied as DomainPermissionDenied
from gongjiang.core.permissions import has_capability

from ..models import TrainingClass
from ..navigation import class_tabs
from ..selectors import class_get


def require_capability(request: HttpRequest, capability: str) -> None:
    if not has_capability(request.user, capability):
        raise PermissionDenied


def scoped_class(request: HttpRequest, pk: int) -> TrainingClass:
    require_capability(request, "training.read")
    return class_get(request.user, pk)


def render_class_page(
    request: HttpRequest, training_class: TrainingClass, tab: str, template: str, context: dict[str, Any]
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "training_class": training_class,
            "class_tabs": class_tabs(request.user, training_class, tab),
            **context,
        },
    )


def run_action(request: HttpRequest, action: Any, success: str, back: str) -> HttpResponse:
    """Run a service call; on a domain error show its Chinese message. Always back to `back`."""
    try:
        action()
    except DomainPermissionDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except ImportRejected:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect(back)
