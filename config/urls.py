from django.contrib import admin
from django.urls import include, path

from .api import api

admin.site.site_header = "工匠 · 技能人才工作平台管理"
admin.site.site_title = "工匠管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("registry/", include("gongjiang.registry.urls")),
    path("catalog/", include("gongjiang.catalog.urls")),
    path("policy/", include("gongjiang.policy.urls")),
    path("training/", include("gongjiang.training.urls")),
    path("", include("gongjiang.web.urls")),
]
