"""Reason codes, their order when several apply, and their Chinese messages."""

from __future__ import annotations

from typing import Any

# When several fail they are listed in this order (issue 3); codes not listed follow, as raised.
ORDER = [
    "hours_below_minimum",
    "lifetime_cap",
    "once_per_year",
    "same_occupation_level",
    "level_not_subsidised",
    "unknown_occupation",
    "not_shortage_occupation",
    "below_threshold",
    "already_received",
    "already_higher",
    "no_policy_in_force",
]

MESSAGES = {
    "hours_below_minimum": "培训课时 {hours} 低于{kind}最低要求 {minimum} 课时",
    "lifetime_cap": "每人累计最多享受 {cap} 次，已享受 {count} 次",
    "once_per_year": "每人每年只能享受 1 次，{year} 年已享受",
    "same_occupation_level": "同一职业(工种)同一等级不可重复享受：{occupation} {level} 已享受",
    "level_not_subsidised": "企业职工岗位技能培训不补贴{level}",
    "unknown_occupation": "职业(工种)“{occupation}”不在补贴标准分类表内",
    "not_shortage_occupation": "该职业(工种)不在急需紧缺职业(工种)目录内",
    "below_threshold": "{what} {count} 未达到 {threshold} 的起点",
    "already_received": "已享受过该项奖励/补贴，不重复享受",
    "already_higher": "已按更高或同等称号享受资助（就高不重复）",
    "no_policy_in_force": "申请日期 {date} 时该政策尚未施行（{first} 起施行）",
    "annual_cap_reached": "本年度已达奖励上限 {cap} 元",
    "no_certificate": "未取得相应证书",
    "not_employed": "就业技能培训合格人员须实现就业",
    "not_insured_employee": "须为企业在岗参保职工",
    "not_eligible_role": "该角色不享受此项奖励",
    "not_applicable": "不适用：{why}",
}


def message_for(code: str, **details: Any) -> str:
    template = MESSAGES.get(code, code)
    try:
        return template.format(**details)
    except (KeyError, IndexError):
        return template


def sort_key(code: str) -> int:
    return ORDER.index(code) if code in ORDER else len(ORDER)
