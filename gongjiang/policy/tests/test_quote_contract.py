"""The quote contract: CLI, API and the 补贴试算 page give the same answers; malformed input is
refused whole with messages naming the item and field (issue 3, the quote contract)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from gongjiang.core.choices import Role
from gongjiang.core.services import jurisdiction_create, user_create
from gongjiang.policy.quote import QuoteInputError, quote_many
from gongjiang.policy.tests.casebook import load_cases, request_of

ROOT = Path(__file__).resolve().parents[3]
PACKS = ["lanzhou-xinqu-2025", "lanzhou-xinqu-2024", "taierzhuang-2021", "shangyu-2023", "huzhou-2021"]
# A sample of cases from every pack: with history, ranges, schedules and refusals.
SAMPLE = [request_of(pack, case) for pack in PACKS for case in load_cases(pack)[:6]]


@pytest.fixture
def logged_in_client(db):
    jurisdiction = jurisdiction_create(actor=None, code="lanzhou-xinqu", name="兰州新区")
    user_create(
        actor=None,
        username="officer",
        password="pw-123456789",
        role=Role.CENTRE_REVIEWER,
        jurisdictions=[jurisdiction],
    )
    client = Client()
    assert client.login(username="officer", password="pw-123456789")
    return client


def _cli(payload) -> dict | list:
    out = io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.StringIO(json.dumps(payload, ensure_ascii=False))
    try:
        call_command("quote", "-", stdout=out)
    finally:
        sys.stdin = stdin
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_cli_and_api_agree_on_every_sampled_case(logged_in_client):
    # given the same list of requests
    # when quoted by the CLI, the API and the engine directly
    cli = _cli(SAMPLE)
    api = logged_in_client.post("/api/quote", json.dumps(SAMPLE), content_type="application/json").json()
    engine = quote_many(SAMPLE, shortage_lookup=lambda pack, day: frozenset())
    # then all three answer identically, item by item
    assert cli == api == engine
    assert len(cli) == len(SAMPLE)


@pytest.mark.django_db
def test_single_object_in_single_object_out(logged_in_client):
    request = SAMPLE[0]
    assert isinstance(_cli(request), dict)
    response = logged_in_client.post("/api/quote", json.dumps(request), content_type="application/json")
    assert response.status_code == 200 and response.json()["amount"] == "2400.00"


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(0, len(SAMPLE), 5))
def test_trial_page_shows_the_same_answer(logged_in_client, index):
    # given one request, posted through the page's form
    request = SAMPLE[index]
    expected = quote_many([request], shortage_lookup=lambda pack, day: frozenset())[0]
    form = {"date": request["date"], "history": json.dumps(request["history"], ensure_ascii=False)}
    for name, value in request["facts"].items():
        form[f"fact_{name}"] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    # when
    response = logged_in_client.post(
        f"/policy/trial/?pack={request['policy']}&benefit={request['benefit']}", form
    )
    # then the page's result is the engine's
    assert response.status_code == 200
    assert response.context["result"] == expected
    assert f'data-testid="amount">{expected["amount"]}<' in response.content.decode()


MALFORMED = [
    ({"policy": "nowhere", "date": "2025-01-01", "benefit": "x", "facts": {}}, "第0项 policy: 未知政策包"),
    (
        {
            "policy": "lanzhou-xinqu-2025",
            "date": "2025-02-30",
            "benefit": "startup_training",
            "facts": {"course": "SYB", "class_hours": 56},
        },
        "第0项 date",
    ),
    (
        {"policy": "lanzhou-xinqu-2025", "date": "2025-01-01", "benefit": "nothing", "facts": {}},
        "第0项 benefit",
    ),
    (
        {
            "policy": "lanzhou-xinqu-2025",
            "date": "2025-01-01",
            "benefit": "startup_training",
            "facts": {"course": "SYB"},
        },
        "第0项 facts.class_hours: 缺少必填事实",
    ),
    (
        {
            "policy": "lanzhou-xinqu-2025",
            "date": "2025-01-01",
            "benefit": "startup_training",
            "facts": {"course": "XYZ", "class_hours": 56},
        },
        "第0项 facts.course: 取值应为",
    ),
    (
        {
            "policy": "lanzhou-xinqu-2025",
            "date": "2025-01-01",
            "benefit": "startup_training",
            "facts": {"course": "SYB", "class_hours": "56"},
        },
        "第0项 facts.class_hours: 应为整数",
    ),
    (
        {
            "policy": "lanzhou-xinqu-2025",
            "date": "2025-01-01",
            "benefit": "startup_training",
            "facts": {"course": "SYB", "class_hours": 56, "colour": "red"},
        },
        "第0项 facts.colour: 未知事实",
    ),
    (
        {
            "policy": "lanzhou-xinqu-2025",
            "date": "2025-01-01",
            "benefit": "startup_training",
            "facts": {"course": "SYB", "class_hours": 56},
            "history": [{"date": "x", "benefit": "", "amount": "abc"}],
        },
        "第0项 history[0].date",
    ),
    (
        {
            "policy": "lanzhou-xinqu-2025",
            "date": "2025-01-01",
            "benefit": "startup_training",
            "facts": [],
            "extra": 1,
        },
        "第0项 extra: 未知字段",
    ),
    ("not an object", "第0项 : 应为 JSON 对象"),
]


@pytest.mark.parametrize(("request_body", "message"), MALFORMED)
def test_malformed_input_names_item_and_field(request_body, message):
    with pytest.raises(QuoteInputError) as caught:
        quote_many([request_body])
    assert any(message in problem for problem in caught.value.problems), caught.value.problems


def test_one_bad_item_refuses_the_whole_call():
    good = request_of("lanzhou-xinqu-2025", load_cases("lanzhou-xinqu-2025")[0])
    with pytest.raises(QuoteInputError) as caught:
        quote_many([good, {**good, "benefit": "nothing"}])
    assert caught.value.problems == ["第1项 benefit: lanzhou-xinqu-2025 没有补贴项目 'nothing'"]


def test_unknown_occupation_is_not_malformed():
    facts = {
        "training_type": "employment",
        "occupation": "不存在的工种",
        "level": "cert",
        "class_hours": 200,
        "rural_or_lowincome": False,
        "training_days": 30,
    }
    result = quote_many(
        [
            {
                "policy": "lanzhou-xinqu-2025",
                "date": "2025-05-01",
                "benefit": "training_subsidy",
                "facts": facts,
            }
        ]
    )[0]
    assert [r["code"] for r in result["reasons"]] == ["unknown_occupation"]


@pytest.mark.django_db
def test_api_answers_422_with_the_same_messages(logged_in_client):
    body, message = MALFORMED[3]
    response = logged_in_client.post("/api/quote", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert any(message in d for d in response.json()["details"])
    bad_json = logged_in_client.post("/api/quote", "{nope", content_type="application/json")
    assert bad_json.status_code == 422


@pytest.mark.django_db
def test_cli_malformed_input_is_exit_2():
    with pytest.raises(CommandError) as caught:
        _cli(MALFORMED[4][0])
    assert caught.value.returncode == 2
    assert "facts.course" in str(caught.value)


def test_cli_from_the_shell_exit_codes(tmp_path):
    # given a file with a malformed request and one with a good one
    bad, good = tmp_path / "bad.json", tmp_path / "good.json"
    bad.write_text("{not json", encoding="utf-8")
    good.write_text(json.dumps(SAMPLE[1], ensure_ascii=False), encoding="utf-8")
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"}

    def run(*args):
        return subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    # then bad JSON is exit 2 with the position on stderr, and a missing file too
    result = run("quote", str(bad))
    assert result.returncode == 2 and "JSON 格式错误" in result.stderr
    assert run("quote", str(tmp_path / "missing.json")).returncode == 2
    assert run("policy", "show", "no-such-pack").returncode == 2


def test_policy_show_prints_every_benefit_and_parameter_in_chinese():
    from gongjiang.policy.loader import installed_packs

    for pack_id, pack in installed_packs().items():
        out = io.StringIO()
        call_command("policy", "show", pack_id, stdout=out)
        text = out.getvalue()
        assert f"政策包 {pack_id}：{pack.title}" in text
        for benefit in pack.benefits.values():
            assert f"{benefit.key}　{benefit.label}" in text
        for parameter in pack.parameters.values():
            assert f"{parameter.path}　{parameter.description}" in text
            for value in parameter.values:
                assert value.ended or value.reference in text
