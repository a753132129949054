"""虞人社〔2023〕19号 (绍兴市上虞区): the benefits the generic kinds cannot express.

Most figures of the document are quoted with `choice`, `per_unit` and `monthly` (common.py). The
rules here cover what those cannot:

- `shangyu_new_hire` (三、（一）1): a start of 10 qualifying new hires, then three per-person parts
  — 500 元 employment subsidy for each, 200 元 / 500 元 transport subsidy for those from outside the
  district (in province / out of province), who must be among the qualifying hires.
- `shangyu_person_years` (三、（一）3、4, 三、（二）8、11): "每人每年" standards, people × years,
  the years cut at the document's limit (定向培养 and 新型学徒制 2 years, 实训指导教师 3 years);
  the standard may be picked by one fact (班级, 研修地点); `years_fact` needs `max_years_param`.
- `shangyu_self_training` (三、（二）13): two certificate bands, each counted in complete groups
  of 50, added, then the enterprise's yearly cap of 20万元 against what it was paid this year.
- `shangyu_post_allowance` (三、（四）21): newly obtained shortage-occupation 技师 / 高级技师 are
  paid monthly (300 / 600 元, at most 36 months); already held ones once (3000 / 6000 元); only
  insured on-post employees, and only once per person ("岗位补助限享受一次").

The bureau's interpretations are recorded in the pack's pack.yaml beside their citations.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Decision
from ..money import fen, instalments
from . import rule
from .common import amount_of, apply_schedule, cap_for_year
from .context import RuleContext

CERTIFICATE_LABELS = {"technician": "技师", "senior_technician": "高级技师"}


@rule("shangyu_new_hire", "招工就业补贴和交通补贴（第1条）")
def new_hire_subsidy(ctx: RuleContext) -> Decision:
    qualifying = int(ctx.fact("qualifying_new_hires"))
    in_province = int(ctx.fact("in_province_outside_district"))
    out_of_province = int(ctx.fact("out_of_province"))
    threshold, reference = ctx.amount(ctx.cfg("threshold_param"))
    if qualifying < threshold:
        ctx.refuse(
            "below_threshold",
            reference,
            what=ctx.benefit.facts["qualifying_new_hires"].label,
            count=qualifying,
            threshold=threshold,
        )
    if in_province + out_of_province > qualifying:
        ctx.refuse(
            "not_applicable",
            ctx.benefit.citation,
            why=f"区外新员工 {in_province + out_of_province} 人多于符合条件的新员工 {qualifying} 人",
        )
    if ctx.decision.reasons:
        return ctx.decision
    total = amount_of(
        ctx,
        ctx.cfg("employment_param"),
        label=f"一次性就业补贴：{qualifying} 人 × 标准",
        times=Decimal(qualifying),
    )
    total += amount_of(
        ctx,
        ctx.cfg("in_province_param"),
        label=f"区外省内一次性交通补贴：{in_province} 人 × 标准",
        times=Decimal(in_province),
    )
    total += amount_of(
        ctx,
        ctx.cfg("out_of_province_param"),
        label=f"省外一次性交通补贴：{out_of_province} 人 × 标准",
        times=Decimal(out_of_province),
    )
    ctx.decision.amount = fen(total)
    return ctx.decision


@rule("shangyu_person_years", "按人数 × 年数计")
def person_years(ctx: RuleContext) -> Decision:
    fact = ctx.cfg("fact")
    if fact:
        params = {str(k): v for k, v in ctx.cfg("params").items()}
        path = params[str(ctx.fact(fact))]
    else:
        path = ctx.cfg("unit_param")
    people_fact, years_fact = ctx.cfg("people_fact"), ctx.cfg("years_fact")
    people = int(ctx.fact(people_fact)) if people_fact else 1
    years = 1
    parts = []
    if people_fact:
        parts.append(f"{ctx.benefit.facts[people_fact].label} {people}")
    if years_fact:
        years = int(ctx.fact(years_fact))
        # every "每人每年" standard with a number of years in this document also limits the years
        max_years, max_reference = ctx.amount(ctx.cfg("max_years_param"))
        if years > max_years:
            ctx.step(f"补贴不超过 {max_years} 年，按 {max_years} 年计", None, max_reference)
            years = int(max_years)
        parts.append(f"年数 {years}")
    units = Decimal(people * years)
    total = amount_of(ctx, path, label=f"{ctx.benefit.label}：{' × '.join(parts)} × 标准", times=units)
    ctx.decision.amount = fen(total)
    if ctx.cfg("yearly_schedule"):
        apply_schedule(ctx, ctx.decision.amount, {"instalments": years, "every_months": 12})
    return ctx.decision


@rule("shangyu_self_training", "企业自主培养取证奖励（第13条）")
def self_training_reward(ctx: RuleContext) -> Decision:
    size, size_reference = ctx.amount(ctx.cfg("group_size_param"))
    junior = int(ctx.fact("junior_intermediate_certified"))
    senior = int(ctx.fact("senior_plus_certified"))
    junior_groups, senior_groups = junior // int(size), senior // int(size)
    if junior_groups == 0 and senior_groups == 0:
        ctx.refuse(
            "below_threshold",
            size_reference,
            what="自主培养取证人数（初级工、中级工／高级工及以上）",
            count=f"{junior}／{senior}",
            threshold=size,
        )
        return ctx.decision
    ctx.step(
        f"初级工、中级工 {junior} 人满 {junior_groups} 组，高级工及以上 {senior} 人满 {senior_groups} 组"
        f"（每 {size} 人一组，不足一组不计）",
        None,
        size_reference,
    )
    total = amount_of(
        ctx,
        ctx.cfg("junior_intermediate_param"),
        label=f"初级工、中级工：{junior_groups} 组 × 标准",
        times=Decimal(junior_groups),
    )
    total += amount_of(
        ctx,
        ctx.cfg("senior_plus_param"),
        label=f"高级工及以上：{senior_groups} 组 × 标准",
        times=Decimal(senior_groups),
    )
    ctx.decision.amount = fen(cap_for_year(ctx, total))
    return ctx.decision


@rule("shangyu_post_allowance", "高技能人才岗位补助（第21条）")
def post_allowance(ctx: RuleContext) -> Decision:
    citation = ctx.benefit.citation
    certificate = ctx.fact("certificate")
    newly, months = bool(ctx.fact("newly_obtained")), int(ctx.fact("months"))
    if not ctx.fact("shortage_occupation"):
        ctx.refuse("not_shortage_occupation", citation)
    if not ctx.fact("insured_employee"):
        ctx.refuse("not_insured_employee", citation)
    if ctx.paid([ctx.benefit.key]):
        ctx.refuse("already_received", citation)
    if newly and months == 0:
        ctx.refuse("not_applicable", citation, why="新取得证书的按月补助，申请月数为 0")
    if ctx.decision.reasons:
        return ctx.decision
    label = CERTIFICATE_LABELS[certificate]
    if not newly:
        total = amount_of(
            ctx, ctx.cfg("one_off_params")[certificate], label=f"已取得紧缺职业（工种）{label} 一次性岗位补助"
        )
        ctx.decision.amount = fen(total)
        return ctx.decision
    per_month, reference = ctx.amount(ctx.cfg("monthly_params")[certificate])
    max_months, max_reference = ctx.amount(ctx.cfg("max_months_param"))
    if months > max_months:
        ctx.step(f"补贴期限不超过 {max_months} 个月，按 {max_months} 个月计", None, max_reference)
        months = int(max_months)
    total = per_month * months
    ctx.step(f"新取得紧缺职业（工种）{label}：每月 {per_month} 元 × {months} 个月", total, reference)
    ctx.decision.amount = fen(total)
    ctx.decision.schedule = instalments(ctx.decision.amount, months, ctx.date, 1)
    return ctx.decision
