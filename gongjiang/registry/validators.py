"""Identifiers with check digits, validated with python-stdnum and explained in Chinese.

- Resident ID (GB 11643-1999): 17 digits + check digit (0-9 or X); birth date and sex derived.
  The address code is format-checked only (see resident_id_parse).
- Unified social credit code (GB 32100-2015): 18 characters + check character.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

from gongjiang.core.errors import DomainError


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: dt.date
    sex: str  # "male" / "female"


def resident_id_parse(raw: str) -> ResidentId:
    # NFKC turns full-width digits and Ｘ (typed with a Chinese input method) into ASCII.
    number = ric.compact(unicodedata.normalize("NFKC", raw or "")).upper()
    if len(number) != 18:
        raise DomainError("invalid_id_number", "身份证号应为18位")
    if not number[:17].isascii() or not number[:17].isdigit() or number[17] not in "0123456789X":
        raise DomainError("invalid_id_number", "身份证号格式错误：前17位须为数字，末位为数字或X")
    if number[17] != ric.calc_check_digit(number):
        raise DomainError("invalid_id_number", "身份证号校验位错误")
    try:
        birth = ric.get_birth_date(number)
    except stdnum_errors.ValidationError as exc:
        raise DomainError("invalid_id_number", "身份证号中的出生日期无效") from exc
    if birth > dt.date.today() or birth.year < 1900:  # noqa: DTZ011 - a calendar date, not an instant
        raise DomainError("invalid_id_number", "身份证号中的出生日期无效")
    # The region code is not checked against stdnum's GB 2260 table: it lags behind real
    # re-districting (it rejects 330502 吴兴区), and refusing a real person is worse.
    sex = "male" if int(number[16]) % 2 == 1 else "female"
    return ResidentId(number=number, birth_date=birth, sex=sex)


def resident_id_with_check_digit(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def credit_code_clean(raw: str) -> str:
    code = uscc.compact(raw or "").upper()
    if len(code) != 18:
        raise DomainError("invalid_credit_code", "统一社会信用代码应为18位")
    try:
        uscc.validate(code)
    except stdnum_errors.InvalidChecksum as exc:
        raise DomainError("invalid_credit_code", "统一社会信用代码校验位错误") from exc
    except stdnum_errors.ValidationError as exc:
        raise DomainError("invalid_credit_code", "统一社会信用代码格式错误") from exc
    return code


def credit_code_with_check_digit(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17 + "0")


def phone_clean(raw: str) -> str:
    phone = (raw or "").strip().replace(" ", "").replace("-", "")
    if phone and not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
        raise DomainError("invalid_phone", "手机号应为以1开头的11位数字")
    return phone


def bank_account_clean(raw: str) -> str:
    account = (raw or "").strip().replace(" ", "")
    if account and not (account.isdigit() and 12 <= len(account) <= 30):
        raise DomainError("invalid_bank_account", "银行账号应为12至30位数字")
    return account
