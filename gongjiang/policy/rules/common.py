"""Generic rule kinds that most figures of the five documents need, configured in benefits.yaml.

- `choice`: the amount (or range) of the parameter picked by one fact's value
  (`fact`, `params: {value: path}`), or a single `param` when no fact picks; optional `once`
  (paid at most once per beneficiary, `once_by` facts narrowing "the same thing"), `schedule`
  (`{every_months, instalments}` splitting the amount), `multiplier` (a ratio parameter) and
  `less_paid` (benefits sharing one sum with this one: what they already paid is deducted).
- `per_unit`: a per-person (or per-group) amount times a count fact, with an optional minimum count
  (`threshold_param`), complete groups only (`group_size_param`), and a yearly cap per organisation
  (`annual_cap_param`) applied after the groups, against what was already paid this year.
- `monthly`: a monthly amount for `months_fact` months (capped by `max_months_param`), paid monthly.

A range parameter ("500-800元", "最高1万元", "不少于5万元") gives `bounds`; the amount is the upper bound
(the lower where there is none) and a trace step says the reviewer fixes the final figure.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..model import Decision
from ..money import fen, instalments
from . import rule
from .context import RuleContext


def amount_of(ctx: RuleContext, path: str, *, label: str, times: Decimal = Decimal(1)) -> Decimal:
    """The parameter's amount × times, recording a range as bounds (scaled the same way)."""
    value = ctx.param(path)
    if value.amount is not None:
        total = value.amount * times
        ctx.step(label, total, value.reference)
        return total
    low = (value.minimum or Decimal(0)) * times
    high = value.maximum * times if value.maximum is not None else None
    ctx.decision.bounds = (low, high)
    chosen = high if high is not None else low
    ctx.step(label, chosen, value.reference)
    ctx.step("标准为区间，由审核人员在上下限内确定最终金额", None, value.reference)
    return chosen


def already_paid(ctx: RuleContext, facts: list[str]) -> bool:
    for item in ctx.paid([ctx.benefit.key]):
        if all(item.facts.get(f) == ctx.facts.get(f) for f in facts):
            return True
    return False


def apply_schedule(ctx: RuleContext, total: Decimal, spec: dict[str, Any] | None) -> None:
    if spec and total > 0:
        ctx.decision.schedule = instalments(
            total, int(spec["instalments"]), ctx.date, int(spec["every_months"])
        )


@rule("choice", "按标准取值")
def choice(ctx: RuleContext) -> Decision:
    fact = ctx.cfg("fact")
    if fact:
        key = ctx.fact(fact)
        params = {str(k): v for k, v in ctx.cfg("params").items()}
        path = params.get(str(key))
        if path is None:
            ctx.refuse("not_applicable", ctx.benefit.citation, why=f"{fact}={key} 无对应标准")
            return ctx.decision
    else:
        path = ctx.cfg("param")
    if ctx.cfg("once") and already_paid(ctx, list(ctx.cfg("once_by", []))):
        ctx.refuse("already_received", ctx.benefit.citation)
        return ctx.decision
    total = amount_of(ctx, path, label=ctx.benefit.label)
    multiplier = ctx.cfg("multiplier_param")
    if multiplier:
        ratio = ctx.param(multiplier)
        total = total * (ratio.amount or Decimal(1))
        if ctx.decision.bounds:
            low, high = ctx.decision.bounds
            ctx.decision.bounds = (
                low * (ratio.amount or 1),
                high * (ratio.amount or 1) if high is not None else None,
            )
        ctx.step(f"按 {ratio.amount} 倍计", total, ratio.reference)
    earlier = sum((item.amount for item in ctx.paid(ctx.cfg("less_paid", []))), Decimal(0))
    if earlier:
        # Two benefits sharing one sum (上虞 三、（四）22: the master's 20% is part of the studio's
        # 3万元): what the other already paid comes off this one.
        total -= earlier
        ctx.step("扣除同一笔经费中已另行发放的部分", -earlier, ctx.benefit.citation)
        if total <= 0:
            ctx.refuse("already_received", ctx.benefit.citation)
            return ctx.decision
    ctx.decision.amount = fen(total)
    apply_schedule(ctx, ctx.decision.amount, ctx.cfg("schedule"))
    return ctx.decision


@rule("per_unit", "按人数或满组数计")
def per_unit(ctx: RuleContext) -> Decision:
    count = int(ctx.fact(ctx.cfg("count_fact")))
    threshold_path = ctx.cfg("threshold_param")
    if threshold_path:
        threshold, reference = ctx.amount(threshold_path)
        if count < threshold:
            ctx.refuse(
                "below_threshold",
                reference,
                what=ctx.benefit.facts[ctx.cfg("count_fact")].label,
                count=count,
                threshold=threshold,
            )
            return ctx.decision
    units = Decimal(count)
    group_path = ctx.cfg("group_size_param")
    if group_path:
        size, reference = ctx.amount(group_path)
        units = Decimal(count // int(size))
        ctx.step(f"{count} 人按每 {size} 人计，满 {units} 组（不足一组不计）", None, reference)
        if units == 0:
            ctx.refuse(
                "below_threshold",
                reference,
                what=ctx.benefit.facts[ctx.cfg("count_fact")].label,
                count=count,
                threshold=size,
            )
            return ctx.decision
    total = amount_of(ctx, ctx.cfg("unit_param"), label=f"{ctx.benefit.label}：{units} × 标准", times=units)
    total = cap_for_year(ctx, total)
    ctx.decision.amount = fen(total)
    return ctx.decision


def cap_for_year(ctx: RuleContext, total: Decimal, benefits: list[str] | None = None) -> Decimal:
    """Apply an organisation's yearly cap to this claim plus what it was paid this year."""
    cap_path = ctx.cfg("annual_cap_param")
    if not cap_path:
        return total
    cap, reference = ctx.amount(cap_path)
    already = sum((item.amount for item in ctx.paid_in_year(benefits or [ctx.benefit.key])), Decimal(0))
    room = max(cap - already, Decimal(0))
    if room == 0:
        ctx.refuse("annual_cap_reached", reference, cap=cap)
        return Decimal(0)
    if total > room:
        ctx.step(f"年度上限 {cap} 元，本年已获 {already} 元，本次最多 {room} 元", room, reference)
        if ctx.decision.bounds:
            low, high = ctx.decision.bounds
            ctx.decision.bounds = (min(low, room), min(high, room) if high is not None else room)
        return room
    return total


@rule("monthly", "按月发放")
def monthly(ctx: RuleContext) -> Decision:
    per_month, reference = ctx.amount(ctx.cfg("monthly_param"))
    months = int(ctx.fact(ctx.cfg("months_fact")))
    max_months, max_reference = ctx.amount(ctx.cfg("max_months_param"))
    if months > max_months:
        ctx.step(f"补助期限最长 {max_months} 个月", None, max_reference)
        months = int(max_months)
    total = per_month * months
    ctx.step(f"每月 {per_month} 元 × {months} 个月", total, reference)
    ctx.decision.amount = fen(total)
    apply_schedule(ctx, ctx.decision.amount, {"instalments": months, "every_months": 1} if months else None)
    return ctx.decision
