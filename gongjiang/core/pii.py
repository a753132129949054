"""Personal data at rest and on screen.

Resident ID numbers, phones and bank accounts are stored encrypted (Fernet, key GONGJIANG_FIELD_KEY),
found by a keyed hash (HMAC-SHA256, key GONGJIANG_ID_HASH_KEY), and shown masked to every role not
allowed to see them: ID `620102********1234`, phone `138****5678`, bank account by its last 4 digits.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _hash_key() -> bytes:
    key = settings.GONGJIANG_ID_HASH_KEY
    if not key:
        raise ImproperlyConfigured("GONGJIANG_ID_HASH_KEY 未配置：请先运行 make demo 或设置环境变量")
    return key.encode()


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    if not key:
        raise ImproperlyConfigured("GONGJIANG_FIELD_KEY 未配置：请先运行 make demo 或设置环境变量")
    return Fernet(key.encode())


def keyed_hash(value: str) -> str:
    return hmac.new(_hash_key(), value.strip().upper().encode(), hashlib.sha256).hexdigest()


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _fernet(settings.GONGJIANG_FIELD_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    return _fernet(settings.GONGJIANG_FIELD_KEY).decrypt(token.encode()).decode()


def mask_id_number(value: str) -> str:
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_bank_account(value: str) -> str:
    if not value:
        return ""
    return "****" + value[-4:]


def reveal_purpose_text(purpose: str, note: str) -> str:
    """Check a stated purpose for unmasking (a `RevealPurpose` value, and a note for "other");
    return the text kept in the audit trail. Raises DomainError with a Chinese message."""
    from .choices import RevealPurpose
    from .errors import DomainError

    note = (note or "").strip()
    if purpose not in RevealPurpose.values:
        raise DomainError("purpose_required", "查看完整信息前必须选择查看目的")
    if purpose == RevealPurpose.OTHER and len(note) < 4:
        raise DomainError("purpose_note_required", "选择“其他”时须写明具体目的（至少4个字）")
    if len(note) > 200:
        raise DomainError("purpose_note_too_long", "目的说明不能超过200个字")
    label = str(RevealPurpose(purpose).label)
    return f"{label}：{note}" if note else label


def mask_name(value: str) -> str:
    """A person's name for public pages: the first character kept, the rest starred (张三 → 张*)."""
    value = value.strip()
    if len(value) < 2:
        return "*" * len(value)
    return value[0] + "*" * (len(value) - 1)
