"""The API's error answers, one shape per kind, all JSON, all in Chinese (README, "API"):

* a request the API cannot read — a body that is not JSON, not UTF-8, not a JSON object where the
  endpoint takes one, or that holds a lone surrogate (``"\\ud800"``, no character at all) — answers
  ``400 {"errors": {"__all__": [message]}}``; a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` answers
  ``413`` in the same shape;
* invalid values (of a form, of the JSON types, of a page number) answer ``422 {"errors": {field:
  [message]}}``;
* ``401`` (no or an unknown token), ``403`` (not allowed) and ``404`` (absent or outside the caller's
  reach, or an address that names no operation) answer ``{"detail": message}``;
* a method the path does not take answers ``405 {"detail": message}`` with an ``Allow`` header
  (:func:`json_method_not_allowed`).

Every operation of the OpenAPI schema declares the answers it can give (:func:`document_errors`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from ninja.parser import Parser

#: Message of a body that is not a JSON object.
NOT_AN_OBJECT = "请求体应为 JSON 对象（{…}）"


class InputError(Exception):
    """Invalid input found outside the schema (e.g. a page size out of range): answered as
    ``422 {"errors": errors}``.

    Args:
        errors: field name → Chinese messages.
    """

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


class BodyError(ValueError):
    """A request body the API cannot read (answered as 400 with ``message``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _surrogate_path(value: Any, path: str = "") -> str | None:
    """The location of the first string (key or value) holding a lone surrogate, or None."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path or "$"
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if _surrogate_path(key, where) is not None:
                return where.encode("utf-8", "backslashreplace").decode("ascii")
            found = _surrogate_path(item, where)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _surrogate_path(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


def read_json_body(body: bytes) -> Any:
    """The parsed JSON of a request body, refused unless it is UTF-8 JSON whose strings are text.

    Raises:
        BodyError: not UTF-8, not JSON, or a string holding a lone surrogate (Chinese message).
    """
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BodyError(f"请求体不是 UTF-8 编码（第 {exc.start + 1} 字节）") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BodyError(f"请求体不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列附近）") from exc
    except (RecursionError, ValueError) as exc:  # nesting too deep, a number of thousands of digits
        raise BodyError("请求体不是有效的 JSON（嵌套过深或数字位数过多）") from exc
    where = _surrogate_path(data)
    if where is not None:
        raise BodyError(f"请求体含无效字符（{where} 中有单独的 UTF-16 代理项，如 \\ud800）")
    return data


class StrictJsonParser(Parser):
    """django-ninja's body parser, refusing what the default one lets through: lone surrogates (a 500
    when saved) and a JSON string or array where the endpoint takes an object (``"AAA"`` was read as an
    object through ``str.title`` and created a record titled "Aaa")."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = read_json_body(request.body)
        if not isinstance(data, dict):
            raise BodyError(NOT_AN_OBJECT)
        return data


def body_error_message(exc: BaseException) -> str | None:
    """The Chinese message of a :class:`BodyError` behind ``exc`` (django-ninja wraps the parser's
    exception in ``HttpError(400, "Cannot parse request body")``), or None."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, BodyError):
            return cause.message
        cause = cause.__cause__
    return None


def too_large_message() -> str:
    """The message of a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return f"请求体过大（上限 {limit / 1024 / 1024:.1f} MB）"


def json_method_not_allowed(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """``view`` (one of django-ninja's path views) with its 405 answer in the API's shape.

    django-ninja answers a method no operation of the path takes with ``text/html`` "Method not
    allowed"; the wrapped view answers ``405 {"detail": "不支持的请求方法：DELETE"}`` (JSON) and keeps
    the ``Allow`` header listing the methods the path takes. Other answers pass unchanged; the view's
    attributes (``csrf_exempt``) are kept.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith("application/json"):
            return response
        answer = JsonResponse({"detail": f"不支持的请求方法：{request.method}"}, status=405,
                              json_dumps_params={"ensure_ascii": False})
        if response.has_header("Allow"):
            answer["Allow"] = response["Allow"]
        return answer

    return wrapped


# ------------------------------------------------------------------------------------------ OpenAPI

_ERRORS = {"type": "object", "title": "Errors", "required": ["errors"],
           "properties": {"errors": {"type": "object", "title": "Errors",
                                     "additionalProperties": {"type": "array", "items": {"type": "string"}}}}}
_DETAIL = {"type": "object", "title": "Detail", "required": ["detail"],
           "properties": {"detail": {"type": "string", "title": "Detail"}}}
_ANSWERS = {
    "400": ("请求体无法读取（不是 UTF-8 的 JSON 对象，或含无效字符）", "ApiErrors"),
    "401": ("未登录或令牌无效", "ApiDetail"),
    "403": ("无权执行此操作", "ApiDetail"),
    "404": ("记录不存在或无权访问", "ApiDetail"),
    "413": ("请求体过大", "ApiErrors"),
    "422": ("输入有误：字段 → 中文提示", "ApiErrors"),
}


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers to every operation of an OpenAPI ``schema`` (in place; returned).

    Every operation may answer 403, 404 and 422 (a path or query value of the wrong type); one with
    security 401; one with a request body 400 and 413. Answers the operation already declares are kept.
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ApiErrors", _ERRORS)
    components.setdefault("ApiDetail", _DETAIL)
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            codes = ["403", "404", "422"]
            if operation.get("security"):
                codes.append("401")
            if "requestBody" in operation:
                codes += ["400", "413"]
            # ninja keys its own answers by int (200, 404): one key per status, or the JSON document
            # holds "404" twice and Swagger UI refuses it ("duplicated mapping key").
            responses = {str(code): answer for code, answer in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for code in sorted(codes):
                description, name = _ANSWERS[code]
                responses.setdefault(code, {"description": description, "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}})
    return schema
