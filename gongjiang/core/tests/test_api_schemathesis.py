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
def admin_session(world):
    """Cookies of a logged-in bureau admin, and the WSGI handler kept from closing the connection.

    The real handler closes the database connection around each request when it is inside a
    transaction (as the test's is, on PostgreSQL); Django's test client switches that off for its
    own requests and back on after each, so it is switched off here after the log-in."""
    from django.core import signals
    from django.db import close_old_connections

    client = Client()
    assert client.login(username=world.users[Role.BUREAU_ADMIN].username, password=PASSWORD)
    client.get("/")  # renders a form: sets the CSRF cookie
    session, csrf = client.cookies["sessionid"].value, client.cookies["csrftoken"].value
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield {"cookies": {"sessionid": session, "csrftoken": csrf}, "headers": {"X-CSRFToken": csrf}}
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


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
