"""Test helpers for the second factor: seed a confirmed device with a known secret, derive codes."""

from __future__ import annotations

import pyotp
from django.utils import timezone

from gongjiang.core.models import TotpDevice
from gongjiang.core.pii import encrypt

# A fixed base32 secret for tests only (never a real user's).
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def seed_device(user, secret: str = SECRET) -> TotpDevice:
    return TotpDevice.objects.create(
        user=user, secret_encrypted=encrypt(secret), confirmed_at=timezone.now(), last_step=0
    )


def code(secret: str = SECRET, *, steps_ahead: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.at(timezone.now().timestamp() + 30 * steps_ahead)
