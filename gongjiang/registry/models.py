"""The registry: people, enterprises, training institutions, teachers and service units.

Personal identifiers are never stored in clear: each has an encrypted copy (for the roles allowed to
see it), a keyed hash (to find a person by ID without decrypting every row) and a masked copy (for
everyone else). See `gongjiang.core.pii`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjiang.core.models import SoftDeletable

from .choices import (
    CertificateSource,
    EnterpriseOwnership,
    EnterpriseSize,
    EvaluationQualification,
    FilingStatus,
    HouseholdType,
    ListState,
    ServiceUnitKind,
    Sex,
)


class ServiceUnit(models.Model):
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=20, choices=ServiceUnitKind.choices)

    class Meta:
        verbose_name = _("服务单位")
        verbose_name_plural = _("服务单位")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "code"], name="service_unit_code_once")
        ]

    def __str__(self) -> str:
        return self.name


class Enterprise(SoftDeletable):
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    name = models.CharField(_("企业名称"), max_length=120)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    ownership = models.CharField(_("企业类型"), max_length=20, choices=EnterpriseOwnership.choices)
    size = models.CharField(_("规模"), max_length=10, choices=EnterpriseSize.choices)
    business_field = models.CharField(_("行业领域"), max_length=80, blank=True)
    insured_headcount = models.PositiveIntegerField(_("参保人数"), default=0)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Person(SoftDeletable):
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    name = models.CharField(_("姓名"), max_length=60)
    id_number_hash = models.CharField(_("身份证号哈希"), max_length=64, unique=True)
    id_number_encrypted = models.TextField(_("身份证号(加密)"))
    id_number_masked = models.CharField(_("身份证号"), max_length=18)
    birth_date = models.DateField(_("出生日期"))
    sex = models.CharField(_("性别"), max_length=6, choices=Sex.choices)
    phone_encrypted = models.TextField(_("手机号(加密)"), blank=True)
    phone_masked = models.CharField(_("手机号"), max_length=20, blank=True)
    bank_name = models.CharField(_("开户行"), max_length=80, blank=True)
    bank_account_encrypted = models.TextField(_("银行账号(加密)"), blank=True)
    bank_account_masked = models.CharField(_("银行账号"), max_length=12, blank=True)
    household_type = models.CharField(_("户籍类型"), max_length=10, choices=HouseholdType.choices)

    is_graduate_of_year = models.BooleanField(_("毕业年度高校毕业生"), default=False)
    is_poverty_monitoring = models.BooleanField(_("防止返贫监测对象"), default=False)
    is_unenrolled_graduate = models.BooleanField(_("城乡未继续升学的应届初高中毕业生"), default=False)
    is_rural_migrant_worker = models.BooleanField(_("农村转移就业劳动者"), default=False)
    is_registered_unemployed = models.BooleanField(_("城镇登记失业人员"), default=False)
    is_employment_difficulty = models.BooleanField(_("就业困难人员"), default=False)
    is_urban_rural_dibao = models.BooleanField(_("城乡低保"), default=False)
    is_veteran = models.BooleanField(_("退役军人"), default=False)
    is_disabled = models.BooleanField(_("残疾人"), default=False)

    employer = models.ForeignKey(
        Enterprise,
        verbose_name=_("工作单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
    )
    contract_start = models.DateField(_("劳动合同起始日"), null=True, blank=True)
    contract_term_months = models.PositiveIntegerField(_("劳动合同期限(月)"), null=True, blank=True)
    insured_since = models.DateField(_("参保起始日"), null=True, blank=True)

    class Meta:
        verbose_name = _("个人")
        verbose_name_plural = _("个人")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name}({self.id_number_masked})"


class Institution(SoftDeletable):
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    name = models.CharField(_("机构名称"), max_length=120)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    service_unit = models.ForeignKey(
        ServiceUnit, verbose_name=_("主管服务中心"), null=True, blank=True, on_delete=models.PROTECT
    )
    filing_status = models.CharField(
        _("备案状态"), max_length=20, choices=FilingStatus.choices, default=FilingStatus.PENDING
    )
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    evaluation_qualification = models.CharField(
        _("评价资质"),
        max_length=40,
        choices=EvaluationQualification.choices,
        default=EvaluationQualification.NONE,
    )
    list_state = models.CharField(
        _("名单状态"), max_length=10, choices=ListState.choices, default=ListState.NORMAL
    )
    contact_name = models.CharField(_("联系人"), max_length=60, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    trainees = models.ManyToManyField(
        Person, verbose_name=_("学员"), through="InstitutionTrainee", related_name="institutions", blank=True
    )

    class Meta:
        verbose_name = _("培训机构")
        verbose_name_plural = _("培训机构")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class InstitutionScope(models.Model):
    """An occupation and level an institution may train and/or evaluate."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="scopes")
    occupation = models.ForeignKey(
        "catalog.Occupation", verbose_name=_("职业(工种)"), on_delete=models.PROTECT
    )
    level = models.ForeignKey("catalog.SkillLevel", verbose_name=_("等级"), on_delete=models.PROTECT)
    may_train = models.BooleanField(_("可培训"), default=True)
    may_evaluate = models.BooleanField(_("可评价"), default=False)

    class Meta:
        verbose_name = _("培训/评价范围")
        verbose_name_plural = _("培训/评价范围")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "occupation", "level"], name="institution_scope_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.occupation} {self.level}"


