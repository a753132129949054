"""Password rules beyond Django's (OWASP ASVS 5.0 §6.2): a generous maximum, and no words of this
system. There are no composition rules (no "must contain a digit"): length and the breached-list
check do the work, and long passphrases of any characters are welcome."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

# Words an attacker tries first against this system (ASVS 6.2.11: context-specific words).
CONTEXT_WORDS = (
    "gongjiang",
    "工匠",
    "renshe",
    "rensheju",
    "人社",
    "lanzhou",
    "xinqu",
    "兰州新区",
    "password",
    "mima",
    "密码",
    "admin",
    "qwerty",
)


class MaximumLengthValidator:
    """Long enough for passphrases (ASVS asks for at least 64), short enough to bound hashing work."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(f"密码不能超过 {self.max_length} 个字符。", code="password_too_long")

    def get_help_text(self) -> str:
        return f"密码最多 {self.max_length} 个字符，可使用空格和中文组成的长句。"


class ContextWordsValidator:
    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.lower().replace(" ", "")
        for word in CONTEXT_WORDS:
            if word in lowered and len(lowered) - len(word) < 8:
                raise ValidationError(
                    "密码主要由本系统或单位相关的常见词组成，容易被猜中，请换一个。", code="password_context"
                )

    def get_help_text(self) -> str:
        return "密码不能主要由本系统或单位相关的常见词（如系统名、单位名、“password”）组成。"
