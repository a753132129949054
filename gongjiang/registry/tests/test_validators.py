"""Resident IDs (GB 11643) and credit codes (GB 32100) are checked before anything is stored."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongjiang.core.errors import DomainError
from gongjiang.registry.validators import (
    bank_account_clean,
    credit_code_clean,
    credit_code_with_check_digit,
    phone_clean,
    resident_id_parse,
    resident_id_with_check_digit,
)


def test_known_valid_id_gives_birth_date_and_sex():
    # given the worked example of GB 11643: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over
    # 11010519491231002, sum mod 11 = 2 → check character X
    parsed = resident_id_parse("11010519491231002x")
    # then
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.sex == "female"  # 17th digit 2 is even


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("110105194912310021", "校验位错误"),
        ("11010519491231002", "18位"),
        ("1101051949123100AX", "格式错误"),
        (resident_id_with_check_digit("11010519491331002"), "出生日期无效"),
    ],
)
def test_invalid_ids_are_refused_in_chinese(raw, message):
    with pytest.raises(DomainError, match=message) as caught:
        resident_id_parse(raw)
    assert caught.value.code == "invalid_id_number"


def test_full_width_digits_are_normalised():
    number = resident_id_with_check_digit("11010519491231002")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert resident_id_parse(full_width).number == number


@given(st.from_regex(r"\A620102(19[5-9][0-9]|200[0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}\Z"))
def test_generated_ids_round_trip_and_one_changed_digit_is_caught(first17):
    number = resident_id_with_check_digit(first17)
    assert resident_id_parse(number).number == number
    wrong = "0" if number[-1] != "0" else "1"
    with pytest.raises(DomainError):
        resident_id_parse(number[:-1] + wrong)


def test_credit_code_check_character():
    # given a code completed with its GB 32100 check character
    code = credit_code_with_check_digit("91620100MA71B2C3D")
    assert credit_code_clean(code.lower()) == code
    # when one character changes, then it is refused
    changed = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(DomainError, match="校验位错误"):
        credit_code_clean(changed)
    with pytest.raises(DomainError, match="18位"):
        credit_code_clean("9162010")


def test_phone_and_bank_account_formats():
    assert phone_clean("138-1234-5678") == "13812345678"
    with pytest.raises(DomainError, match="手机号"):
        phone_clean("2381234567")
    assert bank_account_clean("6228 4800 1234 5678") == "6228480012345678"
    with pytest.raises(DomainError, match="银行账号"):
        bank_account_clean("12ab")
