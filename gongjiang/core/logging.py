"""Structured logs for production: one JSON object per line on stdout, with no personal data.

`JsonFormatter` writes time, level, logger, message and the request's method, path and status when
Django attaches them (never the query string, which may hold a searched ID number). `RedactFilter`
is the second line of defence: it masks anything in a message that looks like a resident ID, a
mobile number or a bank-card number before any handler sees it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any

# 18-character resident IDs (last may be X), 15-digit old IDs, 16–19 digit card numbers, and
# 11-digit mainland mobile numbers, each not part of a longer run of digits.
_ID_OR_CARD = re.compile(r"(?<![0-9])(\d{17}[\dXx]|\d{15,19})(?![0-9Xx])")
_PHONE = re.compile(r"(?<![0-9])(1[3-9]\d{9})(?![0-9])")


def redact(text: str) -> str:
    text = _ID_OR_CARD.sub(lambda m: m.group(1)[:4] + "*" * (len(m.group(1)) - 8) + m.group(1)[-4:], text)
    return _PHONE.sub(lambda m: m.group(1)[:3] + "****" + m.group(1)[-4:], text)


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call must not take the request down
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            payload["method"] = getattr(request, "method", "")
            payload["path"] = request.path
        status = getattr(record, "status_code", None)
        if status is not None:
            payload["status"] = status
        if record.exc_info:
            payload["exc"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            payload["exc"] = record.exc_text
        return json.dumps(payload, ensure_ascii=False)
