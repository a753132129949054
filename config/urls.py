from django.contrib import admin
from django.urls import include, path

from gongjiang.core.views import admin_login

from .api import api

admin.site.site_header = "工匠 · 技能人才工作平台管理"
admin.site.site_title = "工匠管理"
admin.site.login = admin_login  # type: ignore[method-assign]  # one log-in page, with the second factor

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("registry/", include("gongjiang.registry.urls")),
    path("catalog/", include("gongjiang.catalog.urls")),
    path("policy/", include("gongjiang.policy.urls")),
    path("account/", include("gongjiang.core.urls")),
    path("training/", include("gongjiang.training.urls")),
    path("targets/", include("gongjiang.targets.urls")),
    path("funds/", include("gongjiang.funds.urls")),
    path("public/funds/", include("gongjiang.funds.public_urls")),
    path("public/", include("gongjiang.training.public_urls")),
    path("talent/", include("gongjiang.talent.urls")),
    path("public/supply-demand/", include("gongjiang.talent.public_urls")),
    path("", include("gongjiang.web.urls")),
]
