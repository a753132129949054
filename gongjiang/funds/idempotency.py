"""Idempotency keys for money-changing API writes.

The client sends `Idempotency-Key: <its own unique string>`. The first successful answer is kept
with a hash of the operation and body; a replay with the same key and body returns that answer
without running again, and the same key with another body is refused. Two simultaneous requests
with one key: both may run, but only one can insert the key row (unique), and the other's whole
transaction — its writes included — is rolled back, then answered with the first result.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from gongjiang.core.audit import to_jsonable
from gongjiang.core.errors import DomainError

from .models import IdempotencyKey

HEADER = "Idempotency-Key"


def _digest(operation: str, body: Any) -> str:
    text = json.dumps({"operation": operation, "body": to_jsonable(body)}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _replay(user: Any, key: str, operation: str, digest: str) -> tuple[int, Any] | None:
    found = IdempotencyKey.objects.filter(user=user, key=key).first()
    if found is None:
        return None
    if found.operation != operation or found.request_hash != digest:
        raise DomainError("idempotency_key_reused", "该幂等键已用于另一个请求，请为新请求使用新的幂等键")
    return found.status_code, found.response


def run_once(
    *, user: Any, key: str | None, operation: str, body: Any, run: Callable[[], tuple[int, Any]]
) -> tuple[int, Any]:
    """Run `run` once per (user, key); `run` returns (status, JSON-able answer)."""
    key = (key or "").strip()
    if not key or len(key) > 80:
        raise DomainError("idempotency_key_required", f"改变资金的写操作须带 {HEADER} 请求头（1–80 个字符）")
    digest = _digest(operation, body)
    replay = _replay(user, key, operation, digest)
    if replay is not None:
        return replay
    try:
        with transaction.atomic():
            status, answer = run()
            answer = to_jsonable(answer)
            IdempotencyKey.objects.create(
                user=user,
                key=key,
                operation=operation,
                request_hash=digest,
                status_code=status,
                response=answer,
            )
    except IntegrityError:
        replay = _replay(user, key, operation, digest)
        if replay is None:
            raise
        return replay
    return status, answer
