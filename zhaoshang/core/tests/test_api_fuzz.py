"""Schemathesis over the whole OpenAPI schema (issue 25): every operation, as a bureau admin and as a
township operator, with every check, including the stateful phase's links. Bounded to fit CI: a few
generated cases per operation and role (``FUZZ_EXAMPLES``, 6 by default; raise it for a longer run).

The API is called in-process through its WSGI application, inside the test's transaction, with a
real session cookie and CSRF token (the auth provider), so schemathesis also checks that a call
without the session is refused.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from zhaoshang.api import api
from zhaoshang.projects import services as project_services

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
CSRF = "fuzzcsrf" * 4  # an unmasked 32-character secret: Django accepts it as cookie and header

# Business rules refuse some schema-valid input (an id of another county, a stage that cannot be
# reached yet): 422 with the field named, or 404/409, are the API's documented answers to those.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ["2XX", "401", "403", "404", "409", "422"]}
        }
    }
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"), config=CONFIG)
schema.app = get_wsgi_application()
# Links between operations (a created record's id into its read, update and transitions), inferred
# from the schema's shapes as the schemathesis command does before its stateful phase.
LINKS = schema.apply_stateful_inference(None)

_session: dict[str, str] = {}


@schema.auth(refresh_interval=None)
class SessionCookie:
    """The session of the user the test logged in, and the CSRF pair every write needs."""

    def get(self, case: Any, context: Any) -> str:
        return _session.get("id", "")  # asked once at collection too, before any test logs in

    def set(self, case: Any, data: str, context: Any) -> None:
        case.cookies = {**(case.cookies or {}), "sessionid": data, "csrftoken": CSRF}
        case.headers = {**(case.headers or {}), "X-CSRFToken": CSRF}


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """A WSGI request closes the database connection at its start and end; in a test that would
    end the test's transaction, as Django's own test client knows."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["admin", "operator_a"])
def caller(request, cast, client):
    """Logged in as the bureau admin or a township operator, with a few records to find."""
    project_services.create_project(
        by=cast.admin, data={"name": "引进项目", "unit": cast.town_a, "total_investment": 100}
    )
    user = getattr(cast, request.param)
    client.force_login(user)
    _session["id"] = client.cookies["sessionid"].value
    yield user
    _session.clear()


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_answers_as_documented(case, caller):
    case.call_and_validate()


def test_sequences_of_calls_follow_the_links_between_operations(caller):
    # The stateful phase: short sequences of calls that pass a created or listed record's id on to
    # the operations linked to it, every answer checked.
    assert LINKS.total > 0  # without links the state machine would make no call at all
    calls: list[str] = []

    def count(sender: Any, environ: dict[str, Any], **kwargs: Any) -> None:
        calls.append(environ["PATH_INFO"])

    signals.request_started.connect(count)
    try:
        schema.as_state_machine().run(
            settings=settings(
                max_examples=EXAMPLES * 2,
                stateful_step_count=5,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
            )
        )
    finally:
        signals.request_started.disconnect(count)
    assert len(calls) >= EXAMPLES  # the sequences reached the application
