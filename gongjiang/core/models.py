"""Base models: jurisdictions, users with their role and scope, the audit trail, the working-day calendar.

A deployment serves one or more jurisdictions (兰州新区, 台儿庄区, 上虞区, 湖州市); almost every record
belongs to exactly one, and every list is filtered to the user's jurisdictions.

The audit trail is append-only and hash-chained: each event stores the hash of its predecessor, so a
row changed or removed behind the application's back breaks the chain (`gongjiang audit verify`).
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction, Role


class Jurisdiction(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    region_code = models.CharField(_("行政区划代码"), max_length=6, blank=True)

    class Meta:
        verbose_name = _("辖区")
        verbose_name_plural = _("辖区")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A log-in. The role decides what they may do; the links below decide which records they see."""

    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    display_name = models.CharField(_("姓名"), max_length=60, blank=True)
    jurisdictions = models.ManyToManyField(
        Jurisdiction, verbose_name=_("辖区"), blank=True, related_name="users"
    )
    service_unit = models.ForeignKey(
        "registry.ServiceUnit", verbose_name=_("服务单位"), null=True, blank=True, on_delete=models.PROTECT
    )
    institution = models.ForeignKey(
        "registry.Institution", verbose_name=_("培训机构"), null=True, blank=True, on_delete=models.PROTECT
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), null=True, blank=True, on_delete=models.PROTECT
    )
    person = models.OneToOneField(
        "registry.Person", verbose_name=_("本人档案"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class AuditEvent(models.Model):
    """One change to one object. Never updated or deleted (a PostgreSQL trigger refuses both).

    The actor is kept as id and username rather than a foreign key so that nothing can cascade into
    this table.
    """

    occurred_at = models.DateTimeField(_("时间"), default=timezone.now)
    actor_id = models.BigIntegerField(_("操作人ID"), null=True, blank=True)
    actor_username = models.CharField(_("操作人"), max_length=150, blank=True)
    jurisdiction_id = models.BigIntegerField(_("辖区ID"), null=True, blank=True, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100)
    object_id = models.CharField(_("对象ID"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    action = models.CharField(_("操作"), max_length=20, choices=AuditAction.choices)
    event_type = models.CharField(_("事件"), max_length=80, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_repr}"


class AuditChainHead(models.Model):
    """A single row locked while an event is appended, so concurrent writers extend the chain in turn."""

    last_event_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.last_event_id} {self.last_hash[:12]}"


class WorkingDayOverride(models.Model):
    """A day whose status the bureau sets by hand: for years chinese-calendar does not know yet,
    or for a local adjustment. It wins over the library."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    reason = models.CharField(_("说明"), max_length=200)

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'工作日' if self.is_working_day else '休息日'}"


class SoftDeletable(models.Model):
    """Records the policy keeps for 5 years (附件2 5.1) are never hard-deleted: they are marked."""

    is_deleted = models.BooleanField(_("已删除"), default=False, db_index=True)
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    deletion_reason = models.CharField(_("删除原因"), max_length=200, blank=True)

    class Meta:
        abstract = True


def stored_file_path(instance: "StoredFile", filename: str) -> str:
    """Server-made names: the upload's own name is kept only as data, never used as a path."""
    return f"{instance._meta.app_label}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class StoredFile(models.Model):
    """An uploaded file checked by `gongjiang.core.uploads` (extension, sniffed content type, size)
    and stored under its content hash. Files are served only through permission-checked views."""

    file = models.FileField(_("文件"), upload_to=stored_file_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=80)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        abstract = True
