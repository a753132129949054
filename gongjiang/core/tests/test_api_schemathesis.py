"""API robustness (issue 8): schemathesis against our own OpenAPI spec, in process (WSGI).

Every operation of `/api/openapi.json` gets generated requests, valid and invalid, sent as a
logged-in bureau admin with a CSRF token (so writes reach the services). Checks: no server error
(5xx) and every documented response matches its schema. Bounded: `MAX_EXAMPLES` per operation, no
example-time deadline (the machine is shared), the database rolled back after each operation.
New operations are picked up from the spec without a change here.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from gongjiang.core.choices import Role
from gongjiang.registry.tests.factories import PASSWORD

MAX_EXAMPLES = 12

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def admin_session(world) -> dict[str, dict[str, str]]:
    client = Client()
    assert client.login(username=world.users[Role.BUREAU_ADMIN].username, password=PASSWORD)
    client.get("/")  # renders a form: sets the CSRF cookie
    session, csrf = client.cookies["sessionid"].value, client.cookies["csrftoken"].value
    return {"cookies": {"sessionid": session, "csrftoken": csrf}, "headers": {"X-CSRFToken": csrf}}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_has_no_server_errors_and_answers_match_the_schema(case, admin_session):
    case.cookies = {**(case.cookies or {}), **admin_session["cookies"]}
    response = case.call(headers=admin_session["headers"])
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
