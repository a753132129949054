from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gongjiang.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from . import authn  # noqa: F401  (connects the session registry to log-in and log-out)
