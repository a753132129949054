"""新民社发〔2025〕13号 附件3: training subsidies by occupation class and level, startup training,
new-style apprenticeship and project-based training, with the limits of 备注5.

The bureau's interpretations this module applies (recorded in the pack beside their citations):
- 高级工 column "(企业职工岗位培训不受)": enterprise post-skill training is not paid at 高级工;
  技师/高级技师 are paid at the employment-training standard.
- 备注5 covers employment, post-skill and startup training alike (and paid 参保职工技能提升补贴):
  at most 3 in total, 1 a calendar year, never twice for one occupation and level.
- 备注2/四(一) +20% applies when the occupation is in the shortage directory on the claim date.
- 备注1 living allowance: employment-skill training only, not raised by the 20%, its own step.
- 备注6 project-based training: ≥60 class hours, paid only with a certificate, and for employment
  training only once employed; apprenticeships excluded.
- 四(三) 黑白名单 differentiated subsidies: the training amount (not the 备注1 living allowance) is
  multiplied by the factor of the institution's list state (`institution_list_state`, normal when
  absent; the benefit's `list_factor_params`). The document gives no figures: the factors are 1 and
  the trace says the figure is pending while the parameter's interpretation says so (`PENDING`).
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Decision
from ..money import fen, percent
from . import rule
from .common import amount_of
from .context import RuleContext

LEVEL_LABELS = {
    "cert": "培训合格证",
    "senior": "高级工",
    "technician": "技师",
    "senior_technician": "高级技师",
}
TYPE_LABELS = {"employment": "就业技能培训", "enterprise_post": "岗位技能培训"}
LIST_STATE_FACT = "institution_list_state"
LIST_STATE_DEFAULT = "normal"
PENDING = "待局方确定"  # in a factor's interpretation: the document sets no figure yet


def check_training_limits(ctx: RuleContext, *, occupation: str | None, level: str | None) -> None:
    """备注5: lifetime cap, once a year, never the same occupation and level twice."""
    counted = ctx.cfg("counted_benefits")
    citation = ctx.param("limits.lifetime_cap").reference
    paid = ctx.paid(counted)
    cap, _ = ctx.amount("limits.lifetime_cap")
    if len(paid) >= cap:
        ctx.refuse("lifetime_cap", citation, cap=cap, count=len(paid))
    if any(item.date.year == ctx.date.year for item in paid):
        ctx.refuse("once_per_year", citation, year=ctx.date.year)
    if occupation is not None and any(
        item.facts.get("occupation") == occupation and item.facts.get("level") == level for item in paid
    ):
        ctx.refuse(
            "same_occupation_level",
            citation,
            occupation=occupation,
            level=LEVEL_LABELS.get(level or "", level),
        )


def is_shortage(ctx: RuleContext, occupation: str) -> bool:
    given = ctx.fact("shortage")
    return bool(given) if given is not None else occupation in ctx.shortage_occupations


def _table_amount(
    ctx: RuleContext, occupation: str, level: str, training_type: str, subsidy_class: str
) -> Decimal:
    column = "enterprise_post" if training_type == "enterprise_post" and level == "cert" else "employment"
    path = f"training.{column}.{subsidy_class}.{level}"
    label = f"{subsidy_class}类 {occupation} {TYPE_LABELS[training_type]} {LEVEL_LABELS[level]}"
    base = amount_of(ctx, path, label=label)
    if is_shortage(ctx, occupation):
        uplift = ctx.param("uplift.shortage")
        raised = base * (1 + (uplift.amount or 0))
        ctx.step(f"急需紧缺职业(工种)提高 {percent(uplift.amount)}", raised, uplift.reference)
        return raised
    return base


def _ratio_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def apply_list_factor(ctx: RuleContext, training: Decimal) -> Decimal:
    """四(三): the training amount × the factor of the institution's 黑白名单 state."""
    paths = ctx.cfg("list_factor_params")
    state = ctx.fact(LIST_STATE_FACT) or LIST_STATE_DEFAULT
    value = ctx.param(paths[state])
    factor, reference = ctx.amount(paths[state])
    pending = "（文件未定，待局方确定）" if PENDING in value.interpretation else ""
    label = ctx.benefit.facts[LIST_STATE_FACT].choice_labels.get(state, state)
    total = training * factor
    ctx.step(f"机构名单系数（{label}）×{_ratio_text(factor)}{pending}", total, reference)
    return total


