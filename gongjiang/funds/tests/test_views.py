"""Pages: the public notice without log-in (masked IDs only), objections filed there, the queues with
their working-day clocks, and a batch driven through its page (approve, bank file, bank result)."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongjiang.core.pii import decrypt
from gongjiang.registry.tests.factories import PASSWORD

from .. import services
from ..choices import BatchStatus, InstalmentStatus, ItemStatus
from ..models import Instalment, Objection, PaymentBatch
from .factories import YEAR, bank_result, noticed, reviewed, trainees


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_public_notice_shows_name_masked_id_occupation_level_and_amount_without_log_in(fw):
    # given a notice published today with one line (焊工, 培训合格证, 1500 元 — 附件3 A类)
    person = trainees(fw, 1)[0]
    application = reviewed(fw, [person])
    notice = services.notice_publish(
        actor=fw.reviewer,
        applications=[application],
        title="2025年第一批职业技能培训补贴公示",
        issuing_unit="兰州新区民政司法和社会保障局",
        today=timezone.localdate(),
    )
    # when anyone opens it
    page = _client().get(reverse("funds_public:notice_detail", args=[notice.pk]))
    # then the line is there with the masked ID, never the full one
    text = page.content.decode()
    assert page.status_code == 200
    for shown in (
        "2025年第一批职业技能培训补贴公示",
        "兰州新区民政司法和社会保障局",
        person.name,
        person.id_number_masked,
        "焊工",
        "培训合格证",
        "1500.00",
    ):
        assert shown in text
    assert decrypt(person.id_number_encrypted) not in text
    # and an objection can be filed there within the window
    response = _client().post(
        reverse("funds_public:notice_detail", args=[notice.pk]),
        {"line": application.lines.get().pk, "objector_name": "群众", "content": "此人未参训"},
    )
    assert response.status_code == 200 and "异议已受理" in response.content.decode()
    assert Objection.objects.get().content == "此人未参训"


def test_queues_show_working_days_left(fw):
    # given a payable line whose payment falls due 5 working days after the notice window
    noticed(fw, trainees(fw, 1))
    # when finance opens the payment queue (today is long after 1 December 2025)
    page = _client(fw.finance).get(reverse("funds:payment_queue"))
    # then the line is flagged overdue
    assert "已超期" in page.content.decode()


def test_a_batch_through_its_page(fw):
    # given a batch made by one finance officer
    noticed(fw, trainees(fw, 2))
    batch = services.batch_create(actor=fw.finance, fund_source=fw.fund, year=YEAR)
    url = lambda action: reverse("funds:batch_action", args=[batch.pk, action])  # noqa: E731
    # when the maker tries to approve it, then the second officer does
    _client(fw.finance).post(url("approve"))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAFT
    _client(fw.finance2).post(url("approve"))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED
    # and exports the bank file, then imports the bank's result
    exported = _client(fw.finance).post(url("export"), {"format": "csv"})
    assert exported.status_code == 200 and exported["Content-Disposition"].endswith('.csv"')
    first, second = batch.items.order_by("id")
    data = bank_result(
        [(first.detail_number, "成功", "", "B1"), (second.detail_number, "失败", "账户已销户", "")]
    )
    _client(fw.finance).post(url("result"), {"file": SimpleUploadedFile("回盘.csv", data)})
    # then the page shows the reconciliation as balanced
    page = _client(fw.finance).get(reverse("funds:batch_detail", args=[batch.pk]))
    assert "账实相符" in page.content.decode()
    assert [i.status for i in batch.items.order_by("id")] == [ItemStatus.PAID, ItemStatus.FAILED]


def _total(batch) -> Decimal:
    return sum((item.amount for item in batch.items.all()), Decimal(0))


def test_a_batch_is_made_on_its_page(fw):
    # given three payable lines of 1500.00 each (新民社发〔2025〕13号 附件3 A类 焊工 培训合格证 1500 元)
    people = trainees(fw, 3)
    noticed(fw, people)
    finance = _client(fw.finance)
    url = reverse("funds:batch_new")
    # when the finance officer opens the page, the due instalments are listed with masked IDs only
    page = finance.get(url, {"fund_source": fw.fund.pk}).content.decode()
    due = list(
        Instalment.objects.filter(status=InstalmentStatus.DUE, schedule__line__person__in=people).order_by(
            "pk"
        )
    )
    assert len(due) == 3
    for person in people:
        assert person.id_number_masked in page
        assert decrypt(person.id_number_encrypted) not in page
    # and ticks two of them
    response = finance.post(
        url,
        {"fund_source": fw.fund.pk, "year": YEAR, "scope": "chosen", "instalments": [due[0].pk, due[1].pk]},
    )
    # then a draft batch of 2 × 1500.00 = 3000.00 is made and the page goes to it
    first = PaymentBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "funds:batch_detail", args=[first.pk]
    )
    assert (first.status, _total(first)) == (BatchStatus.DRAFT, Decimal("3000.00"))
    assert sorted(first.items.values_list("instalment_id", flat=True)) == [due[0].pk, due[1].pk]
    assert first.created_by == fw.finance
    # when the same choice is sent again (a double click), it is refused and no second batch is made
    again = finance.post(
        url,
        {"fund_source": fw.fund.pk, "year": YEAR, "scope": "chosen", "instalments": [due[0].pk, due[1].pk]},
    )
    assert again.status_code == 200 and "请勾选要拨付的期次" in again.content.decode()
    assert PaymentBatch.objects.count() == 1
    # a bad year and an empty choice are refused with a message, writing nothing
    for data, message in (
        ({"year": "二五", "scope": "all"}, "预算年度应为四位年份"),
        ({"year": YEAR, "scope": "chosen"}, "请勾选要拨付的期次"),
    ):
        refused = finance.post(url, {"fund_source": fw.fund.pk, **data})
        assert message in refused.content.decode()
    assert PaymentBatch.objects.count() == 1
    # "all due" takes the remaining one; then nothing is left and a further batch is refused
    finance.post(url, {"fund_source": fw.fund.pk, "year": YEAR, "scope": "all"})
    second = PaymentBatch.objects.exclude(pk=first.pk).get()
    assert list(second.items.values_list("instalment_id", flat=True)) == [due[2].pk]
    assert _total(second) == Decimal("1500.00")
    empty = finance.post(url, {"fund_source": fw.fund.pk, "year": YEAR, "scope": "all"})
    assert "该资金来源没有待拨付的期次" in empty.content.decode()
    assert PaymentBatch.objects.count() == 2
    # and a reviewer (no payment capability) may not open the page
    assert _client(fw.reviewer).get(url).status_code == 403


def test_the_workflow_through_the_pages(fw):
    # given a closed class of institution A with one qualified trainee (焊工 A类, 培训合格证)
    from .factories import closed_class

    training_class = closed_class(fw)

    clerk, reviewer = _client(fw.clerk), _client(fw.reviewer)
    # when the clerk generates the application from the closed class
    response = clerk.post(reverse("funds:apply_for_class"), {"class": training_class.pk})
    assert response.status_code == 302
    from ..models import Application

    application = Application.objects.get(training_class=training_class)
    # and ticks every 4.1 material and submits
    act = lambda user, action, data=None: user.post(  # noqa: E731
        reverse("funds:application_action", args=[application.pk, action]), data or {}
    )
    from .factories import all_materials

    act(clerk, "checklist", {"items": list(all_materials())})
    act(clerk, "submit")
    application.refresh_from_db()
    assert application.status == "submitted"
    # then the reviewer sees the engine's trace on the page and approves the line
    page = reviewer.get(reverse("funds:application_detail", args=[application.pk])).content.decode()
    assert "新民社发〔2025〕13号 附件3" in page
    line = application.lines.get()
    # a rural trainee of a 15-day 焊工 class: 1500 (附件3 A类 培训合格证) + 30 × 15 days (附件3 备注1
    # 农村学员生活费补助每人每天30元) = 1950 元
    assert line.engine_amount == Decimal("1950.00")
    reviewer.post(reverse("funds:line_review", args=[line.pk]), {"decision": "approve"})
    act(reviewer, "review_complete", {"note": "材料齐全"})
    act(reviewer, "publish", {"title": "培训补贴公示", "issuing_unit": "兰州新区人社局"})
    application.refresh_from_db()
    assert application.status == "in_notice"
    notice = application.lines.get().notice
    assert reviewer.get(reverse("funds:notice_detail", args=[notice.pk])).status_code == 200
