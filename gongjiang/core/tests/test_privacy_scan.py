"""Privacy scan (issue 8): every page, API read, export and public page, as every role, searched for
the full ID, phone and bank-card numbers the test world was seeded with; and the captured logs.

Routes are discovered, not listed: page routes from the URL resolver, the admin's pages from its
registry, GET operations from the OpenAPI spec. Integer path parameters are tried with every id
from 1 to the largest seeded primary key, so each object of each model is visited; other parameters
with a sample value (`SAMPLE_PARAMS`, default "1"). A new app's routes are scanned without a
change here.

Who may see a full number in a GET answer: only a person, their own, on their own record
(`_may_see`). Roles allowed to see identifiers unmask one record with a POST that states a purpose
(tested in registry/tests/test_reveal.py); lists and exports are masked for everyone.
`CLEAR_ALLOWED` is where a route that must carry full numbers (a bank payment file of issue 6)
would be written down, with the roles and the reason.
"""

from __future__ import annotations

import io
import itertools
import json
import logging
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from config.api import api
from gongjiang.core.choices import Role
from gongjiang.registry import services
from gongjiang.registry.models import Enterprise, Institution, Person, Teacher
from gongjiang.registry.tests.factories import PASSWORD, new_id_number

ROLES: list[str | None] = [*sorted(Role), None]  # None: not logged in
SAMPLE_PARAMS = {"pack_id": "lanzhou-xinqu-2025"}
# route (page name or "GET /api/…") → (roles that may receive full numbers there, reason)
CLEAR_ALLOWED: dict[str, tuple[frozenset[str], str]] = {}
# Routes not scanned, each with the reason.
EXEMPT = {
    "web:logout": "仅 POST",
    "account:otp_verify": "登录第二步：无登录前的待验证状态时只会重定向",
    "account:otp_enrol": "同上",
    "GET /api/openapi.json": "接口说明本身，不含数据",
    "GET /api/docs": "接口说明页面，不含数据",
}
INT_CONVERTER = "IntConverter"


@dataclass(frozen=True)
class Secret:
    kind: str
    value: str
    person_id: int | None  # whose number; None for a teacher's


@pytest.fixture
def seeded(world):
    """Distinct, known numbers for every person and teacher (the factories share phones)."""
    from gongjiang.core.pii import decrypt

    serial = itertools.count(11)
    secrets: list[Secret] = []
    for person in Person.objects.all():
        n = next(serial)
        phone, card = f"139{n:04d}{n:04d}", f"62220200{n:03d}{n:08d}"
        actor = world.root if person.jurisdiction_id == world.jurisdiction.pk else _other_admin(world)
        services.person_set_contact(
            actor=actor, person=person, phone=phone, bank_name="工行", bank_account=card, reason="隐私扫描"
        )
        secrets += [
            Secret("id", decrypt(person.id_number_encrypted), person.pk),
            Secret("phone", phone, person.pk),
            Secret("card", card, person.pk),
        ]
    services.teacher_create(
        actor=world.root,
        jurisdiction=world.jurisdiction,
        name="扫描老师",
        id_number=new_id_number(birth="19770707"),
        filing_number="XQSZ-2025-777",
        filed_on=world.teacher_a.filed_on,
        phone="13655556666",
        institutions=[world.institution_a],
    )
    for teacher in Teacher.objects.all():
        secrets.append(Secret("id", decrypt(teacher.id_number_encrypted), None))
        if teacher.phone_encrypted:
            secrets.append(Secret("phone", decrypt(teacher.phone_encrypted), None))
    _seed_funds(world)
    return world, secrets


# Funds pages that must show the seeded payees (masked), proof that the scan read them with data.
FUNDS_ROUTES_WITH_PAYEES = {
    "funds:application_detail",
    "funds:notice_detail",
    "funds_public:notice_detail",
    "funds:payment_queue",
    "funds:batch_detail",
}


def _seed_funds(world):
    """Two seeded people (with their bank cards) on a training-subsidy application that is reviewed,
    publicly noticed and put in a payment batch: the funds pages, the public notice, the batch and
    the reports then carry their names, and must carry only masked numbers (issue 6)."""
    from gongjiang.funds import services as funds
    from gongjiang.funds.tests.factories import funds_world, noticed

    funds_world(world)
    world.payees = list(Person.objects.filter(jurisdiction=world.jurisdiction).order_by("pk")[:2])
    noticed(world, world.payees)
    funds.batch_create(actor=world.finance, fund_source=world.fund, year=2025)


def _other_admin(world):
    from gongjiang.core.models import User

    return User.objects.get(username="other-root-admin")


# Route discovery --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    route: str  # page name or "GET /api/…"
    paths: tuple[str, ...]


def _max_pk() -> int:
    from gongjiang.funds.models import Application, ApplicationLine, PaymentBatch, PublicNotice

    return max(
        m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for m in (
            Person,
            Teacher,
            Institution,
            Enterprise,
            Application,
            ApplicationLine,
            PaymentBatch,
            PublicNotice,
        )
    )


def _expand(pattern_parts: list[tuple[str, str | None]], ids: range) -> list[str]:
    """Fill each parameter: integers with every id, others with a sample value."""
    choices: list[list[str]] = []
    for literal, param in pattern_parts:
        if param is None:
            choices.append([literal])
        elif param.startswith("int:"):
            choices.append([str(i) for i in ids])
        else:
            choices.append([SAMPLE_PARAMS.get(param.split(":", 1)[-1], "1")])
    return ["".join(combo) for combo in itertools.product(*choices)]


