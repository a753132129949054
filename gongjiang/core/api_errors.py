"""Request-validation errors of the API in Chinese, field by field (django-ninja answers in English).

The 422 body keeps django-ninja's `detail` list for programs and adds `code`, a Chinese `message`
and one Chinese line per field in `details`, like the answers to a refused import."""

from __future__ import annotations

from typing import Any

# pydantic error type → what is wrong, in the words a clerk understands
MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不接受此字段",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "date_parsing": "应为日期，如 2025-06-01",
    "date_from_datetime_parsing": "应为日期，如 2025-06-01",
    "date_type": "应为日期，如 2025-06-01",
    "datetime_parsing": "应为日期时间，如 2025-06-01T08:00:00+08:00",
    "datetime_from_date_parsing": "应为日期时间，如 2025-06-01T08:00:00+08:00",
    "datetime_type": "应为日期时间，如 2025-06-01T08:00:00+08:00",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "请求体不是合法的 JSON",
    "json_type": "请求体不是合法的 JSON",
}
WITH_LIMIT = {
    "string_too_long": "最多 {max_length} 个字符",
    "string_too_short": "至少 {min_length} 个字符",
    "too_long": "最多 {max_length} 项",
    "too_short": "至少 {min_length} 项",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "literal_error": "取值应为 {expected}",
    "enum": "取值应为 {expected}",
    "string_pattern_mismatch": "格式不符合要求",
    "decimal_max_places": "最多 {decimal_places} 位小数",
    "decimal_max_digits": "最多 {max_digits} 位数字",
}
# where the value came from: not part of the field's name
CONTAINERS = {"body", "query", "path", "form", "file", "header", "cookie", "payload"}


def field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if str(p) not in CONTAINERS]
    return ".".join(parts) or "请求体"


def describe(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind in MESSAGES:
        reason = MESSAGES[kind]
    elif kind in WITH_LIMIT:
        try:
            reason = WITH_LIMIT[kind].format(**(error.get("ctx") or {}))
        except (KeyError, IndexError):
            reason = str(error.get("msg", kind))
    else:
        # a validator of ours raises its own (Chinese) text; pydantic prefixes it
        reason = str(error.get("msg", kind)).removeprefix("Value error, ")
    return f"{field_name(error.get('loc') or ())}：{reason}"


def validation_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    details = [describe(e) for e in errors]
    return {
        "code": "invalid_request",
        "message": "请求数据有误：" + "；".join(details[:5]) + ("……" if len(details) > 5 else ""),
        "details": details,
        "detail": errors,
    }


# django-ninja's own refusals (HttpError), by status
HTTP_ERRORS = {
    400: ("unparsable_body", "请求体无法解析，应为合法的 JSON"),
    401: ("not_authenticated", "请先登录"),
    403: ("permission_denied", "无权执行此操作"),
    429: ("throttled", "请求过于频繁，请稍后再试"),
}


def http_error_body(status: int, text: str) -> dict[str, Any]:
    code, message = HTTP_ERRORS.get(status, ("http_error", text))
    return {"code": code, "message": message, "details": [], "detail": text}
