"""培训合格证 number ranges: the 附件4 data, the bureau's additions and extension requests."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.training.choices import NumberRangeStatus
from gongjiang.training.models import CertificateNumberRange
from gongjiang.training.numbering import parse_bounds, read_ranges_file
from gongjiang.training.services import certificates

REPO_ROOT = Path(__file__).resolve().parents[3]
# 附件4 as the issue gives it: unit → (就业技能, 岗位技能, 创业)
ANNEX_4 = {
    "centre-1": (("202251", "206250"), ("042701", "045700"), ("48701", "50500")),
    "centre-2": (("213551", "214550"), ("045701", "047700"), ("50501", "50700")),
}
COLUMNS = ("employment", "enterprise_post", "startup")


def _file_rows() -> dict[str, tuple[tuple[str, str], ...]]:
    data = read_ranges_file()
    return {
        unit: tuple(
            next((r.first, r.last) for r in data.ranges if r.unit == unit and r.category == c)
            for c in COLUMNS
        )
        for unit in ANNEX_4
    }


def test_the_data_file_is_annex_4_of_the_document():
    # given the data file
    data = read_ranges_file()
    # then it is the table, every range for 2025, with the citation
    assert _file_rows() == ANNEX_4
    assert {r.year for r in data.ranges} == {2025}
    assert data.citation == "新民社发〔2025〕13号 附件4 兰州新区2025年培训合格证书号段分配表"


def test_the_data_file_matches_the_scanned_text():
    # given the 附件4 lines of the scan ("1 兰州新区社 会保障第一 服务中心 202251——206250 …")
    text = None
    for base in (Path("/work/shared/seeds"), REPO_ROOT.parent / "shared" / "seeds"):
        path = base / "004_5605efb67bc5a9a2.txt"
        if path.exists():
            text = path.read_text(encoding="utf-8")
    if text is None:
        pytest.skip("没有找到政策原文 seeds")
    block = unicodedata.normalize("NFKC", text[text.index("兰州新区 2025 年培训合格证书号段分配表") :])
    rows = [re.findall(r"(\d{5,6})——(\d{5,6})", line) for line in block.splitlines() if "——" in line]
    scanned = [tuple(tuple(pair) for pair in row) for row in rows]
    # then the two rows are the file's, 第一 then 第二服务中心, with their leading zeros
    assert scanned == [ANNEX_4["centre-1"], ANNEX_4["centre-2"]]


def test_range_sizes_equal_the_annex_1_task_figures():
    # given the ranges; then each has as many numbers as the unit's 附件1 task for the column:
    # 第一服务中心 4000 / 3000 / 1800, 第二服务中心 1000 / 2000 / 200
    sizes = {
        unit: tuple(high - low + 1 for low, high, _ in (parse_bounds(*pair) for pair in pairs))
        for unit, pairs in ANNEX_4.items()
    }
    assert sizes == {"centre-1": (4000, 3000, 1800), "centre-2": (1000, 2000, 200)}


@pytest.mark.django_db
def test_loading_is_idempotent_and_keeps_widths(tw):
    # when loaded twice, once by the command
    first = certificates.number_ranges_load_reference(actor=tw.root, jurisdiction=tw.jurisdiction)
    call_command("certificate_ranges_load", "--jurisdiction", "lanzhou-xinqu")
    # then six ranges, approved, with their widths: 042701 is six digits, 48701 five
    assert (first.created, first.kept) == (6, 0)
    assert CertificateNumberRange.objects.count() == 6
    post = CertificateNumberRange.objects.get(service_unit=tw.centre_1, category="enterprise_post")
    assert (post.width, post.format(post.first_value), post.format(post.last_value)) == (
        6,
        "042701",
        "045700",
    )
    startup = CertificateNumberRange.objects.get(service_unit=tw.centre_2, category="startup")
    assert (startup.width, startup.format(startup.next_value), startup.remaining) == (5, "50501", 200)
    assert set(CertificateNumberRange.objects.values_list("status", flat=True)) == {
        NumberRangeStatus.APPROVED
    }


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_jurisdiction_with_exit_code_2(tw):
    with pytest.raises(CommandError) as failed:
        call_command("certificate_ranges_load", "--jurisdiction", "nowhere")
    assert failed.value.returncode == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("206250", "202251", "小于起始号"),
        ("42701", "045700", "位数不同"),
        ("04270A", "045700", "须为数字"),
        ("０４２７０１", "045700", "须为数字"),
        ("206000", "206300", "重叠"),  # inside 第一服务中心 2025 就业技能 202251——206250
    ],
)
def test_bad_ranges_are_refused(tw, first, last, message):
    # given the 附件4 ranges
    certificates.number_ranges_load_reference(actor=tw.root, jurisdiction=tw.jurisdiction)
    # when the bureau adds a range for another unit and year
    with pytest.raises(DomainError, match=message):
        certificates.number_range_add(
            actor=tw.root,
            jurisdiction=tw.jurisdiction,
            service_unit=tw.centre_2,
            category="employment",
            year=2026,
            first=first,
            last=last,
            citation="新民社发〔2026〕1号",
        )
    assert CertificateNumberRange.objects.count() == 6


@pytest.mark.django_db
def test_ranges_of_another_width_do_not_clash_and_project_is_not_a_column(tw):
    # given the 附件4 ranges
    certificates.number_ranges_load_reference(actor=tw.root, jurisdiction=tw.jurisdiction)
    # when a five-digit range covers the same integers as 042701——045700 (different strings)
    added = certificates.number_range_add(
        actor=tw.root,
        jurisdiction=tw.jurisdiction,
        service_unit=tw.centre_1,
        category="enterprise_post",
        year=2026,
        first="42701",
        last="42800",
        citation="新民社发〔2026〕1号",
    )
    # then it is accepted
    assert added.status == NumberRangeStatus.APPROVED and added.remaining == 100
    # and a range for 项目化培训 is refused: 附件4 has three columns only
    with pytest.raises(DomainError, match="附件4 的三列"):
        certificates.number_range_add(
            actor=tw.root,
            jurisdiction=tw.jurisdiction,
            service_unit=tw.centre_1,
            category="project",
            year=2026,
            first="700001",
            last="700100",
            citation="x",
        )


@pytest.mark.django_db
def test_only_bureau_admins_add_ranges(tw):
    with pytest.raises(PermissionDenied):
        certificates.number_range_add(
            actor=tw.reviewer,
            jurisdiction=tw.jurisdiction,
            service_unit=tw.centre_1,
            category="employment",
            year=2026,
            first="700001",
            last="700100",
            citation="x",
        )


@pytest.mark.django_db
def test_extension_requests_are_decided_by_the_bureau(tw):
    # given a request by the first centre's reviewer
    request = certificates.number_range_request(
        actor=tw.reviewer,
        service_unit=tw.centre_1,
        category="startup",
        year=2025,
        first="60001",
        last="60500",
        reason="创业培训报名人数超出计划",
    )
    assert request.status == NumberRangeStatus.REQUESTED and request.requested_by == tw.reviewer
    # then the reviewer cannot ask for the other centre, nor decide
    with pytest.raises(PermissionDenied, match="本单位"):
        certificates.number_range_request(
            actor=tw.reviewer,
            service_unit=tw.centre_2,
            category="startup",
            year=2025,
            first="61001",
            last="61100",
            reason="x",
        )
    with pytest.raises(PermissionDenied):
        certificates.number_range_decide(actor=tw.reviewer, number_range=request, approve=True)
    # and a pending request already holds its numbers against another request
    with pytest.raises(DomainError, match="重叠"):
        certificates.number_range_request(
            actor=tw.root,
            service_unit=tw.centre_2,
            category="startup",
            year=2025,
            first="60400",
            last="60600",
            reason="x",
        )
    # when the bureau refuses without a reason, then with one
    with pytest.raises(DomainError, match="须填写理由"):
        certificates.number_range_decide(actor=tw.root, number_range=request, approve=False)
    refused = certificates.number_range_decide(
        actor=tw.root, number_range=request, approve=False, note="请先用完现有号段"
    )
    # then refused, and cannot be decided again
    assert refused.status == NumberRangeStatus.REFUSED and refused.decided_by == tw.root
    with pytest.raises(DomainError, match="不在待批准状态"):
        certificates.number_range_decide(actor=tw.root, number_range=request, approve=True)
