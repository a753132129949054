"""Choices of the training lifecycle (新民社发〔2025〕13号 附件2 标准化管理指南)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingType(models.TextChoices):
    """The five kinds of subsidised training of 附件2 1.2 and 四(一)."""

    EMPLOYMENT = "employment", _("就业技能培训")
    ENTERPRISE_POST = "enterprise_post", _("岗位技能培训")
    APPRENTICESHIP = "apprenticeship", _("企业新型学徒制")
    STARTUP = "startup", _("创业培训")
    PROJECT = "project", _("项目化培训")


class ProjectBase(models.TextChoices):
    """A project-based class (附件3 备注6) is either employment-skill or enterprise post training."""

    EMPLOYMENT = "employment", _("就业技能培训")
    ENTERPRISE_POST = "enterprise_post", _("岗位技能培训")


class ClassLevel(models.TextChoices):
    """What a class trains towards: the 培训合格证 columns of 附件3, or a skill level."""

    CERT = "cert", _("培训合格证")
    JUNIOR = "junior", _("初级工")
    INTERMEDIATE = "intermediate", _("中级工")
    SENIOR = "senior", _("高级工")
    TECHNICIAN = "technician", _("技师")
    SENIOR_TECHNICIAN = "senior_technician", _("高级技师")


class ClassStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("退回修改")
    REJECTED = "rejected", _("不予备案")
    APPROVED = "approved", _("已备案")
    CLOSING = "closing", _("结班审核中")
    CLOSED = "closed", _("已结班")
    CANCELLED = "cancelled", _("已撤销")


class SessionKind(models.TextChoices):
    THEORY = "theory", _("理论")
    PRACTICE = "practice", _("实操")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("在训")
    WITHDRAWN = "withdrawn", _("退训")
    QUALIFIED = "qualified", _("培训合格")
    UNQUALIFIED = "unqualified", _("不合格")


class EvidenceKind(models.TextChoices):
    VENUE_PHOTO = "venue_photo", _("场地照片")
    VENUE_LEASE = "venue_lease", _("场地租赁协议")
    TRAINING_PLAN = "training_plan", _("培训方案")
    EMERGENCY_PLAN = "emergency_plan", _("培训应急预案")
    COOPERATION_AGREEMENT = "cooperation_agreement", _("校企合作协议")
    OPENING_CEREMONY = "opening_ceremony", _("开班仪式影像")
    THEORY_PHOTO = "theory_photo", _("理论教学照片")
    PRACTICE_PHOTO = "practice_photo", _("实操教学照片")
    VIDEO = "video", _("教学录像")
    CLOSING_CEREMONY = "closing_ceremony", _("结班仪式影像")
    SPOT_CHECK = "spot_check", _("抽查记录")
    PROMOTION = "promotion", _("就业推介记录")
    EMPLOYMENT = "employment", _("就业/创业凭证")


class AttendanceMethod(models.TextChoices):
    FACE = "face", _("人脸识别")
    FINGERPRINT = "fingerprint", _("指纹")
    MANUAL = "manual", _("人工补签")


class SpotCheckMode(models.TextChoices):
    ONLINE = "online", _("线上抽查")
    ON_SITE = "on_site", _("现场抽查")


class SpotCheckOutcome(models.TextChoices):
    COMPLIANT = "compliant", _("符合要求")
    RECTIFY = "rectify", _("限期整改")
    SERIOUS = "serious", _("严重违规")


class AnomalyKind(models.TextChoices):
    OVERLAPPING_CLASSES = "overlapping_classes", _("同一人同时段在两个班签到")
    DEVICE_BURST = "device_burst", _("同一设备数秒内签到多人")
    OUTSIDE_TIMETABLE = "outside_timetable", _("签到时间不在课程表内")
    NO_EVIDENCE_DAY = "no_evidence_day", _("有签到但当天无影像资料")


class AnomalyStatus(models.TextChoices):
    OPEN = "open", _("待核查")
    EXPLAINED = "explained", _("已核实无误")
    CONFIRMED = "confirmed", _("确认违规")


class EmploymentKind(models.TextChoices):
    LABOUR_CONTRACT = "labour_contract", _("劳动合同")
    EMPLOYMENT_AGREEMENT = "employment_agreement", _("聘用协议")
    INTERNSHIP_AGREEMENT = "internship_agreement", _("实习协议")
    BUSINESS_LICENCE = "business_licence", _("营业执照(创业)")
    WAGE_STATEMENT = "wage_statement", _("工资流水")


class NumberRangeStatus(models.TextChoices):
    REQUESTED = "requested", _("待批准")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("待决定")
    ACCEPTED = "accepted", _("已采纳")
    DECLINED = "declined", _("不采纳")


class ClassEventType(models.TextChoices):
    CREATED = "created", _("创建开班备案")
    UPDATED = "updated", _("修改备案信息")
    TIMETABLE_SET = "timetable_set", _("导入课程表")
    ROSTER_IMPORTED = "roster_imported", _("导入花名册")
    EVIDENCE_ADDED = "evidence_added", _("上传影像/材料")
    SUBMITTED = "submitted", _("提交备案")
    RETURNED = "returned", _("退回修改")
    REJECTED = "rejected", _("不予备案")
    APPROVED = "approved", _("备案通过")
    CANCELLED = "cancelled", _("撤销")
    MANUAL_CHECK_IN = "manual_check_in", _("人工补签")
    ENROLMENT_WITHDRAWN = "enrolment_withdrawn", _("学员退训")
    SPOT_CHECK = "spot_check", _("抽查")
    ANOMALY_RESOLVED = "anomaly_resolved", _("异常核查")
    ASSESSMENT_RECORDED = "assessment_recorded", _("登记考核结果")
    CLOSING_REQUESTED = "closing_requested", _("申请结班")
    CLOSING_RETURNED = "closing_returned", _("结班退回")
    CLOSED = "closed", _("结班并发证")
    CERTIFICATE_RECORDED = "certificate_recorded", _("登记取证")
    PROMOTION_RECORDED = "promotion_recorded", _("就业推介")
    EMPLOYMENT_RECORDED = "employment_recorded", _("登记就业")
