"""The demo class's training subsidy walked from application to a balanced reconciliation in a real
browser (issue 6 “Done when”).

A 焊工 (A类, 120 课时) employment-skill class of 甘肃交通职业技术学院 ran 2–16 June 2025 with three
rural trainees and was closed by the real closing service on Friday 20 June 2025 (certificates
202251–202253 of 附件4). Then, in Chromium: the institution's clerk applies for it (the 4.1
materials checklist) and submits; the reviewer approves the lines the policy engine quoted and
publishes the public notice; anyone files two objections on the public page (no log-in), one is
upheld (the line withdrawn) and one dismissed; after the 5-working-day window the notice is closed;
a finance officer makes the payment batch and is refused its approval (two-person rule), a second
finance officer approves it; the bank file is exported and read back, the bank's result with one
failure imported; the failed line is re-issued in a later batch and paid; the report reconciles.

Batches are made on their page (`/funds/batches/new/`). Trainees' bank accounts are set through the
registry service (`person_set_contact`) before the walk.

`clock` (root conftest.py) moves Django's clock to each step's day in 2025.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest

from gongjiang.core.pii import decrypt
from gongjiang.registry import services as registry
from gongjiang.training.services import certificates, closing
from gongjiang.training.tests.closing_factories import CLOSING_DAY, closing_class
from gongjiang.training.tests.factories import training_world
from gongjiang.web.tests.browser_support import submit, upload

from ..choices import ItemStatus, LineStatus
from ..models import Application, BatchItem, PaymentBatch
from .factories import bank_result, funds_world

pytestmark = pytest.mark.browser

# 新民社发〔2025〕13号 附件3: A类 (焊工) 培训合格证 1500 元, plus 备注1 农村学员生活费补助 每人每天
# 30 元 × 15 training days (2–16 June 2025) = 450 元 → 1950 元 per rural trainee.
PER_TRAINEE = Decimal("1500") + 30 * 15
ACCOUNTS = ["6228480010000000011", "6228480010000000029", "6228480010000000037"]


def _make_batch(page, base: str, fund) -> PaymentBatch:
    """The batch page: pick the fund (the select submits itself), keep "all due", make the batch."""
    page.goto(f"{base}/funds/batches/new/")
    with page.expect_navigation():
        page.select_option("select[name=fund_source]", str(fund.pk))
    assert page.get_by_label("全部到期期次", exact=False).is_checked()
    submit(page, page.get_by_role("button", name="生成拨付批次"))
    assert "已生成拨付批次" in page.content()
    return PaymentBatch.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))


def _total(batch: PaymentBatch) -> Decimal:
    return sum((item.amount for item in batch.items.all()), Decimal(0))


def _cells(page, selector: str) -> list[list[str]]:
    rows = page.locator(selector)
    return [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]


def _export_csv(page) -> list[list[str]]:
    with page.expect_download() as download:
        page.get_by_role("button", name="导出银行代发文件（CSV）").click()
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def test_a_closed_classs_subsidy_walks_from_application_to_a_balanced_reconciliation(
    live_server, transactional_db, world, people, clock
):
    base = live_server.url
    w = funds_world(world)  # 兰州市职业技能提升行动专账资金 pays training subsidies; 2025 budget 100000
    training_world(w)
    certificates.number_ranges_load_reference(actor=w.root, jurisdiction=w.jurisdiction)

    # given the class closed by the unit's reviewer on Friday 20 June 2025, three trainees qualified,
    # each with a bank account on record
    training_class = closing_class(w, trainees=3)
    clock.set(CLOSING_DAY)
    closing.class_close(actor=w.reviewer, training_class=training_class, today=CLOSING_DAY)
    enrolments = list(training_class.enrolments.select_related("person").order_by("id"))
    trainees = [e.person for e in enrolments]
    for person, account in zip(trainees, ACCOUNTS, strict=True):
        registry.person_set_contact(
            actor=w.root,
            person=person,
            phone="13700001111",
            bank_name="中国农业银行兰州新区支行",
            bank_account=account,
            reason="学员提供代发账户",
        )
    upheld_person, dismissed_person, third_person = trainees

    # --- 申请 (附件2 4.1): Monday 23 June 2025 ---------------------------------------------------
    clock.set(dt.date(2025, 6, 23))
    clerk = people(w.clerk)
    clerk.goto(f"{base}/funds/apply-for-class/")
    row = clerk.locator("#closed-classes tbody tr", has_text=training_class.code)
    submit(clerk, row.get_by_role("button", name="生成资金申请"))
    application = Application.objects.get(training_class=training_class)

    # then a line per qualified trainee, each quoted 1950.00 by the engine, masked IDs only
    lines = _cells(clerk, "#lines tbody tr")
    assert [(c[0], c[1], c[3]) for c in lines] == [
        (p.name, p.id_number_masked, f"{PER_TRAINEE:.2f}") for p in trainees
    ]
    assert all(decrypt(p.id_number_encrypted) not in clerk.content() for p in trainees)

    # when the clerk submits with no materials ticked, it is refused with the missing ones named
    submit(clerk, clerk.get_by_role("button", name="提交审核"))
    assert "申请材料不全：机构资金申请表、代领协议" in clerk.content()
    application.refresh_from_db()
    assert application.status == "draft"

    # when every 4.1 material is ticked, saved, and the application submitted
    boxes = clerk.locator("#materials input[type=checkbox]")
    assert boxes.count() == 8  # 附件2 4.1 资金申请表 … 发票收据
    for i in range(boxes.count()):
        boxes.nth(i).check()
    submit(clerk, clerk.get_by_role("button", name="保存材料清单"))
    submit(clerk, clerk.get_by_role("button", name="提交审核"))
    application.refresh_from_db()
    assert application.status == "submitted"
    # then the 15-working-day review clock (附件2 4.2) runs from Mon 23 June: 24–27 June (4),
    # 30 June (5), 1–4 July (9), 7–11 July (14), Mon 14 July (15)
    assert "审核期限 2025-07-14" in clerk.content()

    # --- 审核 (4.2): Tuesday 24 June ------------------------------------------------------------
    clock.set(dt.date(2025, 6, 24))
    reviewer = people(w.reviewer)
    reviewer.goto(f"{base}/funds/applications/{application.pk}/")
    # the engine's trace with the clause shows on each line
    assert reviewer.locator("#lines", has_text="新民社发〔2025〕13号 附件3").count() == 1
    for person in trainees:
        row = reviewer.locator("#lines tbody tr", has_text=person.id_number_masked)
        submit(reviewer, row.get_by_role("button", name="通过", exact=True))
    reviewer.get_by_placeholder("审核意见").fill("材料齐全，金额与附件3一致")
    submit(reviewer, reviewer.get_by_role("button", name="审核完毕"))
    submit(reviewer, reviewer.get_by_role("button", name="发布公示（5 个工作日）"))

    # then the notice runs 5 working days: 25, 26, 27, 30 June, 1 July
    notice = application.lines.first().notice
    assert "公示期 2025-06-24 至 2025-07-01" in reviewer.content()

    # --- 公示与异议: Wednesday 25 June, anyone, no log-in ---------------------------------------
    clock.set(dt.date(2025, 6, 25))
    visitor = people(None, log_in_as=False)
    visitor.goto(f"{base}/public/funds/notices/{notice.pk}/")
    shown = _cells(visitor, "#notice-lines tbody tr")
    assert shown == [[p.name, p.id_number_masked, "焊工", "培训合格证", "1950.00"] for p in trainees]
    assert all(decrypt(p.id_number_encrypted) not in visitor.content() for p in trainees)
    for person, content in (
        (upheld_person, "该学员培训期间在外地务工，未实际参训"),
        (dismissed_person, "该学员已领取过同类补贴"),
    ):
        visitor.get_by_label("针对人员").select_option(label=f"{person.name}（{person.id_number_masked}）")
        visitor.get_by_label("您的姓名").fill("群众甲")
        visitor.get_by_label("异议内容").fill(content)
        submit(visitor, visitor.get_by_role("button", name="提交异议"))
        assert "异议已受理" in visitor.content()

    # when the reviewer checks them: the first is upheld, the second dismissed
    reviewer = people(w.reviewer)
    reviewer.goto(f"{base}/funds/notices/{notice.pk}/")
    for n, (person, decision, resolution) in enumerate(
        (
            (upheld_person, "异议成立（撤回）", "经核实考勤为代签，撤回该学员补贴"),
            (dismissed_person, "异议不成立", "经核查无同类补贴领取记录"),
        )
    ):
        row = reviewer.locator("#objections tbody tr").nth(n)
        assert row.locator("td").first.inner_text() == person.name
        row.get_by_placeholder("处理意见").fill(resolution)
        submit(reviewer, row.get_by_role("button", name=decision))
    objections = _cells(reviewer, "#objections tbody tr")
    assert [c[4] for c in objections] == [
        "异议成立：经核实考勤为代签，撤回该学员补贴",
        "异议不成立：经核查无同类补贴领取记录",
    ]
    # and the notice cannot be closed before its window ends
    submit(reviewer, reviewer.get_by_role("button", name="结束公示"))
    assert "公示期至 2025-07-01，期满后才能结束公示" in reviewer.content()

    # then the public page marks the upheld line withdrawn
    visitor.goto(f"{base}/public/funds/notices/{notice.pk}/")
    assert visitor.locator("#notice-lines tr.withdrawn").inner_text().endswith("1950.00（已撤回）")

    # --- 公示期满: Wednesday 2 July (5 working days after the publication) --------------------
    clock.set(dt.date(2025, 7, 2))
    reviewer = people(w.reviewer)
    reviewer.goto(f"{base}/funds/notices/{notice.pk}/")
    submit(reviewer, reviewer.get_by_role("button", name="结束公示"))
    assert "公示已结束，明细转入待拨付" in reviewer.content()

    # then finance's queue has the two remaining lines, payment due 5 working days after 1 July:
    # 2, 3, 4, 7, 8 July → 2025-07-08
    finance = people(w.finance)
    finance.goto(f"{base}/funds/payment-queue/")
    queue = _cells(finance, "#payment-queue tbody tr")
    assert [(c[1], c[4], c[6]) for c in queue] == [
        (dismissed_person.name, "1950.00", "2025-07-08"),
        (third_person.name, "1950.00", "2025-07-08"),
    ]

    # --- 拨付批次: the maker (its page), refused as approver; a second approves -----------------
    first = _make_batch(finance, base, w.fund)
    assert (first.items.count(), _total(first)) == (2, 2 * PER_TRAINEE)  # 3900.00
    finance.goto(f"{base}/funds/batches/{first.pk}/")
    submit(finance, finance.get_by_role("button", name="审批批次"))
    assert "双人原则：制单人不能审批本人制作的批次" in finance.content()
    first.refresh_from_db()
    assert first.status == "draft"

    approver = people(w.finance2)
    approver.goto(f"{base}/funds/batches/{first.pk}/")
    submit(approver, approver.get_by_role("button", name="审批批次"))
    assert "批次已审批" in approver.content()

    # --- 银行代发文件: full ID and account (the file goes to the bank), the amounts --------------
    finance.goto(f"{base}/funds/batches/{first.pk}/")
    exported = _export_csv(finance)
    items = list(first.items.order_by("id"))
    assert exported[0] == ["批次号", "明细号", "姓名", "证件号", "开户行", "账号", "金额", "用途"]
    # 用途: the benefit's label and the month claimed (the class closed in June 2025)
    assert exported[1:] == [
        [
            first.number,
            item.detail_number,
            person.name,
            decrypt(person.id_number_encrypted),
            "中国农业银行兰州新区支行",
            account,
            "1950.00",
            "职业技能培训补贴 2025-06",
        ]
        for item, person, account in zip(items, [dismissed_person, third_person], ACCOUNTS[1:], strict=True)
    ]
    # while the batch page itself shows masked IDs and accounts only
    finance.reload()
    assert decrypt(dismissed_person.id_number_encrypted) not in finance.content()
    assert ACCOUNTS[1] not in finance.content()

    # --- 银行回盘: the first paid, the second failed -------------------------------------------
    result = bank_result(
        [
            (items[0].detail_number, "成功", "", "ABC20250703001"),
            (items[1].detail_number, "失败", "户名与账号不符", ""),
        ]
    )
    finance.locator("input[type=file][name=file]").set_input_files(upload("回盘.csv", result, "text/csv"))
    submit(finance, finance.get_by_role("button", name="导入回盘结果"))
    assert "回盘导入完成：成功 1 笔，失败 1 笔" in finance.content()
    assert [c[6] for c in _cells(finance, "#items tbody tr")] == ["支付成功", "支付失败"]
    assert "账实相符，借贷平衡。" in finance.content()

    # --- 重发: Thursday 3 July, the account corrected, the failed line in a later batch ----------
    clock.set(dt.date(2025, 7, 3))
    registry.person_set_contact(
        actor=w.root,
        person=third_person,
        phone="13700001111",
        bank_name="中国农业银行兰州新区支行",
        bank_account="6228480010000000045",
        reason="原账户户名不符，学员提供新账户",
    )
    finance = people(w.finance)
    second = _make_batch(finance, base, w.fund)
    assert (second.items.count(), _total(second)) == (1, PER_TRAINEE)
    reissued = second.items.get()
    assert reissued.reissue_of_id == items[1].pk
    approver = people(w.finance2)
    approver.goto(f"{base}/funds/batches/{second.pk}/")
    submit(approver, approver.get_by_role("button", name="审批批次"))
    finance.goto(f"{base}/funds/batches/{second.pk}/")
    exported = _export_csv(finance)
    assert [row[2:7] for row in exported[1:]] == [
        [
            third_person.name,
            decrypt(third_person.id_number_encrypted),
            "中国农业银行兰州新区支行",
            "6228480010000000045",
            "1950.00",
        ]
    ]
    finance.reload()  # the download left the page as it was: the result form shows once exported
    result = bank_result([(reissued.detail_number, "成功", "", "ABC20250704001")])
    finance.locator("input[type=file][name=file]").set_input_files(upload("回盘2.csv", result, "text/csv"))
    submit(finance, finance.get_by_role("button", name="导入回盘结果"))
    assert "回盘导入完成：成功 1 笔，失败 0 笔" in finance.content()
    assert "账实相符，借贷平衡。" in finance.content()

    # --- 对账: the report for 2025 -------------------------------------------------------------
    # then paid = 2 × 1950 = 3900.00 (the withdrawn line never paid), nothing committed, and the
    # budget remaining 100000 − 3900 = 96100.00; bank results and ledger agree over the 2 batches
    finance.goto(f"{base}/funds/report/?year=2025")
    fund_row = finance.locator("#fund-report tbody tr", has_text=w.fund.name).locator("td")
    assert fund_row.all_inner_texts()[1:] == ["100000.00", "0.00", "3900.00", "96100.00"]
    check = finance.locator("#fund-reconciliation tbody tr", has_text=w.fund.name).locator("td")
    assert check.all_inner_texts()[1:] == ["2", "3900.00", "3900.00", "相符"]

    # and in the database: each payable line paid exactly once, the withdrawn one never
    paid = BatchItem.objects.filter(status=ItemStatus.PAID)
    assert sorted(paid.values_list("person__name", flat=True)) == sorted(
        [dismissed_person.name, third_person.name]
    )
    assert sum(paid.values_list("amount", flat=True)) == Decimal("3900.00")
    statuses = dict(application.lines.values_list("person__name", "status"))
    assert statuses == {
        upheld_person.name: LineStatus.WITHDRAWN,
        dismissed_person.name: LineStatus.PAID,
        third_person.name: LineStatus.PAID,
    }
