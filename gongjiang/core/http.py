"""Small helpers the apps' page views share: a domain refusal as a 403, a capability check, and an
Excel download."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .errors import PermissionDenied as DomainPermissionDenied
from .permissions import has_capability

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def domain_denial_is_403(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A selector's or service's domain PermissionDenied becomes Django's (403), after `login_required`."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainPermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc

    return wrapper


def require_capability(request: HttpRequest, capability: str) -> None:
    if not has_capability(request.user, capability):
        raise PermissionDenied


def xlsx_download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
