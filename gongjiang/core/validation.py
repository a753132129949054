"""Model validation for services: Django's field errors as one Chinese domain error."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from .errors import DomainError


def validated(instance: Any) -> None:
    """`full_clean()`, raising DomainError("invalid", "字段：原因；…") with the fields' Chinese labels."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        parts = []
        for field_name, messages in exc.message_dict.items():
            label = field_name
            if field_name != "__all__":
                label = str(instance._meta.get_field(field_name).verbose_name)
            parts.append(f"{label}：{'；'.join(messages)}")
        raise DomainError("invalid", "；".join(parts), details=exc.message_dict) from exc
