"""The REST API (django-ninja): one NinjaAPI, a router per app, OpenAPI docs at /api/docs.

Authentication: ``Authorization: Bearer <token>`` or the browser session (with CSRF). Every endpoint
narrows its records with the same ``visible_to`` as the pages.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.urls import URLPattern
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kechuang.common.api_auth import BearerToken, SessionAuth
from kechuang.common.api_errors import (
    InputError,
    StrictJsonParser,
    body_error_message,
    document_errors,
    json_method_not_allowed,
    too_large_message,
)
from kechuang.core.models import ApiToken


class KechuangApi(NinjaAPI):
    """The NinjaAPI whose OpenAPI schema declares every error answer, and whose paths answer a wrong
    method with the JSON 405 (``common/api_errors.py``)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return document_errors(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))

    def _get_urls(self):
        # django-ninja answers a wrong method from its path view, before any exception handler runs
        # (text/html "Method not allowed"): wrap every path view so the answer is the API's JSON 405.
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = json_method_not_allowed(pattern.callback)
        return urls


api = KechuangApi(
    title="科创平台 API",
    version="1",
    description="科技局创新体系管理与服务平台的 REST 接口。访问范围与页面一致：只返回当前用户有权查看的记录。",
    auth=[BearerToken(ApiToken.authenticate), SessionAuth()],
    urls_namespace="api",
    docs_decorator=login_required,  # the docs describe the platform's data: for signed-in users only
    parser=StrictJsonParser(),
)

api.add_router("/core/", "kechuang.core.api.router")
api.add_router("/market/", "kechuang.market.api.router")
api.add_router("/matching/", "kechuang.matchmaking.api.router")
api.add_router("/pairing/", "kechuang.pairing.api.router")
api.add_router("/cultivation/", "kechuang.cultivation.api.router")
api.add_router("/rd/", "kechuang.rdreport.api.router")


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "无权执行此操作"}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "记录不存在或无权访问"}, status=404)


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc):
    return api.create_response(request, {"detail": "未登录或令牌无效（请求头 Authorization: Bearer <令牌>）"},
                               status=401)


_HTTP_MESSAGES = {"CSRF check Failed": "缺少或错误的 CSRF 令牌（浏览器会话的写操作需要）"}


@api.exception_handler(HttpError)
def http_error(request, exc):
    """django-ninja's own errors in the documented shapes: 400 and 422 as ``{"errors"}`` (the body's
    problem in Chinese), the others as ``{"detail"}``."""
    if exc.status_code == 400:
        message = body_error_message(exc) or "请求体不是有效的 JSON"
        return api.create_response(request, {"errors": {"__all__": [message]}}, status=400)
    if exc.status_code == 422:
        return api.create_response(request, {"errors": {"__all__": [str(exc.message)]}}, status=422)
    message = _HTTP_MESSAGES.get(str(exc.message), str(exc.message))
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(InputError)
def input_error(request, exc):
    return api.create_response(request, {"errors": exc.errors}, status=422)


@api.exception_handler(RequestDataTooBig)
def too_large(request, exc):
    return api.create_response(request, {"errors": {"__all__": [too_large_message()]}}, status=413)


_TYPE_MESSAGES = {
    "string_type": "应为文本", "int_type": "应为整数", "int_parsing": "应为整数", "float_parsing": "应为数字",
    "decimal_parsing": "应为数字", "decimal_type": "应为数字", "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false", "date_parsing": "应为日期（YYYY-MM-DD）", "date_from_datetime_parsing":
    "应为日期（YYYY-MM-DD）", "list_type": "应为列表", "missing": "必填", "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "请求体应为 JSON 对象", "dict_type": "请求体应为 JSON 对象",
}


_UNION_TAGS = {"decimal", "int", "str", "float", "bool", "none", "function-after[to_decimal(), str]"}
_NESTED = {"firm", "explanations"}  # mappings whose keys are the fields the user knows


@api.exception_handler(ValidationError)
def invalid_input(request, exc):
    """Schema errors in the same shape as form errors: 422 {"errors": {field: [Chinese message]}}."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "data",
                                                                          "payload", "filters")]
        # a union's member type ends the location ("firm", "labour_cost", "decimal"): name the field
        while len(loc) > 1 and loc[-1] in _UNION_TAGS:
            loc.pop()
        field = ".".join(loc[-2:]) if len(loc) > 1 and loc[-2] in _NESTED else (loc[-1] if loc else "__all__")
        errors.setdefault(field, []).append(_TYPE_MESSAGES.get(error.get("type", ""), "格式不正确"))
    return api.create_response(request, {"errors": errors}, status=422)


def unknown_address(request, rest: str = ""):
    """Any address under /api/ that names no operation: the API's JSON 404 (``{"detail"}``), not the
    site's HTML page (routed after the API's own URLs in kechuang/urls.py)."""
    from django.http import JsonResponse

    return JsonResponse({"detail": "接口不存在：请查看 /api/docs 中的接口列表"}, status=404,
                        json_dumps_params={"ensure_ascii": False})
