"""`gongjiang policy show PACK`: every benefit, fact and parameter of a pack, with citations, in Chinese.
`gongjiang policy list`: the installed packs."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjiang.policy.loader import installed_packs
from gongjiang.policy.model import Pack
from gongjiang.policy.money import fmt
from gongjiang.policy.rules import RULE_LABELS

TYPE_LABELS = {
    "enum": "枚举",
    "int": "整数",
    "bool": "是/否",
    "str": "文本",
    "decimal": "数值",
    "date": "日期",
}
UNIT_LABELS = {
    "yuan": "元",
    "yuan_per_day": "元/天",
    "yuan_per_month": "元/月",
    "yuan_per_year": "元/年",
    "ratio": "比例",
    "count": "个/人/次",
    "months": "个月",
    "hours": "课时",
    "years": "年",
}


def describe(pack: Pack) -> list[str]:
    lines = [f"政策包 {pack.id}：{pack.title}", f"文号：{pack.document}　辖区：{pack.jurisdiction}", "版本："]
    lines += [f"  {v.date} {v.document} {v.note}".rstrip() for v in pack.versions]
    lines.append("补贴项目：")
    for benefit in pack.benefits.values():
        lines.append(
            f"  {benefit.key}　{benefit.label}（对象：{'个人' if benefit.beneficiary == 'person' else '单位'}；"
            f"规则：{RULE_LABELS.get(benefit.rule, benefit.rule)}；依据：{benefit.citation}）"
        )
        for fact in benefit.facts.values():
            shown = [
                f"{c}={fact.choice_labels[str(c)]}" if str(c) in fact.choice_labels else str(c)
                for c in fact.choices
            ]
            choices = f"，取值 {'/'.join(shown)}" if fact.choices else ""
            optional = "" if fact.required else "，可选"
            lines.append(f"    事实 {fact.name}：{fact.label}（{TYPE_LABELS[fact.type]}{choices}{optional}）")
    lines.append("参数：")
    for parameter in pack.parameters.values():
        lines.append(f"  {parameter.path}　{parameter.description}（{UNIT_LABELS[parameter.unit]}）")
        for value in parameter.values:
            if value.ended:
                lines.append(f"    自 {value.start} 起停止适用")
                continue
            figure = (
                fmt(value.amount)
                if value.amount is not None
                else (f"{fmt(value.minimum) or '不限'} 至 {fmt(value.maximum) or '不设上限'}")
            )
            lines.append(f"    自 {value.start}：{figure}　依据：{value.reference}")
            if value.interpretation:
                lines.append(f"      解释：{value.interpretation}")
    if pack.interpretations:
        lines.append("局方解释：")
        lines += [f"  {i['id']}：{i['text']}（{i['citation']}）" for i in pack.interpretations]
    return lines


class Command(BaseCommand):
    help = "政策包：list 列出已安装的政策包；show PACK 显示补贴项目、事实与参数（含出处）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["list", "show"])
        parser.add_argument("pack", nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        packs = installed_packs()
        if options["action"] == "list":
            for pack in sorted(packs.values(), key=lambda p: p.id):
                self.stdout.write(f"{pack.id}\t{pack.document}\t{pack.title}")
            return
        chosen = packs.get(options["pack"] or "")
        if chosen is None:
            raise CommandError(
                f"未知政策包 {options['pack']!r}；可用：{', '.join(sorted(packs))}", returncode=2
            )
        self.stdout.write("\n".join(describe(chosen)))
