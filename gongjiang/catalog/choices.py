from django.db import models
from django.utils.translation import gettext_lazy as _


class SubsidyClass(models.TextChoices):
    """新民社发〔2025〕13号 附件3 职业类别."""

    A = "A", _("A类")
    B = "B", _("B类")
    C = "C", _("C类")
    D = "D", _("D类")
