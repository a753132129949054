"""Application → review → public notice → batch → bank file → bank result → ledger (附件2 第四章).

Amounts: 焊工 is 附件3 A类; an urban trainee of a 就业技能培训 class at 培训合格证 level gets 1500 元
(新民社发〔2025〕13号 附件3 A类 培训合格证 1500 元, no 备注1 living allowance for urban trainees).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongjiang.core.errors import DomainError, ImportRejected, PermissionDenied
from gongjiang.core.spreadsheets import read_table

from .. import ledger, selectors, services
from ..choices import (
    ApplicationStatus,
    BatchStatus,
    InstalmentStatus,
    ItemStatus,
    LedgerAccount,
    LineStatus,
)
from ..models import Instalment, PaymentKey
from .factories import (
    A_CERT,
    CLAIM_DATE,
    WELDER_FACTS,
    YEAR,
    all_materials,
    bank_result,
    noticed,
    reviewed,
    submitted,
    trainees,
    training_application,
)


def test_each_line_is_quoted_by_the_engine_with_its_trace_and_citation(fw):
    # given two urban trainees of a 焊工 class
    people = trainees(fw, 2)
    # when the institution files its application
    application = training_application(fw, people)
    # then each line carries the engine's 1500 元 (附件3 A类 培训合格证) with the citation
    lines = list(application.lines.order_by("id"))
    assert [line.engine_amount for line in lines] == [A_CERT, A_CERT]
    assert all(line.status == LineStatus.PENDING for line in lines)
    assert lines[0].quote["trace"][0]["citation"] == "新民社发〔2025〕13号 附件3 A类 培训合格证"
    assert lines[0].occupation == "焊工"
    assert lines[0].level == "培训合格证"
    assert application.fund_source.name == "兰州市职业技能提升行动专账资金"
    assert application.on_behalf is False


def test_a_line_a_cap_blocks_is_kept_and_shown_as_blocked(fw):
    # given a trainee already approved for 电工 this year (附件3 备注5: 每年只能享受1次)
    person = trainees(fw, 1)[0]
    reviewed(fw, [person], facts={**WELDER_FACTS, "occupation": "电工"})
    # when a second application in the same year names them
    application = training_application(fw, [person], claim_date=dt.date(2025, 12, 1))
    # then the line is there, blocked, with the engine's reason, at 0 元
    line = application.lines.get()
    assert line.status == LineStatus.BLOCKED
    assert [r["code"] for r in line.quote["reasons"]] == ["once_per_year"]
    assert line.amount == 0
    # and it cannot be approved
    services.application_checklist_set(actor=fw.clerk, application=application, items=all_materials())
    services.application_submit(actor=fw.clerk, application=application, today=dt.date(2025, 12, 1))
    with pytest.raises(DomainError, match="不能审核"):
        services.line_review(actor=fw.reviewer, line=line, approve=True)


def test_submission_needs_every_4_1_material(fw):
    # given an application whose invoices are missing
    application = training_application(fw, trainees(fw, 1))
    materials = all_materials()
    materials["invoice"] = False
    services.application_checklist_set(actor=fw.clerk, application=application, items=materials)
    # when / then submission is refused, naming the material (附件2 4.1 发票收据)
    with pytest.raises(DomainError, match="发票收据"):
        services.application_submit(actor=fw.clerk, application=application)


def test_a_clerk_files_only_for_their_own_institution_and_the_bureau_may_file_on_behalf(fw):
    # when the clerk of institution A files for institution B
    with pytest.raises(PermissionDenied):
        services.application_create(
            actor=fw.clerk,
            applicant_kind="institution",
            applicant=fw.institution_b,
            policy="lanzhou-xinqu-2025",
            benefit="training_subsidy",
            claim_date=CLAIM_DATE,
        )
    # then a bureau admin may, and the application records it was on their behalf
    application = services.application_create(
        actor=fw.root,
        applicant_kind="institution",
        applicant=fw.institution_b,
        policy="lanzhou-xinqu-2025",
        benefit="training_subsidy",
        claim_date=CLAIM_DATE,
    )
    assert application.on_behalf is True


def test_reviewer_amount_only_inside_the_bounds_with_a_reason(fw):
    # given a submitted line whose standard is a fixed 1500 元 (附件3 A类 培训合格证)
    application = submitted(fw, trainees(fw, 1))
    line = application.lines.get()
    # when the reviewer sets another amount without a reason / with one
    with pytest.raises(DomainError, match="理由"):
        services.line_review(actor=fw.reviewer, line=line, approve=True, amount="1200")
    with pytest.raises(DomainError, match="定额"):
        services.line_review(actor=fw.reviewer, line=line, approve=True, amount="1200", reason="考勤不足")
    # then the engine's amount is approved as it is
    line = services.line_review(actor=fw.reviewer, line=line, approve=True)
    assert line.amount == A_CERT


def test_reviewer_amount_inside_a_range(fw):
    # given an evaluation subsidy line: 每人不超过300元 (新民社发〔2025〕13号 四(三)), so the engine
    # quotes its upper bound 300 with bounds 0–300
    person = trainees(fw, 1)[0]
    application = services.application_create(
        actor=fw.clerk,
        applicant_kind="institution",
        applicant=fw.institution_a,
        policy="lanzhou-xinqu-2025",
        benefit="evaluation_subsidy",
        claim_date=CLAIM_DATE,
    )
    line = services.application_line_add(actor=fw.clerk, application=application, person=person, facts={})
    assert (line.engine_amount, line.bound_min, line.bound_max) == (
        Decimal("300.00"),
        Decimal("0.00"),
        Decimal("300.00"),
    )
    services.application_checklist_set(
        actor=fw.clerk, application=application, items=all_materials("evaluation_subsidy")
    )
    services.application_submit(actor=fw.clerk, application=application)
    # when the reviewer sets 350 (outside) and then 200 (inside) with a reason
    with pytest.raises(DomainError, match="之间"):
        services.line_review(actor=fw.reviewer, line=line, approve=True, amount="350", reason="核增")
    line = services.line_review(
        actor=fw.reviewer, line=line, approve=True, amount="200", reason="按评价成本核定"
    )
    # then the amount, the reason and the instalment follow
    assert (line.amount, line.amount_reason) == (Decimal("200.00"), "按评价成本核定")
    assert Instalment.objects.get(schedule__line=line).amount == Decimal("200.00")


def test_objection_upheld_withdraws_the_line_and_dismissed_lets_it_continue(fw):
    # given two approved lines in a notice published Monday 17 November 2025
    people = trainees(fw, 2)
    application = reviewed(fw, people)
    notice = services.notice_publish(
        actor=fw.reviewer,
        applications=[application],
        title="公示",
        issuing_unit="兰州新区民政司法和社会保障局",
        today=dt.date(2025, 11, 17),
    )
    # 5 working days after Monday 17th: 18, 19, 20, 21, 24 → the window ends Monday 24th (附件2 4.2)
    assert notice.ends_on == dt.date(2025, 11, 24)
    first, second = application.lines.order_by("id")
    upheld = services.objection_file(
        actor=None,
        notice=notice,
        line=first,
        objector_name="群众甲",
        content="未参加培训",
        today=dt.date(2025, 11, 18),
    )
    dismissed = services.objection_file(
        actor=None,
        notice=notice,
        line=second,
        objector_name="群众乙",
        content="怀疑",
        today=dt.date(2025, 11, 19),
    )
    # when the window has passed but an objection is open, the notice cannot close
    with pytest.raises(DomainError, match="未处理的异议"):
        services.notice_close(actor=fw.reviewer, notice=notice, today=dt.date(2025, 11, 25))
    services.objection_resolve(actor=fw.reviewer, objection=upheld, upheld=True, resolution="经核实未参训")
    services.objection_resolve(actor=fw.reviewer, objection=dismissed, upheld=False, resolution="考勤齐全")
    services.notice_close(actor=fw.reviewer, notice=notice, today=dt.date(2025, 11, 25))
    # then the first is withdrawn (its keys released), the second payable within 5 working days
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == LineStatus.WITHDRAWN
    assert not PaymentKey.objects.filter(instalment__schedule__line=first, released_at__isnull=True).exists()
    assert second.status == LineStatus.PAYABLE
    # 5 working days after Monday 24th: 25, 26, 27, 28 November, 1 December
    assert second.payment_due_on == dt.date(2025, 12, 1)
    # and an objection after the window is refused
    with pytest.raises(DomainError, match="公示期"):
        services.objection_file(
            actor=None,
            notice=notice,
            line=second,
            objector_name="丙",
            content="迟到",
            today=dt.date(2025, 11, 26),
        )


def test_two_person_rule_and_budget(fw):
    # given a payable line reviewed by the centre reviewer, in a batch made by finance
    application = noticed(fw, trainees(fw, 1))
    batch = services.batch_create(actor=fw.finance, fund_source=fw.fund, year=YEAR)
    # when the reviewer (a bureau role that may not approve here) or the maker approve
    with pytest.raises(PermissionDenied):
        services.batch_approve(actor=fw.reviewer, batch=batch)
    with pytest.raises(DomainError, match="制单人"):
        services.batch_approve(actor=fw.finance, batch=batch)
    # then an admin who reviewed a line in it is refused as well
    line = application.lines.get()
    line.reviewed_by = fw.root
    line.save(update_fields=["reviewed_by"])
    with pytest.raises(DomainError, match="双人原则"):
        services.batch_approve(actor=fw.root, batch=batch)
    # and a budget smaller than the batch refuses it: 1000 < 1500
    services.fund_budget_set(
        actor=fw.root, fund_source=fw.fund, year=YEAR, amount=Decimal("1000"), note="调减"
    )
    with pytest.raises(DomainError, match="超出年度预算"):
        services.batch_approve(actor=fw.finance2, batch=batch)
    services.fund_budget_set(
        actor=fw.root, fund_source=fw.fund, year=YEAR, amount=Decimal("1500"), note="调增"
    )
    batch = services.batch_approve(actor=fw.finance2, batch=batch)
    assert batch.status == BatchStatus.APPROVED
    assert ledger.balances(fw.fund, YEAR)[LedgerAccount.EXPENSE] == A_CERT


def test_bank_file_result_failure_reissued_and_paid_once_with_a_balanced_ledger(fw):
    # given three payable lines (3 × 1500 元) in an approved batch
    application = noticed(fw, trainees(fw, 3))
    batch = services.batch_create(actor=fw.finance, fund_source=fw.fund, year=YEAR)
    services.batch_approve(actor=fw.finance2, batch=batch)
    # when the bank file is exported (CSV)
    name, data = services.batch_export(actor=fw.finance, batch=batch, file_format="csv")
    header, rows = read_table(name, data)
    assert header == ["批次号", "明细号", "姓名", "证件号", "开户行", "账号", "金额", "用途"]
    assert [r.values["金额"] for r in rows] == ["1500.00"] * 3
    assert rows[0].values["账号"] == "6228480012345678901"  # the full account: the file goes to the bank
    numbers = [r.values["明细号"] for r in rows]
    # and the bank pays two and fails one
    result = bank_result(
        [
            (numbers[0], "成功", "", "B0001"),
            (numbers[1], "成功", "", "B0002"),
            (numbers[2], "失败", "户名与账号不符", ""),
        ]
    )
    counts = services.batch_result_import(actor=fw.finance, batch=batch, filename="回盘.csv", data=result)
    assert counts == {"paid": 2, "failed": 1}
    # then the failed instalment is due again and re-issued in a later batch
    again = services.batch_create(actor=fw.finance, fund_source=fw.fund, year=YEAR)
    assert again.items.count() == 1
    assert again.items.get().reissue_of.detail_number == numbers[2]
    services.batch_approve(actor=fw.finance2, batch=again)
    name2, data2 = services.batch_export(actor=fw.finance, batch=again, file_format="xlsx")
    header2, rows2 = read_table(name2, data2)
    retry = again.items.get().detail_number
    assert header2 == header and [r.values["明细号"] for r in rows2] == [retry]
    services.batch_result_import(
        actor=fw.finance, batch=again, filename="回盘.csv", data=bank_result([(retry, "成功", "", "B0003")])
    )
    # and a late second "success" for the failed item is refused (the batch is settled): never twice
    with pytest.raises(DomainError, match="回盘"):
        services.batch_result_import(
            actor=fw.finance,
            batch=batch,
            filename="回盘.csv",
            data=bank_result([(numbers[2], "成功", "", "B9")]),
        )
    # the ledger: paid 3 × 1500 = 4500, nothing left payable, expense 4500, every posting balanced
    balances = ledger.balances(fw.fund, YEAR)
    assert balances == {
        LedgerAccount.EXPENSE: Decimal("4500.00"),
        LedgerAccount.PAYABLE: Decimal("0.00"),
        LedgerAccount.BANK: Decimal("-4500.00"),
    }
    assert ledger.unbalanced_postings() == []
    assert all(line.status == LineStatus.PAID for line in application.lines.all())
    assert selectors.reconciliation(batch).balanced
    assert selectors.reconciliation(again).balanced
    # and the fund's reconciliation ties bank results, both batches and the ledger: 4500 = 4500
    fund_check = next(c for c in selectors.fund_reconciliation(fw.finance, YEAR) if c.fund_source == fw.fund)
    assert (fund_check.bank_paid, fund_check.ledger_paid, fund_check.batches) == (
        Decimal("4500.00"),
        Decimal("4500.00"),
        2,
    )
    assert fund_check.balanced
    assert batch.items.filter(status=ItemStatus.PAID).count() == 2


def test_bank_result_with_bad_rows_writes_nothing(fw):
    # given an exported batch of one item
    noticed(fw, trainees(fw, 1))
    batch = services.batch_create(actor=fw.finance, fund_source=fw.fund, year=YEAR)
    services.batch_approve(actor=fw.finance2, batch=batch)
    services.batch_export(actor=fw.finance, batch=batch)
    number = batch.items.get().detail_number
    # when the result file has an unknown number and a success without a bank reference
    data = bank_result([(number, "成功", "", ""), ("X-1", "成功", "", "B1")])
    with pytest.raises(ImportRejected) as caught:
        services.batch_result_import(actor=fw.finance, batch=batch, filename="r.csv", data=data)
    # then each row is named and nothing changed
    assert {e["column"] for e in caught.value.errors} == {"银行流水号", "明细号"}
    assert batch.items.get().status == ItemStatus.SENT


def test_an_instalment_cannot_sit_in_two_batches(fw):
    # given a due instalment already in a batch
    noticed(fw, trainees(fw, 1))
    instalment = Instalment.objects.get()
    services.batch_create(actor=fw.finance, fund_source=fw.fund, year=YEAR)
    # when another batch asks for it
    with pytest.raises(DomainError, match="不是待拨付状态"):
        services.batch_create(actor=fw.finance, fund_source=fw.fund, year=YEAR, instalments=[instalment])
    instalment.refresh_from_db()
    assert instalment.status == InstalmentStatus.IN_BATCH


def test_review_clock_starts_at_submission(fw):
    # given a submission on Friday 14 November 2025
    application = submitted(fw, trainees(fw, 1), today=dt.date(2025, 11, 14))
    # then the review is due 15 working days later (附件2 4.2): 17–21, 24–28 Nov, 1–5 Dec → 5 Dec
    assert application.review_due_on == dt.date(2025, 12, 5)
    assert application.status == ApplicationStatus.SUBMITTED
    queue = selectors.review_queue(fw.reviewer, dt.date(2025, 12, 8))
    assert queue[0].clock.overdue and queue[0].clock.left == -1


def test_a_recovery_posts_a_balanced_entry_and_happens_once(fw):
    # given a 1500 元 payment made (附件3 A类 培训合格证)
    noticed(fw, trainees(fw, 1))
    batch = services.batch_create(actor=fw.finance, fund_source=fw.fund, year=YEAR)
    services.batch_approve(actor=fw.finance2, batch=batch)
    services.batch_export(actor=fw.finance, batch=batch)
    item = batch.items.get()
    services.batch_result_import(
        actor=fw.finance,
        batch=batch,
        filename="r.csv",
        data=bank_result([(item.detail_number, "成功", "", "B1")]),
    )
    # when the money is recovered (追回) because the person was found ineligible
    services.item_recover(actor=fw.finance, item=item, reason="冒名参训，已追回")
    # then the fund is back where it started: expense 1500 − 1500 = 0, bank −1500 + 1500 = 0
    assert ledger.balances(fw.fund, YEAR) == {
        LedgerAccount.EXPENSE: Decimal("0.00"),
        LedgerAccount.PAYABLE: Decimal("0.00"),
        LedgerAccount.BANK: Decimal("0.00"),
    }
    assert ledger.unbalanced_postings() == []
    check = next(c for c in selectors.fund_reconciliation(fw.finance, YEAR) if c.fund_source == fw.fund)
    assert (check.bank_paid, check.ledger_paid, check.balanced) == (Decimal("0.00"), Decimal("0.00"), True)
    # and a second recovery of the same item is refused
    with pytest.raises(DomainError, match="已追回"):
        services.item_recover(actor=fw.finance, item=item, reason="再次")


def test_an_enterprise_applies_for_its_apprentices(fw):
    # given the enterprise clerk of enterprise A and its employee
    clerk = fw.users["enterprise_clerk"]
    # when it applies for the apprenticeship subsidy of an intermediate-level 焊工 apprentice
    application = services.application_create(
        actor=clerk,
        applicant_kind="enterprise",
        applicant=fw.enterprise_a,
        policy="lanzhou-xinqu-2025",
        benefit="apprentice_subsidy",
        claim_date=CLAIM_DATE,
    )
    line = services.application_line_add(
        actor=clerk,
        application=application,
        person=fw.employee_a,
        facts={"level": "intermediate", "occupation": "焊工", "shortage": False},
    )
    # then 附件3 备注4: 中级工每人每年的补贴标准为 6000 元, paid by 失业保险基金 (configuration)
    assert line.engine_amount == Decimal("6000.00")
    assert application.fund_source.name == "失业保险基金"
    assert application.on_behalf is False
    # and it cannot apply for enterprise B
    with pytest.raises(PermissionDenied):
        services.application_create(
            actor=clerk,
            applicant_kind="enterprise",
            applicant=fw.enterprise_b,
            policy="lanzhou-xinqu-2025",
            benefit="apprentice_subsidy",
            claim_date=CLAIM_DATE,
        )


def test_ledger_balances_are_in_yuan_and_fen_on_every_database(fw):
    # given two 1500 元 lines (附件3 A类 培训合格证) paid by the bank: SQLite sums decimals as floats,
    # so an unrounded sum would come back as Decimal("-3000") and show as "3000" on the report page
    noticed(fw, trainees(fw, 2))
    batch = services.batch_create(actor=fw.finance, fund_source=fw.fund, year=YEAR)
    services.batch_approve(actor=fw.finance2, batch=batch)
    services.batch_export(actor=fw.finance, batch=batch, file_format="csv")
    rows = [(item.detail_number, "成功", "", f"B{item.pk}") for item in batch.items.order_by("id")]
    services.batch_result_import(actor=fw.finance, batch=batch, filename="回盘.csv", data=bank_result(rows))
    # when the balances, the report and the reconciliations are read
    balances = ledger.balances(fw.fund, YEAR)
    row = next(r for r in selectors.fund_report(fw.finance, YEAR) if r.fund_source == fw.fund)
    # then every amount has two decimal places: 2 × 1500 = 3000.00 paid, 100000 − 3000 = 97000.00 left
    assert all(value.as_tuple().exponent == -2 for value in balances.values())
    assert (str(row.paid), str(row.remaining)) == ("3000.00", "97000.00")
    check = next(c for c in selectors.fund_reconciliation(fw.finance, YEAR) if c.fund_source == fw.fund)
    assert (str(check.bank_paid), str(check.ledger_paid)) == ("3000.00", "3000.00")
    assert str(selectors.reconciliation(batch).ledger_paid) == "3000.00"
