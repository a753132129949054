"""Integrity check of the 培训合格证 numbers (附件4), run by `gongjiang verify`, after a restore and
by the fault drill: for every range, the certificates numbered from it are exactly the numbers from
its start up to its counter — none missing (a number taken but lost), none beyond it, none twice,
each of the range's width. Found by `gongjiang.core.integrity` without a change there."""

from __future__ import annotations

from collections.abc import Callable

from gongjiang.core.integrity import CheckResult

from .models import CertificateNumberRange, TrainingCertificate


def certificate_numbers() -> CheckResult:
    problems: list[str] = []
    checked = 0
    for number_range in CertificateNumberRange.objects.order_by("id"):
        numbers = list(
            TrainingCertificate.objects.filter(number_range=number_range).values_list("number", flat=True)
        )
        checked += len(numbers)
        expected = [number_range.format(v) for v in range(number_range.first_value, number_range.next_value)]
        if sorted(numbers) != expected:
            missing = sorted(set(expected) - set(numbers))
            extra = sorted(set(numbers) - set(expected))
            problems.append(
                f"号段 #{number_range.pk} {number_range.format(number_range.first_value)}起："
                f"缺 {len(missing)} 个（{'、'.join(missing[:5])}），多出 {len(extra)} 个（{'、'.join(extra[:5])}），"
                f"重复 {len(numbers) - len(set(numbers))} 个"
            )
    detail = "；".join(problems) if problems else f"培训合格证编号连续无缺：{checked} 本"
    return CheckResult(
        "certificate_numbers", not problems, detail, {"checked": checked, "problems": problems}
    )


CHECKS: list[Callable[[], CheckResult]] = [certificate_numbers]
