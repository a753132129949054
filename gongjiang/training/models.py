"""The government-subsidised training lifecycle of 新民社发〔2025〕13号 附件2 (标准化管理指南).

    institution clerk files a class (3.1) ──► unit reviews in 5 working days ──► approved
         │  timetable, roster, evidence          (return for correction / reject)
         ▼
    class runs (3.2): daily device check-ins, photos and video, ≥3 spot checks, anomaly flags
         ▼
    closing (3.2 结班): assessment, unit confirms qualified trainees, 培训合格证 numbers from the
    附件4 ranges
         ▼
    follow-up within a quarter (3.3): certificates obtained, ≥3 就业推介, employment evidence;
    institution KPIs and the black/white list (四(三))

Every state change goes through `services/`, is in the audit trail and on the class's timeline
(`ClassEvent`). Uploaded files are stored under server-made names with their content hash; no raw
biometric image is ever stored — a device sends only its match result.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gongjiang.core.models import StoredFile

from .choices import (
    AnomalyKind,
    AnomalyStatus,
    AttendanceMethod,
    ClassEventType,
    ClassLevel,
    ClassStatus,
    EmploymentKind,
    EnrolmentStatus,
    EvidenceKind,
    NumberRangeStatus,
    ProjectBase,
    ProposalStatus,
    SessionKind,
    SpotCheckMode,
    SpotCheckOutcome,
    TrainingType,
)


class TrainingClass(models.Model):
    """One subsidised class (培训班), from its filing (开班备案) to its follow-up."""

    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    code = models.CharField(_("班级编号"), max_length=20, unique=True)
    name = models.CharField(_("培训班名称"), max_length=120)
    institution = models.ForeignKey(
        "registry.Institution", verbose_name=_("培训机构"), on_delete=models.PROTECT, related_name="classes"
    )
    service_unit = models.ForeignKey(
        "registry.ServiceUnit", verbose_name=_("审核单位"), on_delete=models.PROTECT, related_name="classes"
    )
    training_type = models.CharField(_("培训类型"), max_length=20, choices=TrainingType.choices)
    project_base = models.CharField(
        _("项目化培训类别"), max_length=20, choices=ProjectBase.choices, blank=True
    )
    occupation = models.ForeignKey(
        "catalog.Occupation", verbose_name=_("职业(工种)"), null=True, blank=True, on_delete=models.PROTECT
    )
    level = models.CharField(_("培训等级"), max_length=20, choices=ClassLevel.choices, blank=True)
    subsidy_class = models.CharField(_("职业类别"), max_length=1, blank=True)
    startup_course = models.ForeignKey(
        "catalog.StartupCourse",
        verbose_name=_("创业培训课程"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("合作/委托企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_classes",
    )
    is_school_enterprise = models.BooleanField(_("校企合作"), default=False)
    labour_brand = models.CharField(_("劳务品牌"), max_length=60, blank=True)
    planned_size = models.PositiveIntegerField(_("计划人数"), default=0)

    start_date = models.DateField(_("开班日期"))
    end_date = models.DateField(_("结班日期"))
    required_hours = models.PositiveIntegerField(_("最低课时"), default=0)
    theory_hours = models.PositiveIntegerField(_("理论课时"), default=0)
    practice_hours = models.PositiveIntegerField(_("实操课时"), default=0)
    venue_address = models.CharField(_("培训场地"), max_length=200)
    textbook_name = models.CharField(_("教材名称"), max_length=120)
    textbook_publisher = models.CharField(_("出版社"), max_length=120)
    plan_summary = models.TextField(_("培训方案摘要"), blank=True)
    teachers = models.ManyToManyField("registry.Teacher", verbose_name=_("授课教师"), blank=True)

    status = models.CharField(
        _("状态"), max_length=20, choices=ClassStatus.choices, default=ClassStatus.DRAFT, db_index=True
    )
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    review_due_on = models.DateField(_("审核期限"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.TextField(_("审核意见"), blank=True)
    closing_requested_on = models.DateField(_("申请结班日期"), null=True, blank=True)
    closed_on = models.DateField(_("结班日期(审核通过)"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结班审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    follow_up_due_on = models.DateField(_("取证就业跟踪期限"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("培训班")
        verbose_name_plural = _("培训班")
        ordering = ["-id"]
        indexes = [models.Index(fields=["jurisdiction", "status"], name="class_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="class_dates_ordered"),
            models.CheckConstraint(
                condition=~Q(training_type="project") | ~Q(project_base=""), name="class_project_has_base"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def class_hours(self) -> int:
        return self.theory_hours + self.practice_hours

    @property
    def category(self) -> str:
        """The training type a project class counts as (targets, 附件4 number ranges, the engine)."""
        return self.project_base if self.training_type == TrainingType.PROJECT else self.training_type


class ClassSession(models.Model):
    """One line of the timetable (课程表). 1 课时 = 45 minutes (四(一))."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("日期"))
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))
    kind = models.CharField(_("类型"), max_length=10, choices=SessionKind.choices)
    class_hours = models.PositiveSmallIntegerField(_("课时"))
    topic = models.CharField(_("教学内容"), max_length=120)
    teacher = models.ForeignKey("registry.Teacher", verbose_name=_("教师"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("课程表")
        verbose_name_plural = _("课程表")
        ordering = ["date", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_times_ordered"),
            models.CheckConstraint(condition=Q(class_hours__gt=0), name="session_has_hours"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.starts_at:%H:%M}-{self.ends_at:%H:%M} {self.topic}"


class Enrolment(models.Model):
    """A trainee on a class's roster (花名册)."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(
        _("状态"), max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    eligibility = models.CharField(_("参训资格依据"), max_length=200)
    precheck = models.JSONField(_("补贴预审"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("退训原因"), max_length=200, blank=True)
    attended_hours = models.PositiveIntegerField(_("出勤课时(结班时)"), null=True, blank=True)
    assessment_score = models.DecimalField(
        _("考核成绩"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    assessed_at = models.DateTimeField(_("结果确认时间"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    obtained_certificates = models.ManyToManyField(
        "registry.PersonCertificate",
        verbose_name=_("培训后取得的证书"),
        blank=True,
        related_name="enrolments",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("学员")
        verbose_name_plural = _("学员花名册")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["training_class", "person"], name="enrolment_once_per_class")
        ]

    def __str__(self) -> str:
        return f"{self.training_class.code}:{self.person_id}"


class ClassEvidence(StoredFile):
    """A file of the class's archive (附件2 3.1 材料, 3.2 影像资料, 3.3 凭证), kept 5 years (5.1)."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(_("类别"), max_length=30, choices=EvidenceKind.choices)
    taken_on = models.DateField(_("拍摄/形成日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("学员"), null=True, blank=True, on_delete=models.PROTECT
    )
    spot_check = models.ForeignKey(
        "SpotCheck", verbose_name=_("抽查"), null=True, blank=True, on_delete=models.PROTECT
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("培训班材料")
        verbose_name_plural = _("培训班材料")
        ordering = ["id"]
        indexes = [models.Index(fields=["training_class", "kind"], name="evidence_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"


class AttendanceDevice(models.Model):
    """A face or fingerprint terminal of an institution. It authenticates with its own key, which is
    stored only as a hash (shown once when the device is registered)."""

    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    institution = models.ForeignKey(
        "registry.Institution", verbose_name=_("培训机构"), on_delete=models.PROTECT, related_name="devices"
    )
    serial = models.CharField(_("设备编号"), max_length=64, unique=True)
    name = models.CharField(_("设备名称"), max_length=80)
    method = models.CharField(_("识别方式"), max_length=20, choices=AttendanceMethod.choices)
    key_hash = models.CharField(max_length=64, db_index=True)  # every device request looks it up
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考勤设备")
        verbose_name_plural = _("考勤设备")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(method="manual"), name="device_method_not_manual")]

    def __str__(self) -> str:
        return f"{self.serial} {self.name}"


class AttendanceRecord(models.Model):
    """One check-in. From a device: idempotent on (device, person, timestamp). Manual: a clerk with a
    reason. Only the device's match score is kept — never an image or a template."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attendance")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    device = models.ForeignKey(AttendanceDevice, null=True, blank=True, on_delete=models.PROTECT)
    occurred_at = models.DateTimeField(_("签到时间"), db_index=True)
    method = models.CharField(_("方式"), max_length=20, choices=AttendanceMethod.choices)
    match_score = models.DecimalField(_("比对得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    manual_reason = models.CharField(_("补签原因"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("补签人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考勤记录")
        verbose_name_plural = _("考勤记录")
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "person", "occurred_at"],
                condition=Q(device__isnull=False),
                name="attendance_device_once",
            ),
            models.CheckConstraint(
                condition=(Q(method="manual") & Q(device__isnull=True) & ~Q(manual_reason=""))
                | (~Q(method="manual") & Q(device__isnull=False)),
                name="attendance_manual_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.occurred_at:%Y-%m-%d %H:%M:%S}"


class SpotCheck(models.Model):
    """A reviewer's check of a running class (附件2 3.2: at least 3, online or on site)."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="spot_checks")
    checked_on = models.DateField(_("抽查日期"))
    mode = models.CharField(_("方式"), max_length=10, choices=SpotCheckMode.choices)
    present_count = models.PositiveIntegerField(_("在场人数"))
    findings = models.TextField(_("检查情况"))
    outcome = models.CharField(_("结论"), max_length=20, choices=SpotCheckOutcome.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("抽查人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("抽查记录")
        verbose_name_plural = _("抽查记录")
        ordering = ["checked_on", "id"]

    def __str__(self) -> str:
        return f"{self.training_class.code} {self.checked_on} {self.get_mode_display()}"


class AnomalyFlag(models.Model):
    """A pattern in the attendance data for a reviewer to look at; detection is idempotent through
    `fingerprint` (one flag per class, kind and subject)."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="anomalies")
    kind = models.CharField(_("类型"), max_length=30, choices=AnomalyKind.choices)
    day = models.DateField(_("日期"))
    fingerprint = models.CharField(max_length=120)
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    device = models.ForeignKey(AttendanceDevice, null=True, blank=True, on_delete=models.PROTECT)
    detail = models.JSONField(_("详情"), default=dict)
    status = models.CharField(
        _("状态"), max_length=20, choices=AnomalyStatus.choices, default=AnomalyStatus.OPEN
    )
    resolution_note = models.CharField(_("核查说明"), max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    detected_at = models.DateTimeField(_("发现时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考勤异常")
        verbose_name_plural = _("考勤异常")
        ordering = ["day", "id"]
        constraints = [
            models.UniqueConstraint(fields=["training_class", "kind", "fingerprint"], name="anomaly_once")
        ]

    def __str__(self) -> str:
        return f"{self.training_class.code} {self.get_kind_display()} {self.day}"


class CertificateNumberRange(models.Model):
    """A block of 培训合格证 numbers (附件4) for one unit, training category and year.

    Numbers are fixed-width digit strings (leading zeros kept: 042701); the range is stored as
    integers plus the width. `next_value` only moves forward, under a row lock, so a number is never
    issued twice and never skipped (a rolled-back closing rolls the counter back with it).
    """

    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    service_unit = models.ForeignKey("registry.ServiceUnit", verbose_name=_("单位"), on_delete=models.PROTECT)
    category = models.CharField(_("培训类别"), max_length=20, choices=TrainingType.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    width = models.PositiveSmallIntegerField(_("位数"))
    first_value = models.BigIntegerField(_("起始号"))
    last_value = models.BigIntegerField(_("终止号"))
    next_value = models.BigIntegerField(_("下一个号"))
    status = models.CharField(
        _("状态"), max_length=20, choices=NumberRangeStatus.choices, default=NumberRangeStatus.REQUESTED
    )
    citation = models.CharField(_("依据"), max_length=120)
    reason = models.CharField(_("申请理由"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("批准时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("证书号段")
        verbose_name_plural = _("证书号段")
        ordering = ["year", "service_unit", "category", "first_value"]
        constraints = [
            models.CheckConstraint(condition=Q(last_value__gte=F("first_value")), name="range_ordered"),
            models.CheckConstraint(
                condition=Q(next_value__gte=F("first_value")) & Q(next_value__lte=F("last_value") + 1),
                name="range_next_inside",
            ),
            models.CheckConstraint(condition=Q(width__gte=1) & Q(width__lte=18), name="range_width"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.service_unit} {self.get_category_display()} {self.format(self.first_value)}—{self.format(self.last_value)}"

    def format(self, value: int) -> str:
        return str(value).zfill(self.width)

    @property
    def remaining(self) -> int:
        return self.last_value - self.next_value + 1


class TrainingCertificate(models.Model):
    """The 职业技能培训合格证 a qualified trainee receives at closing, numbered from a range."""

    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="certificate")
    number_range = models.ForeignKey(CertificateNumberRange, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("证书编号"), max_length=18)
    issued_on = models.DateField(_("发证日期"))
    verification_code = models.CharField(_("查验码"), max_length=16, unique=True)

    class Meta:
        verbose_name = _("培训合格证")
        verbose_name_plural = _("培训合格证")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "number"], name="certificate_number_once")
        ]

    def __str__(self) -> str:
        return self.number


class EmploymentPromotion(models.Model):
    """A 就业推介 session for an employment-skill class (附件2 3.3: at least 3)."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="promotions")
    held_on = models.DateField(_("推介日期"))
    title = models.CharField(_("推介内容"), max_length=120)
    employers = models.CharField(_("参与用人单位"), max_length=300)
    attendee_count = models.PositiveIntegerField(_("参加学员数"))
    evidence = models.ForeignKey(ClassEvidence, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("就业推介")
        verbose_name_plural = _("就业推介")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.training_class.code} {self.held_on} {self.title}"


class EmploymentRecord(models.Model):
    """A trainee's employment or business start after the class, with its evidence (创业就业凭证)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="employment")
    kind = models.CharField(_("凭证类型"), max_length=30, choices=EmploymentKind.choices)
    employer_name = models.CharField(_("就业单位/创业主体"), max_length=120)
    enterprise = models.ForeignKey(
        "registry.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("就业/创业日期"))
    evidence = models.ForeignKey(ClassEvidence, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("就业登记")
        verbose_name_plural = _("就业登记")
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.employer_name}"


class ListChangeProposal(models.Model):
    """A change of an institution's black/white list state proposed by the rule set (list_rules.yaml)
    from its KPIs and findings; the bureau accepts or declines it with a reason."""

    institution = models.ForeignKey(
        "registry.Institution", on_delete=models.PROTECT, related_name="list_proposals"
    )
    current_state = models.CharField(_("当前名单"), max_length=10)
    proposed_state = models.CharField(_("建议名单"), max_length=10)
    rules = models.JSONField(_("触发规则"), default=list)
    metrics = models.JSONField(_("指标"), default=dict)
    status = models.CharField(
        _("状态"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decision_reason = models.CharField(_("决定理由"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("名单调整建议")
        verbose_name_plural = _("名单调整建议")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution"], condition=Q(status="pending"), name="one_pending_proposal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.current_state}→{self.proposed_state}"


class ClassEvent(models.Model):
    """The class's timeline: one row per step, in words a clerk or reviewer reads (the audit trail
    holds the field-level detail)."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="events")
    event_type = models.CharField(_("事件"), max_length=30, choices=ClassEventType.choices)
    occurred_at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    message = models.CharField(_("说明"), max_length=300)
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("培训班时间线")
        verbose_name_plural = _("培训班时间线")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.training_class_id} {self.event_type}"
