"""Choices of the funds workflow (新民社发〔2025〕13号 附件2 第四章 补贴资金管理)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantKind(models.TextChoices):
    INSTITUTION = "institution", _("培训机构")
    ENTERPRISE = "enterprise", _("企业")
    PERSON = "person", _("个人")


class Payee(models.TextChoices):
    """Whose bank account a line is paid into: the beneficiary person's, or the applying unit's
    (an enterprise's or institution's own benefits, and benefits paid through it, `data/benefits.yaml`)."""

    PERSON = "person", _("个人账户")
    ORGANISATION = "organisation", _("单位账户")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    REVIEWED = "reviewed", _("已审核")
    RETURNED = "returned", _("退回修改")
    IN_NOTICE = "in_notice", _("公示中")
    NOTICED = "noticed", _("公示结束")
    CLOSED = "closed", _("已办结")


class LineStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    BLOCKED = "blocked", _("政策限制不予补贴")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("审核不通过")
    IN_NOTICE = "in_notice", _("公示中")
    PAYABLE = "payable", _("待拨付")
    WITHDRAWN = "withdrawn", _("异议成立已撤回")
    STOPPED = "stopped", _("已停发")
    PAID = "paid", _("已拨付")


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("公示中")
    CLOSED = "closed", _("公示结束")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class ScheduleStatus(models.TextChoices):
    ACTIVE = "active", _("执行中")
    STOPPED = "stopped", _("已停发")
    COMPLETED = "completed", _("已发完")


class InstalmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("未到期")
    DUE = "due", _("待拨付")
    IN_BATCH = "in_batch", _("拨付中")
    PAID = "paid", _("已拨付")
    CANCELLED = "cancelled", _("已取消")


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("待审批")
    APPROVED = "approved", _("已审批")
    EXPORTED = "exported", _("已导出银行文件")
    SETTLED = "settled", _("已回盘")


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送银行")
    PAID = "paid", _("支付成功")
    FAILED = "failed", _("支付失败")
    REMOVED = "removed", _("已移出")


# A batch item in one of these states holds its instalment: at most one per instalment (DB constraint).
ITEM_HOLDING = (ItemStatus.PENDING, ItemStatus.SENT, ItemStatus.PAID)


class LedgerAccount(models.TextChoices):
    """The accounts of a fund's double-entry ledger (debit positive, credit negative)."""

    EXPENSE = "expense", _("补贴支出")
    PAYABLE = "payable", _("应付待拨")
    BANK = "bank", _("银行存款")


class PostingKind(models.TextChoices):
    COMMITMENT = "commitment", _("批次审批计提")
    PAYMENT = "payment", _("银行支付成功")
    REVERSAL = "reversal", _("支付失败冲回")
    RECOVERY = "recovery", _("追回")
