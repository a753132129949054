"""The REST API: one NinjaAPI, a router per app. Spec at /api/openapi.json, docs at /api/docs."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.security import django_auth

from gongjiang.catalog.api import router as catalog_router
from gongjiang.core.api import router as core_router
from gongjiang.core.api_errors import http_error_body, validation_body
from gongjiang.core.errors import DomainError, ImportRejected, NotAuthenticated, PermissionDenied
from gongjiang.funds.api import router as funds_router
from gongjiang.policy.api import router as policy_router
from gongjiang.registry.api import router as registry_router
from gongjiang.talent.api import router as talent_router
from gongjiang.targets.api import router as targets_router
from gongjiang.training.api import router as training_router

api = NinjaAPI(
    title="gongjiang 工匠 API",
    version="1",
    description="技能人才工作平台接口。会话认证（登录后使用），写操作需 CSRF 令牌。",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/core", core_router)
api.add_router("/registry", registry_router)
api.add_router("/catalog", catalog_router)
api.add_router("/", policy_router)
api.add_router("/", training_router)
api.add_router("/", targets_router)
api.add_router("/", funds_router)
api.add_router("/", talent_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if isinstance(exc, NotAuthenticated):
        status = 401
    elif isinstance(exc, PermissionDenied):
        status = 403
    elif isinstance(exc, ImportRejected):
        status = 422
    else:
        status = 400
    return api.create_response(
        request, {"code": exc.code, "message": exc.message, "details": exc.details}, status=status
    )


@api.exception_handler(ValidationError)
def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, validation_body(list(exc.errors)), status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, http_error_body(exc.status_code, str(exc)), status=exc.status_code)
