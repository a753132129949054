"""《关于新时代湖州工匠培育工程的实施意见》 (湖州, 2021): the two awards the generic kinds cannot say.

- `huzhou_craftsman` (二(二)3, 新时代湖州工匠资助 "按照就高、不重复享受原则"): a Zhejiang title is first
  recognised as its Huzhou equivalent (`recognised_as`), then titles are compared by `rank` (both
  pack data). A person is paid once, at the highest title reached: after a lower title only the
  difference between this standard and what was already paid is due; after a title of the same
  rank nothing (`already_received`, e.g. 湖州乡村工匠 then 湖州工匠); after a higher one nothing
  (`already_higher`). A title's `schedules` entry splits the payment (湖州大工匠: two yearly
  instalments, "分两年拨付到位").
- `huzhou_world_skills` (二(二)4, 世界技能大赛): the standard of the result, for the roles the text
  pays for that result (`roles`): contestants for everything, the 带队教练 only for national-team
  selection ("享受同等待遇"), the 技术指导专家团队 only for medals and 优胜奖, at a ratio of the
  contestant's standard (`ratio_params`, "按减半标准"). Any other pairing is `not_eligible_role`.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Decision, HistoryItem
from ..money import fen, percent
from . import rule
from .common import amount_of, apply_schedule
from .context import RuleContext

RESULT_LABELS = {
    "national_team": "入选国家集训队",
    "gold": "金牌",
    "silver": "银牌",
    "bronze": "铜牌",
    "excellence": "优胜奖",
}
ROLE_LABELS = {
    "contestant": "选手",
    "coach": "带队教练（享受同等待遇）",
    "expert_team": "技术指导专家团队",
}


def _recognised(ctx: RuleContext, title: str) -> str:
    return str(ctx.cfg("recognised_as", {}).get(title, title))


@rule("huzhou_craftsman", "就高不重复的工匠资助")
def craftsman_award(ctx: RuleContext) -> Decision:
    citation = f"{ctx.benefit.citation} 按照就高、不重复享受原则"
    title = str(ctx.fact("title"))
    effective = _recognised(ctx, title)
    if effective != title:
        ctx.step(f"{title} 直接认定为 {effective}", None, ctx.benefit.citation)
    ranks = {str(name): int(value) for name, value in ctx.cfg("rank").items()}
    rank = ranks[effective]
    earlier: list[tuple[HistoryItem, str, int]] = [
        (item, name, ranks[name])
        for item in ctx.paid([ctx.benefit.key])
        if (name := _recognised(ctx, str(item.facts.get("title")))) in ranks
    ]
    if any(earlier_rank > rank for _, _, earlier_rank in earlier):
        ctx.refuse("already_higher", citation)
        return ctx.decision
    if any(earlier_rank == rank for _, _, earlier_rank in earlier):
        ctx.refuse("already_received", citation)
        return ctx.decision
    total = amount_of(ctx, ctx.cfg("params")[effective], label=f"{effective} 资助")
    if earlier:
        paid = sum((item.amount for item, _, _ in earlier), Decimal(0))
        names = "、".join(dict.fromkeys(name for _, name, _ in earlier))
        total -= paid
        ctx.step(f"已按较低称号 {names} 领取 {fen(paid)} 元，就高补足差额", total, citation)
        if total <= 0:
            ctx.refuse("already_received", citation)
            return ctx.decision
    ctx.decision.amount = fen(total)
    apply_schedule(ctx, ctx.decision.amount, ctx.cfg("schedules", {}).get(effective))
    return ctx.decision


@rule("huzhou_world_skills", "按成绩和身份计（世界技能大赛）")
def world_skills_award(ctx: RuleContext) -> Decision:
    result, role = str(ctx.fact("result")), str(ctx.fact("role"))
    if result not in ctx.cfg("roles")[role]:
        ctx.refuse("not_eligible_role", ctx.benefit.citation)
        return ctx.decision
    label = f"世界技能大赛{RESULT_LABELS[result]} {ROLE_LABELS[role]}"
    total = amount_of(ctx, ctx.cfg("params")[result], label=label)
    ratio_path = ctx.cfg("ratio_params", {}).get(role)
    if ratio_path:
        ratio, reference = ctx.amount(ratio_path)
        total *= ratio
        ctx.step(f"{ROLE_LABELS[role]}按选手标准的 {percent(ratio)} 计", total, reference)
    ctx.decision.amount = fen(total)
    return ctx.decision