class InstitutionListChange(models.Model):
    """History of an institution's white/normal/black list state (the audit trail has it too)."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="list_changes")
    from_state = models.CharField(_("原状态"), max_length=10, choices=ListState.choices)
    to_state = models.CharField(_("新状态"), max_length=10, choices=ListState.choices)
    reason = models.CharField(_("原因"), max_length=200)
    changed_by = models.ForeignKey("core.User", verbose_name=_("操作人"), on_delete=models.PROTECT)
    changed_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("名单变更")
        verbose_name_plural = _("名单变更")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.institution} {self.from_state}→{self.to_state}"


class InstitutionTrainee(models.Model):
    """A person registered as a trainee of an institution: what an institution clerk may see."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT)
    person = models.ForeignKey(Person, on_delete=models.PROTECT)
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("机构学员")
        verbose_name_plural = _("机构学员")
        constraints = [
            models.UniqueConstraint(fields=["institution", "person"], name="institution_trainee_once")
        ]

    def __str__(self) -> str:
        return f"{self.institution}:{self.person_id}"


class Teacher(SoftDeletable):
    """A teacher filed (备案) with the bureau; only filed teachers may teach subsidised classes."""

    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    name = models.CharField(_("姓名"), max_length=60)
    id_number_hash = models.CharField(_("身份证号哈希"), max_length=64, unique=True)
    id_number_encrypted = models.TextField(_("身份证号(加密)"))
    id_number_masked = models.CharField(_("身份证号"), max_length=18)
    phone_encrypted = models.TextField(_("手机号(加密)"), blank=True)
    phone_masked = models.CharField(_("手机号"), max_length=20, blank=True)
    filing_number = models.CharField(_("备案编号"), max_length=40, unique=True)
    filed_on = models.DateField(_("备案日期"))
    qualification = models.CharField(_("资格/职称"), max_length=120, blank=True)
    occupations = models.ManyToManyField("catalog.Occupation", verbose_name=_("授课职业"), blank=True)
    institutions = models.ManyToManyField(
        Institution, verbose_name=_("所属机构"), blank=True, related_name="teachers"
    )

    class Meta:
        verbose_name = _("师资")
        verbose_name_plural = _("师资")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class PersonCertificate(models.Model):
    """A vocational certificate a person holds: one of the five kinds of 新民社发〔2025〕13号 四(三)
    (职业资格证书, 职业技能等级证书, 专项职业能力证书, 特种作业操作证, 特种设备作业人员证). The
    talent database and the certification rate read these; training follow-up records them."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="certificates")
    certificate_type = models.ForeignKey(
        "catalog.CertificateType", verbose_name=_("证书类型"), on_delete=models.PROTECT
    )
    occupation = models.ForeignKey(
        "catalog.Occupation",
        verbose_name=_("职业(工种)/项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    level = models.ForeignKey(
        "catalog.SkillLevel", verbose_name=_("等级"), null=True, blank=True, on_delete=models.PROTECT
    )
    number = models.CharField(_("证书编号"), max_length=40)
    issued_on = models.DateField(_("发证日期"))
    issuer = models.CharField(_("发证机构"), max_length=120)
    source = models.CharField(_("来源"), max_length=30, choices=CertificateSource.choices)
    recorded_by = models.ForeignKey(
        "core.User",
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("职业技能证书")
        verbose_name_plural = _("职业技能证书")
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["certificate_type", "number"], name="person_certificate_once")
        ]

    def __str__(self) -> str:
        return f"{self.certificate_type} {self.number}"
