"""Funds: application, review, public notice and payment of every subsidy and reward, exactly once.

Application (机构/企业/个人, or a bureau user on their behalf; 4.1 materials as a checklist)
  └─ ApplicationLine per beneficiary: the engine's quote (amount, bounds, trace, citations)
       │  review within 15 working days → PublicNotice 5 working days (Objection: upheld →
       │  line withdrawn, dismissed → continues) → payment within 5 working days (4.2)
       └─ InstalmentSchedule → Instalment (one for a one-off; monthly allowances, yearly awards)
             ├─ PaymentKey: "the same thing" of the benefit (data, `data/benefits.yaml`);
             │  unique while held, so a second payment of it is impossible even bypassing services
             └─ BatchItem in a PaymentBatch of one FundSource (at most one holding item per
                instalment: a failed item is re-issued in a later batch, never paid twice)
LedgerPosting → LedgerEntry per fund: each posting sums to zero (a deferred PostgreSQL
constraint trigger; on SQLite the service checks and a test proves it)
IdempotencyKey: every money-changing API write; a replay returns the first answer.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    ITEM_HOLDING,
    ApplicantKind,
    ApplicationStatus,
    BatchStatus,
    InstalmentStatus,
    ItemStatus,
    LedgerAccount,
    LineStatus,
    NoticeStatus,
    ObjectionStatus,
    Payee,
    PostingKind,
    ScheduleStatus,
)


class FundSource(models.Model):
    """A fund that pays benefits: 就业补助资金, 兰州市职业技能提升行动专账资金, 新区人才补贴, 失业保险基金…"""

    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("资金名称"), max_length=80)
    account_name = models.CharField(_("付款账户名"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("资金来源")
        verbose_name_plural = _("资金来源")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "code"], name="fund_source_code_once")]

    def __str__(self) -> str:
        return self.name


class FundBudget(models.Model):
    """The annual budget of a fund: a payment batch that would overdraw it is refused."""

    fund_source = models.ForeignKey(FundSource, on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("预算金额"), max_digits=14, decimal_places=2)
    note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("年度预算")
        verbose_name_plural = _("年度预算")
        ordering = ["fund_source", "year"]
        constraints = [
            models.UniqueConstraint(fields=["fund_source", "year"], name="fund_budget_once_a_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fund_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.fund_source} {self.year}"


class BenefitFunding(models.Model):
    """Configuration: which fund pays a benefit of a policy pack in a jurisdiction."""

    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    policy = models.CharField(_("政策包"), max_length=40)
    benefit = models.CharField(_("补贴项目"), max_length=60)
    fund_source = models.ForeignKey(FundSource, verbose_name=_("资金来源"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("补贴资金渠道")
        verbose_name_plural = _("补贴资金渠道")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "policy", "benefit"], name="benefit_funding_once")
        ]

    def __str__(self) -> str:
        return f"{self.policy}/{self.benefit} → {self.fund_source}"


class Application(models.Model):
    """A 资金申请 (4.1) by an institution, an enterprise or a person, for one benefit."""

    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    number = models.CharField(_("申请编号"), max_length=24, unique=True)
    applicant_kind = models.CharField(_("申请主体"), max_length=12, choices=ApplicantKind.choices)
    institution = models.ForeignKey(
        "registry.Institution", verbose_name=_("培训机构"), null=True, blank=True, on_delete=models.PROTECT
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), null=True, blank=True, on_delete=models.PROTECT
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    training_class = models.ForeignKey(
        "training.TrainingClass",
        verbose_name=_("培训班"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_applications",
    )
    policy = models.CharField(_("政策包"), max_length=40)
    benefit = models.CharField(_("补贴项目"), max_length=60)
    fund_source = models.ForeignKey(FundSource, verbose_name=_("资金来源"), on_delete=models.PROTECT)
    claim_date = models.DateField(_("申请依据日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    checklist = models.JSONField(_("申请材料"), default=dict, blank=True)
    # The applying unit's account for benefits paid to it (资金申请表 开户行、账号; `Payee.ORGANISATION`).
    payee_bank_name = models.CharField(_("单位开户行"), max_length=80, blank=True)
    payee_account_encrypted = models.TextField(_("单位银行账号(加密)"), blank=True)
    payee_account_masked = models.CharField(_("单位银行账号"), max_length=12, blank=True)
    filed_by = models.ForeignKey(
        "core.User", verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    on_behalf = models.BooleanField(_("局方代为申请"), default=False)
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    review_due_on = models.DateField(_("审核期限"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "core.User",
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("资金申请")
        verbose_name_plural = _("资金申请")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(applicant_kind="institution", institution__isnull=False)
                    | Q(applicant_kind="enterprise", enterprise__isnull=False)
                    | Q(applicant_kind="person", person__isnull=False)
                ),
                name="application_has_its_applicant",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def applicant_name(self) -> str:
        subject = {"institution": self.institution, "enterprise": self.enterprise, "person": self.person}
        found = subject.get(self.applicant_kind)
        return getattr(found, "name", "") if found is not None else ""

    @property
    def organisation(self) -> Any:
        """The applying enterprise or institution (None for a person's application)."""
        if self.applicant_kind == ApplicantKind.INSTITUTION:
            return self.institution
        if self.applicant_kind == ApplicantKind.ENTERPRISE:
            return self.enterprise
        return None


class PublicNotice(models.Model):
    """A 公示 of reviewed lines: 5 working days after publication (附件2 4.2), objections open."""

    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    number = models.CharField(_("公示编号"), max_length=24, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    issuing_unit = models.CharField(_("发布单位"), max_length=120)
    published_on = models.DateField(_("发布日期"))
    ends_on = models.DateField(_("公示截止日"))
    status = models.CharField(
        _("状态"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.OPEN
    )
    published_by = models.ForeignKey("core.User", verbose_name=_("发布人"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-published_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("published_on")), name="notice_has_a_window"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ApplicationLine(models.Model):
    """One beneficiary of an application: the engine's quote, the reviewer's decision, the status."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="lines")
    # No person: the line is the applying unit's own (a studio's award, an enterprise's reward).
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("受益人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_lines",
    )
    payee = models.CharField(_("收款方"), max_length=12, choices=Payee.choices, default=Payee.PERSON)
    # The talent record the line was started from ("studio:12"): "the same thing" of record awards.
    record = models.CharField(_("来源记录"), max_length=40, blank=True)
    enrolment = models.ForeignKey(
        "training.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="fund_lines"
    )
    benefit = models.CharField(_("补贴项目"), max_length=60)
    facts = models.JSONField(_("事实"), default=dict, blank=True)
    quote = models.JSONField(_("试算结果"), default=dict)
    eligible = models.BooleanField(_("符合条件"), default=False)
    engine_amount = models.DecimalField(_("试算金额"), max_digits=14, decimal_places=2)
    bound_min = models.DecimalField(_("下限"), null=True, blank=True, max_digits=14, decimal_places=2)
    bound_max = models.DecimalField(_("上限"), null=True, blank=True, max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("核定金额"), max_digits=14, decimal_places=2)
    amount_reason = models.CharField(_("调整理由"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=LineStatus.choices, default=LineStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        "core.User",
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    notice = models.ForeignKey(
        PublicNotice, null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    payment_due_on = models.DateField(_("拨付期限"), null=True, blank=True)
    occupation = models.CharField(_("职业(工种)"), max_length=80, blank=True)
    level = models.CharField(_("等级"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("申请明细")
        verbose_name_plural = _("申请明细")
        ordering = ["application", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="line_amount_not_negative"),
            models.UniqueConstraint(
                fields=["application", "person"], name="line_person_once_per_application"
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(person__isnull=True),
                name="line_organisation_once_per_application",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(payee="organisation"),
                name="line_without_person_is_paid_to_the_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.number}/{self.pk} {self.beneficiary_name}"

    @property
    def beneficiary_name(self) -> str:
        return self.person.name if self.person is not None else self.application.applicant_name

    @property
    def beneficiary_id_masked(self) -> str:
        """The person's masked ID; a unit's 统一社会信用代码 (public, on its business licence)."""
        if self.person is not None:
            return self.person.id_number_masked
        organisation = self.application.organisation
        return getattr(organisation, "credit_code", "")


class Objection(models.Model):
    """An objection to a noticed line, filed in the window; must be resolved before payment."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections")
    line = models.ForeignKey(ApplicationLine, on_delete=models.PROTECT, related_name="objections")
    objector_name = models.CharField(_("异议人"), max_length=60)
    objector_contact = models.CharField(_("联系方式"), max_length=60, blank=True)
    content = models.TextField(_("异议内容"))
    filed_on = models.DateField(_("提出日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    resolution = models.TextField(_("处理意见"), blank=True)
    resolved_by = models.ForeignKey(
        "core.User",
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.notice.number} 异议 #{self.pk}"


class InstalmentSchedule(models.Model):
    """How a line is paid: one instalment, or the engine's schedule (monthly, yearly)."""

    line = models.OneToOneField(ApplicationLine, on_delete=models.PROTECT, related_name="schedule")
    status = models.CharField(
        _("状态"), max_length=10, choices=ScheduleStatus.choices, default=ScheduleStatus.ACTIVE
    )
    stop_reason = models.CharField(_("停发原因"), max_length=200, blank=True)
    stopped_by = models.ForeignKey(
        "core.User",
        verbose_name=_("停发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    stopped_on = models.DateField(_("停发日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("分期计划")
        verbose_name_plural = _("分期计划")

    def __str__(self) -> str:
        return f"{self.line} 分期"


class Instalment(models.Model):
    schedule = models.ForeignKey(InstalmentSchedule, on_delete=models.PROTECT, related_name="instalments")
    seq = models.PositiveSmallIntegerField(_("期次"))
    due_month = models.CharField(_("应付月份"), max_length=7)
    amount = models.DecimalField(_("金额"), max_digits=14, decimal_places=2)
    status = models.CharField(
        _("状态"), max_length=10, choices=InstalmentStatus.choices, default=InstalmentStatus.SCHEDULED
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("应付期次")
        verbose_name_plural = _("应付期次")
        ordering = ["schedule", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "seq"], name="instalment_seq_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule.line} 第{self.seq}期 {self.due_month}"


class PaymentKey(models.Model):
    """ "The same thing" of a benefit (e.g. person + occupation + level): held by one instalment.

    Unique while not released: a second instalment with the same key cannot exist, whatever code
    inserts it. A key is released only when its line is withdrawn or stopped before payment."""

    key = models.CharField(_("支付键"), max_length=200)
    jurisdiction = models.ForeignKey("core.Jurisdiction", on_delete=models.PROTECT)
    instalment = models.ForeignKey(Instalment, on_delete=models.PROTECT, related_name="payment_keys")
    created_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(_("释放时间"), null=True, blank=True)
    release_reason = models.CharField(_("释放原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("支付键")
        verbose_name_plural = _("支付键")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "key"],
                condition=Q(released_at__isnull=True),
                name="payment_key_held_once",
            )
        ]

    def __str__(self) -> str:
        return self.key


class PaymentBatch(models.Model):
    """A 拨付批次 of one fund source; approved by someone who reviewed none of its lines."""

    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    number = models.CharField(_("批次号"), max_length=24, unique=True)
    fund_source = models.ForeignKey(FundSource, verbose_name=_("资金来源"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("预算年度"))
    status = models.CharField(
        _("状态"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    created_by = models.ForeignKey(
        "core.User", verbose_name=_("制单人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("制单时间"), default=timezone.now)
    approved_by = models.ForeignKey(
        "core.User",
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    exported_at = models.DateTimeField(_("导出时间"), null=True, blank=True)
    settled_at = models.DateTimeField(_("回盘时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("拨付批次")
        verbose_name_plural = _("拨付批次")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.number


class BatchItem(models.Model):
    """One payment (明细) of a batch: an instalment to a person's bank account."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="items")
    detail_number = models.CharField(_("明细号"), max_length=32, unique=True)
    instalment = models.ForeignKey(Instalment, on_delete=models.PROTECT, related_name="batch_items")
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("收款人"), null=True, blank=True, on_delete=models.PROTECT
    )
    payee = models.CharField(_("收款方"), max_length=12, choices=Payee.choices, default=Payee.PERSON)
    amount = models.DecimalField(_("金额"), max_digits=14, decimal_places=2)
    purpose = models.CharField(_("用途"), max_length=120)
    status = models.CharField(
        _("状态"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING
    )
    failure_reason = models.CharField(_("失败原因"), max_length=200, blank=True)
    bank_reference = models.CharField(_("银行流水号"), max_length=64, blank=True)
    settled_at = models.DateTimeField(_("回盘时间"), null=True, blank=True)
    reissue_of = models.ForeignKey(
        "self", verbose_name=_("重发自"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("拨付明细")
        verbose_name_plural = _("拨付明细")
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["instalment"],
                condition=Q(status__in=[s.value for s in ITEM_HOLDING]),
                name="batch_item_holds_instalment_once",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="batch_item_amount_positive"),
            models.CheckConstraint(
                condition=Q(payee="person", person__isnull=False) | Q(payee="organisation"),
                name="batch_item_has_its_payee",
            ),
        ]

    def __str__(self) -> str:
        return self.detail_number

    @property
    def payee_application(self) -> Application:
        return self.instalment.schedule.line.application

    @property
    def payee_name(self) -> str:
        if self.payee == Payee.PERSON and self.person is not None:
            return self.person.name
        return self.payee_application.applicant_name

    @property
    def payee_id_masked(self) -> str:
        if self.payee == Payee.PERSON and self.person is not None:
            return self.person.id_number_masked
        return getattr(self.payee_application.organisation, "credit_code", "")

    @property
    def payee_account_masked(self) -> str:
        if self.payee == Payee.PERSON and self.person is not None:
            return self.person.bank_account_masked
        return self.payee_application.payee_account_masked


class LedgerPosting(models.Model):
    """One event on a fund's ledger (a commitment, payment, reversal or recovery of a batch item).

    Its entries sum to zero; at most one posting of each kind per item."""

    fund_source = models.ForeignKey(FundSource, on_delete=models.PROTECT, related_name="postings")
    year = models.PositiveSmallIntegerField(_("预算年度"))
    kind = models.CharField(_("类型"), max_length=12, choices=PostingKind.choices)
    batch_item = models.ForeignKey(
        BatchItem, null=True, blank=True, on_delete=models.PROTECT, related_name="postings"
    )
    memo = models.CharField(_("摘要"), max_length=200)
    posted_at = models.DateTimeField(_("记账时间"), default=timezone.now)
    posted_by_id = models.BigIntegerField(_("记账人ID"), null=True, blank=True)

    class Meta:
        verbose_name = _("记账凭证")
        verbose_name_plural = _("记账凭证")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["batch_item", "kind"], name="posting_kind_once_per_item")
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.memo}"


class LedgerEntry(models.Model):
    """A debit (positive) or credit (negative) on one account of the posting's fund."""

    posting = models.ForeignKey(LedgerPosting, on_delete=models.PROTECT, related_name="entries")
    fund_source = models.ForeignKey(FundSource, on_delete=models.PROTECT, related_name="+")
    account = models.CharField(_("科目"), max_length=10, choices=LedgerAccount.choices)
    amount = models.DecimalField(_("金额"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("分录")
        verbose_name_plural = _("分录")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="ledger_entry_not_zero")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount}"


class IdempotencyKey(models.Model):
    """The first answer to a money-changing API write, replayed for the same key and body."""

    user = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=80)
    operation = models.CharField(max_length=80)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("幂等键")
        verbose_name_plural = _("幂等键")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
