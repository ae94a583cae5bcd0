"""The REST API (django-ninja): one NinjaAPI, a router per app, OpenAPI docs at /api/docs.

Authentication: the browser session (with CSRF) or ``Authorization: Bearer <token>``. Every endpoint
narrows its records with the same ``visible_to`` as the pages.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI

from kechuang.common.api_auth import BearerToken, SessionAuth

api = NinjaAPI(
    title="科创平台 API",
    version="1",
    description="科技局创新体系管理与服务平台的 REST 接口。访问范围与页面一致：只返回当前用户有权查看的记录。",
    auth=[SessionAuth(), BearerToken()],
    urls_namespace="api",
)

api.add_router("/core/", "kechuang.core.api.router")
api.add_router("/market/", "kechuang.market.api.router")


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "无权执行此操作"}, status=403)