def _living_allowance(ctx: RuleContext) -> Decimal:
    if ctx.fact("training_type") != "employment" or not ctx.fact("rural_or_lowincome"):
        return Decimal(0)
    per_day, reference = ctx.amount("living_allowance.per_day")
    days = int(ctx.fact("training_days") or 0)
    allowance = per_day * days
    ctx.step(f"生活费补助：{days} 天 × {per_day} 元（不适用 20% 上浮）", allowance, reference)
    return allowance


def _training(ctx: RuleContext, *, project: bool) -> Decision:
    occupation, level, training_type = ctx.fact("occupation"), ctx.fact("level"), ctx.fact("training_type")
    hours = int(ctx.fact("class_hours"))
    subsidy_class = ctx.pack.occupation_classes.get(occupation)
    table_citation = ctx.benefit.citation
    if project:
        minimum, reference = ctx.amount("project.min_hours")
        if hours < minimum:
            ctx.refuse("hours_below_minimum", reference, hours=hours, kind="项目化培训", minimum=minimum)
    elif subsidy_class is not None:
        minimum, reference = ctx.amount(f"min_hours.{subsidy_class}")
        if hours < minimum:
            ctx.refuse(
                "hours_below_minimum", reference, hours=hours, kind=f"{subsidy_class}类职业", minimum=minimum
            )
    check_training_limits(ctx, occupation=occupation, level=level)
    if training_type == "enterprise_post" and level == "senior":
        ctx.refuse("level_not_subsidised", ctx.cfg("senior_column_citation"), level=LEVEL_LABELS[level])
    if subsidy_class is None:
        ctx.refuse("unknown_occupation", table_citation, occupation=occupation)
    if project:
        project_reference = ctx.param("project.min_hours").reference
        if not ctx.fact("certificate_obtained"):
            ctx.refuse("no_certificate", project_reference)
        if training_type == "employment" and not ctx.fact("employed"):
            ctx.refuse("not_employed", project_reference)
    if ctx.decision.reasons or subsidy_class is None:
        return ctx.decision
    training = _table_amount(ctx, occupation, level, training_type, subsidy_class)
    total = apply_list_factor(ctx, training) + _living_allowance(ctx)
    ctx.decision.amount = fen(total)
    return ctx.decision


@rule("lanzhou_training", "按职业类别和等级计（附件3）")
def training_subsidy(ctx: RuleContext) -> Decision:
    return _training(ctx, project=False)


@rule("lanzhou_project_training", "项目化培训（附件3 备注6）")
def project_training(ctx: RuleContext) -> Decision:
    return _training(ctx, project=True)


@rule("lanzhou_startup", "创业培训（附件3）")
def startup_training(ctx: RuleContext) -> Decision:
    course = ctx.fact("course")
    hours = int(ctx.fact("class_hours"))
    minimum, reference = ctx.amount(f"startup.min_hours.{course}")
    if hours < minimum:
        ctx.refuse("hours_below_minimum", reference, hours=hours, kind=f"{course} 课程", minimum=minimum)
    check_training_limits(ctx, occupation=None, level=None)
    if ctx.decision.reasons:
        return ctx.decision
    training = amount_of(ctx, f"startup.{course}", label=f"创业培训 {course}")
    ctx.decision.amount = fen(apply_list_factor(ctx, training))
    return ctx.decision


@rule("lanzhou_apprentice", "企业新型学徒制（附件3 备注4）")
def apprentice_subsidy(ctx: RuleContext) -> Decision:
    """备注4: a yearly programme payment per apprentice, outside the 备注5 counts, once a year."""
    level = ctx.fact("level")
    citation = ctx.param(f"apprentice.{level}").reference
    if ctx.paid_in_year([ctx.benefit.key]):
        ctx.refuse("once_per_year", citation, year=ctx.date.year)
        return ctx.decision
    labels = {"junior": "初级工", "intermediate": "中级工", "senior": "高级工"}
    total = amount_of(ctx, f"apprentice.{level}", label=f"企业新型学徒制 {labels[level]} 每人每年")
    if ctx.fact("shortage"):
        uplift = ctx.param("apprentice.shortage_uplift")
        total = total * (1 + (uplift.amount or 0))
        ctx.step(f"急需紧缺职业(工种)提高 {percent(uplift.amount)}", total, uplift.reference)
    ctx.decision.amount = fen(total)
    return ctx.decision
