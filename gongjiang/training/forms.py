"""Forms of the filing pages. They only shape input: every rule is checked again by the services."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from gongjiang.catalog.models import CertificateType, Occupation, StartupCourse
from gongjiang.core.permissions import jurisdiction_ids
from gongjiang.registry.models import Enterprise, Institution

from .choices import (
    AnomalyStatus,
    AttendanceMethod,
    ClassLevel,
    EmploymentKind,
    EvidenceKind,
    ProjectBase,
    SpotCheckMode,
    SpotCheckOutcome,
    TrainingType,
)
from .models import Enrolment

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClassForm(forms.Form):
    institution = forms.ModelChoiceField(label="培训机构", queryset=Institution.objects.none())
    name = forms.CharField(
        label="培训班名称",
        max_length=120,
        help_text="培训学员身份+职业工种+培训类型，或企业名称+职业工种+培训类型（附件2 3.2）",
    )
    training_type = forms.ChoiceField(label="培训类型", choices=TrainingType.choices)
    project_base = forms.ChoiceField(
        label="项目化培训类别", choices=[("", "—"), *ProjectBase.choices], required=False
    )
    occupation = forms.ModelChoiceField(
        label="职业(工种)", queryset=Occupation.objects.none(), required=False
    )
    level = forms.ChoiceField(label="培训等级", choices=[("", "—"), *ClassLevel.choices], required=False)
    startup_course = forms.ModelChoiceField(
        label="创业培训课程", queryset=StartupCourse.objects.all(), required=False
    )
    enterprise = forms.ModelChoiceField(
        label="合作/委托企业", queryset=Enterprise.objects.none(), required=False
    )
    is_school_enterprise = forms.BooleanField(label="校企合作（须上传合作协议）", required=False)
    labour_brand = forms.CharField(label="劳务品牌", max_length=60, required=False)
    planned_size = forms.IntegerField(label="计划人数", min_value=0, initial=0)
    start_date = forms.DateField(label="开班日期", widget=DATE_INPUT)
    end_date = forms.DateField(label="结班日期", widget=DATE_INPUT)
    venue_address = forms.CharField(label="培训场地", max_length=200)
    textbook_name = forms.CharField(label="教材名称", max_length=120)
    textbook_publisher = forms.CharField(label="出版社", max_length=120)
    plan_summary = forms.CharField(
        label="培训方案摘要", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = jurisdiction_ids(user)
        institution = cast(forms.ModelChoiceField, self.fields["institution"])
        if getattr(user, "institution_id", None):
            institution.queryset = Institution.objects.filter(pk=user.institution_id)
            institution.initial = user.institution_id
        else:
            institution.queryset = Institution.objects.filter(jurisdiction_id__in=scope, is_deleted=False)
        cast(forms.ModelChoiceField, self.fields["occupation"]).queryset = Occupation.objects.filter(
            classes__jurisdiction_id__in=scope, is_active=True
        ).order_by("name")
        cast(forms.ModelChoiceField, self.fields["enterprise"]).queryset = Enterprise.objects.filter(
            jurisdiction_id__in=scope, is_deleted=False
        )

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("institution")
        for optional in ("project_base", "level"):
            data[optional] = data.get(optional) or ""
        return data


class UploadForm(forms.Form):
    file = forms.FileField(label="文件（.xlsx 或 .csv）")


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=EvidenceKind.choices)
    file = forms.FileField(label="文件")
    taken_on = forms.DateField(label="拍摄/形成日期", required=False, widget=DATE_INPUT)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, kinds: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:
            cast(forms.ChoiceField, self.fields["kind"]).choices = [(k, EvidenceKind(k).label) for k in kinds]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结论", choices=[("approve", "通过"), ("return", "退回修改"), ("reject", "不予备案")]
    )
    note = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200)


DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ManualCheckInForm(forms.Form):
    enrolment = forms.TypedChoiceField(label="学员", coerce=int)
    occurred_at = forms.DateTimeField(
        label="签到时间", widget=DATETIME_INPUT, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    reason = forms.CharField(label="补签原因", max_length=200, help_text="如：考勤机故障、指纹无法识别")

    def __init__(self, *args: Any, enrolments: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["enrolment"])
        field.choices = [(e.pk, f"{e.person.name}（{e.person.id_number_masked}）") for e in enrolments]


class SpotCheckForm(forms.Form):
    checked_on = forms.DateField(label="抽查日期", widget=DATE_INPUT)
    mode = forms.ChoiceField(label="方式", choices=SpotCheckMode.choices)
    present_count = forms.IntegerField(label="在场人数", min_value=0)
    findings = forms.CharField(label="检查情况", widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label="结论", choices=SpotCheckOutcome.choices)
    file = forms.FileField(label="抽查记录（可选，.pdf/.jpg/.png）", required=False)


class ResolveForm(forms.Form):
    status = forms.ChoiceField(
        label="核查结论",
        choices=[(AnomalyStatus.EXPLAINED, "已核实无误"), (AnomalyStatus.CONFIRMED, "确认违规")],
    )
    note = forms.CharField(label="核查说明", max_length=300)


class DeviceForm(forms.Form):
    institution = forms.ModelChoiceField(label="培训机构", queryset=Institution.objects.none())
    serial = forms.CharField(label="设备编号", max_length=64)
    name = forms.CharField(label="设备名称", max_length=80, help_text="如：实训楼 3 层人脸考勤机")
    method = forms.ChoiceField(
        label="识别方式",
        choices=[(AttendanceMethod.FACE, "人脸识别"), (AttendanceMethod.FINGERPRINT, "指纹")],
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institutions = Institution.objects.filter(
            jurisdiction_id__in=jurisdiction_ids(user), is_deleted=False
        )
        if getattr(user, "institution_id", None):
            institutions = institutions.filter(pk=user.institution_id)
        cast(forms.ModelChoiceField, self.fields["institution"]).queryset = institutions.order_by("name")


class CertificateRecordForm(forms.Form):
    """附件2 3.3: a certificate a qualified trainee obtained (one of the five kinds of 四(三))."""

    enrolment = forms.ModelChoiceField(label="学员", queryset=Enrolment.objects.none())
    certificate_type = forms.ModelChoiceField(label="证书类型", queryset=CertificateType.objects.none())
    number = forms.CharField(label="证书编号", max_length=40)
    issued_on = forms.DateField(label="发证日期", widget=DATE_INPUT)
    issuer = forms.CharField(label="发证机构", max_length=120)

    def __init__(self, *args: Any, enrolments: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "cert")
        super().__init__(*args, **kwargs)
        _enrolment_field(self, enrolments)
        cast(forms.ModelChoiceField, self.fields["certificate_type"]).queryset = CertificateType.objects.all()


class PromotionRecordForm(forms.Form):
    """附件2 3.3: a 就业推介 session with its record."""

    held_on = forms.DateField(label="推介日期", widget=DATE_INPUT)
    title = forms.CharField(label="推介内容", max_length=120)
    employers = forms.CharField(label="参与用人单位", max_length=300)
    attendee_count = forms.IntegerField(label="参加学员数", min_value=1)
    file = forms.FileField(label="推介记录（.pdf/.jpg/.png）")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "promo")
        super().__init__(*args, **kwargs)


class EmploymentRecordForm(forms.Form):
    """附件2 3.3 / 4.1: a trainee's employment evidence (创业就业凭证)."""

    enrolment = forms.ModelChoiceField(label="学员", queryset=Enrolment.objects.none())
    kind = forms.ChoiceField(label="凭证类型", choices=EmploymentKind.choices)
    employer_name = forms.CharField(label="就业单位/创业主体", max_length=120)
    started_on = forms.DateField(label="就业/创业日期", widget=DATE_INPUT)
    file = forms.FileField(label="凭证（.pdf/.jpg/.png）")

    def __init__(self, *args: Any, enrolments: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "job")
        super().__init__(*args, **kwargs)
        _enrolment_field(self, enrolments)


class ListDecisionForm(forms.Form):
    proposal = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label="决定", choices=[("accept", "采纳"), ("decline", "不采纳")])
    reason = forms.CharField(label="理由", max_length=300)


def _enrolment_field(form: forms.Form, enrolments: Any) -> None:
    field = cast(forms.ModelChoiceField, form.fields["enrolment"])
    field.queryset = enrolments
    field.label_from_instance = lambda e: f"{e.person.name}（{e.person.id_number_masked}）"  # type: ignore[method-assign, assignment]
