"""The REST API: one NinjaAPI, one router per domain app, token authentication everywhere."""

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from muxiang.core.api import TokenAuth
from muxiang.organisations.api import router as organisations_router
from muxiang.people.api import router as people_router
from muxiang.regions.api import router as regions_router
from muxiang.stations.api import router as stations_router

api = NinjaAPI(
    title="牧乡 muxiang API",
    version="1",
    description="电子商务进农村综合示范项目平台接口。使用账户页面生成的令牌：`Authorization: Bearer <token>`。",
    auth=TokenAuth(),
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_failed(request, exc):
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", [])[1:] or e.get("loc", [])),
            "message": e.get("msg", ""),
        }
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": _("输入有误"), "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc):
    return api.create_response(request, {"detail": _("未认证：请提供有效的 API 令牌")}, status=401)


api.add_router("/regions", regions_router)
api.add_router("/stations", stations_router)
api.add_router("/organisations", organisations_router)
api.add_router("/people", people_router)
