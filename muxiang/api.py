"""The REST API: one NinjaAPI, one router per domain app, token authentication everywhere."""

import re

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from muxiang.accounts.api import TokenAuth
from muxiang.brands.api import router as brands_router
from muxiang.centre.api import router as centre_router
from muxiang.contracts.api import router as contracts_router
from muxiang.funds.api import router as funds_router
from muxiang.mofcom.api import router as mofcom_router
from muxiang.network.api import router as network_router
from muxiang.operations.api import router as operations_router
from muxiang.organisations.api import router as organisations_router
from muxiang.people.api import router as people_router
from muxiang.publicity.api import router as publicity_router
from muxiang.regions.api import router as regions_router
from muxiang.reports.api import router as reports_router
from muxiang.sales.api import router as sales_router
from muxiang.standards.api import router as standards_router
from muxiang.stations.api import router as stations_router
from muxiang.supply.api import router as supply_router
from muxiang.trace.api import router as trace_router
from muxiang.training.api import router as training_router

api = NinjaAPI(
    title="牧乡 muxiang API",
    version="1",
    description="电子商务进农村综合示范项目平台接口。使用账户页面生成的令牌：`Authorization: Bearer <token>`。",
    auth=TokenAuth(),
    urls_namespace="api",
)


# Pydantic's messages are English; the people who read these errors mostly are not.
SCHEMA_ERRORS = {
    "missing": "必填",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "float_parsing": "应为数字",
    "date_parsing": "日期格式应为 2024-03-15",
    "date_from_datetime_parsing": "日期格式应为 2024-03-15",
    "date_type": "日期格式应为 2024-03-15",
    "list_type": "应为列表",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "请求体应为 JSON 对象",
    "dict_type": "请求体应为 JSON 对象",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "string_too_long": "不能超过 {max_length} 个字符",
}


def _message(error: dict) -> str:
    template = SCHEMA_ERRORS.get(error.get("type"))
    if template is None:
        return error.get("msg", "")
    context = dict(error.get("ctx") or {})
    if "{" in template and not context:
        # Ninja drops pydantic's context; the bound is the last number of the English message.
        bound = re.findall(r"-?\d+(?:\.\d+)?", error.get("msg", ""))
        context = dict.fromkeys(("ge", "le", "max_length"), bound[-1] if bound else "")
    return template.format(**context)


def _field_name(loc) -> str:
    parts = [str(p) for p in loc]
    # ("body", "payload", "name") → "name": callers know nothing of our parameter names.
    while parts and parts[0] in {"body", "payload", "query", "path"}:
        parts = parts[1:]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def validation_failed(request, exc):
    errors = [
        {
            "field": _field_name(e.get("loc", [])),
            "message": _message(e),
        }
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": _("输入有误"), "errors": errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request, exc):
    message = str(exc)
    if message.startswith("Cannot parse request body"):
        message = _("请求体不是有效的 JSON")
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc):
    return api.create_response(request, {"detail": _("未认证：请提供有效的 API 令牌")}, status=401)


api.add_router("/regions", regions_router)
api.add_router("/stations", stations_router)
api.add_router("/organisations", organisations_router)
api.add_router("/people", people_router)
api.add_router("/contracts", contracts_router)
api.add_router("/funds", funds_router)
api.add_router("/centre", centre_router)
api.add_router("/publicity", publicity_router)
api.add_router("/training", training_router)
api.add_router("/operations", operations_router)
api.add_router("/mofcom", mofcom_router)
api.add_router("/supply", supply_router)
api.add_router("/network", network_router)
api.add_router("/sales", sales_router)
api.add_router("/brands", brands_router)
api.add_router("/standards", standards_router)
api.add_router("/trace", trace_router)
api.add_router("/reports", reports_router)
