"""`POST /api/quote`: the quote contract over HTTP (same body and answer as `gongjiang quote`).

200 with the result (an object for an object, a list for a list); 422 with the same problem
messages as the CLI for malformed input. `GET /api/policy/packs` lists the packs and benefits.
"""

import json
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from .quote import QuoteInputError
from .selectors import pack_list, quote_requests

router = Router(tags=["政策引擎"])


class QuoteProblem(Schema):
    code: str
    message: str
    details: list[str]


class BenefitOut(Schema):
    key: str
    label: str
    facts: list[str]


class PackOut(Schema):
    id: str
    title: str
    document: str
    jurisdiction: str
    benefits: list[BenefitOut]


@router.post(
    "/quote",
    response={200: Any, 422: QuoteProblem},
    openapi_extra={
        "requestBody": {
            "content": {"application/json": {"schema": {"type": ["object", "array"]}}},
            "required": True,
        }
    },
)
def quote(request: HttpRequest) -> Any:
    try:
        data = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        message = "请求体不是有效的 JSON"
        return Status(422, {"code": "malformed", "message": message, "details": [message]})
    single = isinstance(data, dict)
    try:
        results = quote_requests([data] if single else data if isinstance(data, list) else [data])
    except QuoteInputError as exc:
        return Status(422, {"code": "malformed", "message": "输入有误", "details": exc.problems})
    return Status(200, results[0] if single else results)


@router.get("/policy/packs", response=list[PackOut])
def packs(request: HttpRequest) -> Any:
    return [
        {
            "id": p.id,
            "title": p.title,
            "document": p.document,
            "jurisdiction": p.jurisdiction,
            "benefits": [
                {"key": b.key, "label": b.label, "facts": list(b.facts)} for b in p.benefits.values()
            ],
        }
        for p in pack_list()
    ]