def _django_parts(route: str, converters: dict[str, Any]) -> list[tuple[str, str | None]]:
    parts: list[tuple[str, str | None]] = []
    for piece in re.split(r"(<[^>]+>)", route):
        if piece.startswith("<"):
            name = piece.strip("<>").split(":")[-1]
            kind = "int" if type(converters.get(name)).__name__ == INT_CONVERTER else "str"
            parts.append(("", f"{kind}:{name}"))
        elif piece:
            parts.append((piece, None))
    return parts


def page_targets(ids: range) -> list[Target]:
    targets: list[Target] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in {"admin", "api"}:
                    continue  # the admin below, from its registry; the API from the spec
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name:
                name = namespace + p.name
                if name in EXEMPT:
                    continue
                route = "/" + prefix + str(p.pattern)
                parts = _django_parts(route, p.pattern.converters)
                targets.append(Target(name, tuple(_expand(parts, ids))))

    walk(get_resolver().url_patterns, "", "")
    return targets


def admin_targets(ids: range) -> list[Target]:
    targets = [Target("admin:index", ("/admin/",))]
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        targets.append(
            Target(f"admin:{model._meta.label_lower}", (base, *(f"{base}{i}/change/" for i in ids)))
        )
    return targets


def api_targets(ids: range) -> list[Target]:
    targets = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        if "get" not in operations or f"GET {path}" in EXEMPT:
            continue
        int_params = {
            p["name"]
            for p in operations["get"].get("parameters", [])
            if p.get("in") == "path" and p.get("schema", {}).get("type") == "integer"
        }
        parts: list[tuple[str, str | None]] = []
        for piece in re.split(r"(\{[^}]+\})", path):
            if piece.startswith("{"):
                name = piece.strip("{}")
                parts.append(("", f"{'int' if name in int_params else 'str'}:{name}"))
            elif piece:
                parts.append((piece, None))
        targets.append(Target(f"GET {path}", tuple(_expand(parts, ids))))
    return targets


# Reading answers --------------------------------------------------------------------------------


def response_text(response: Any) -> str:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if "spreadsheetml" in content_type:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return " ".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )
    text = body.decode("utf-8", errors="replace")
    if "json" in content_type:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except json.JSONDecodeError:
            return text
    return text


def _may_see(role: str | None, user: Any, secret: Secret, route: str) -> bool:
    allowed = CLEAR_ALLOWED.get(route)
    if allowed and role in allowed[0]:
        return True
    return role == Role.PERSON and secret.person_id is not None and secret.person_id == user.person_id


def _client(world: Any, role: str | None) -> Client:
    client = Client()
    if role is not None:
        assert client.login(username=world.users[role].username, password=PASSWORD)
    return client


# Sequences are reset so that keys start at 1 on PostgreSQL as on SQLite: PostgreSQL sequences keep
# counting across rolled-back tests, and "every id up to the largest key" would grow with the suite.
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_no_role_receives_a_full_number_it_may_not_see_nor_do_the_logs(seeded, caplog):
    # given the seeded numbers and every discovered route
    world, secrets = seeded
    largest = _max_pk()
    assert largest < 200, f"largest seeded key {largest}: sequences were not reset"
    ids = range(1, largest + 1)
    targets = page_targets(ids) + admin_targets(ids) + api_targets(ids)
    assert len(targets) > 20
    caplog.set_level(logging.DEBUG)
    leaks: list[str] = []
    allowed_seen: set[str] = set()
    payees_shown: set[str] = set()
    payee_masks = [p.id_number_masked for p in world.payees]
    visited = 0

    # when every role reads every path of every route
    for role in ROLES:
        client = _client(world, role)
        user = world.users.get(role) if role else None
        for target in targets:
            for path in target.paths:
                response = client.get(path)
                visited += 1
                if response.status_code != 200:
                    continue
                text = response_text(response)
                if target.route in FUNDS_ROUTES_WITH_PAYEES and all(m in text for m in payee_masks):
                    payees_shown.add(target.route)
                for secret in secrets:
                    if secret.value in text:
                        if _may_see(role, user, secret, target.route):
                            allowed_seen.add(f"{role} {target.route}")
                        else:
                            leaks.append(f"{role or 'anonymous'} {path} ({target.route}): {secret.kind}")
    # and staff search the registry by full ID number (the number is in the request)
    for role in (Role.CENTRE_REVIEWER, Role.INSTITUTION_CLERK):
        client = _client(world, role)
        for secret in secrets[:3]:
            client.get("/registry/people/", {"q": secret.value})
            client.get("/api/registry/people", {"q": secret.value})

    # then nothing leaked, the logs hold no number, and the scan did see what it should
    assert not leaks, "full numbers where the role may not see them:\n" + "\n".join(sorted(set(leaks)))
    logged = caplog.text
    assert not [s.kind for s in secrets if s.value in logged], "a full number in the logs"
    assert "person registry:person_detail" in allowed_seen  # the person's own record: proof it looks
    assert "person GET /api/registry/people/{person_id}" in allowed_seen
    assert payees_shown == FUNDS_ROUTES_WITH_PAYEES  # the funds pages were read with the payees on them
    assert visited > 500


def test_the_log_filter_masks_numbers_that_reach_a_message():
    from gongjiang.core.logging import RedactFilter, redact

    # given a careless log call with an ID, a phone and a card number
    record = logging.LogRecord(
        "x",
        logging.WARNING,
        __file__,
        1,
        "查询 %s 电话 %s 卡 %s",
        ("62010219900101001X", "13912345678", "6222020000012345678"),
        None,
    )
    # when
    RedactFilter().filter(record)
    # then
    message = record.getMessage()
    assert "62010219900101001X" not in message and "13912345678" not in message
    assert "6222020000012345678" not in message
    assert "139****5678" in message and message.count("*") > 10
    assert redact("订单 2025 共 3 人") == "订单 2025 共 3 人"
