"""A request the API's schema refuses is answered 422 in Chinese, field by field, and writes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from gongjiang.core.api_errors import describe
from gongjiang.core.models import ReportRun
from gongjiang.registry.tests.factories import PASSWORD


@pytest.mark.django_db
def test_a_refused_request_is_explained_in_chinese_field_by_field(world, bureau_admin):
    client = Client()
    assert client.login(username=bureau_admin.username, password=PASSWORD)
    # when the report kind is missing, then not one of the kinds, then the body is not JSON
    missing = client.post("/api/core/reports", {}, content_type="application/json")
    wrong = client.post("/api/core/reports", {"kind": "nonsense"}, content_type="application/json")
    broken = client.post("/api/core/reports", "{kind", content_type="application/json")
    # then each is a 422 naming the field and what is wrong, in Chinese, and nothing is queued
    assert missing.status_code == wrong.status_code == 422
    assert missing.json()["details"] == ["kind：缺少必填项"]
    assert missing.json()["message"] == "请求数据有误：kind：缺少必填项"
    assert wrong.json()["details"][0].startswith("kind：取值应为 ")
    assert "audit_summary" in wrong.json()["details"][0]
    assert broken.status_code == 400 and broken.json()["message"] == "请求体无法解析，应为合法的 JSON"
    # and programs still find django-ninja's own list
    assert missing.json()["detail"][0]["type"] == "missing"
    assert not ReportRun.objects.exists()


@pytest.mark.django_db
def test_without_a_session_the_api_answers_401_in_chinese(client):
    response = client.post("/api/core/reports", {"kind": "audit_summary"}, content_type="application/json")
    assert response.status_code == 401
    assert (response.json()["code"], response.json()["message"]) == ("not_authenticated", "请先登录")
    assert not ReportRun.objects.exists()


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            {"type": "string_too_long", "loc": ("body", "payload", "note"), "ctx": {"max_length": 200}},
            "note：最多 200 个字符",
        ),
        (
            {"type": "greater_than_equal", "loc": ("query", "year"), "ctx": {"ge": 2000}},
            "year：应不小于 2000",
        ),
        (
            {"type": "datetime_parsing", "loc": ("body", "payload", "occurred_at")},
            "occurred_at：应为日期时间，如 2025-06-01T08:00:00+08:00",
        ),
        (
            {
                "type": "value_error",
                "loc": ("body", "payload", "id_number"),
                "msg": "Value error, 身份证号校验位不符",
            },
            "id_number：身份证号校验位不符",
        ),
        ({"type": "missing", "loc": ("body", "payload", "lines", 2, "amount")}, "lines.2.amount：缺少必填项"),
    ],
)
def test_each_kind_of_error_reads_in_chinese(error, expected):
    assert describe(error) == expected
