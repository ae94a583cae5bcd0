"""Property-based run of the whole API against its own OpenAPI schema (schemathesis; issue 11, item 33):
every operation, with a city administrator's token and an enterprise's token, positive and negative
examples (bounded), through the WSGI application on the test database. No answer may be a 5xx, every
error must be JSON, and every status code must be one the schema declares.

``SCHEMATHESIS_MAX_EXAMPLES`` (default 3; CI runs it again with more) bounds the examples per operation, mode and token.
"""

from __future__ import annotations

import os

import pytest
from django.core import signals
from django.db import close_old_connections

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402

from kechuang.core.models import ApiToken  # noqa: E402

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "3"))

pytestmark = [pytest.mark.schemathesis, pytest.mark.slow]  # its own CI step, with more examples


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, run in this thread on the test database (the connection is
    kept open across requests, as Django's own test client does)."""
    from django.core.wsgi import get_wsgi_application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _schema(app):
    from kechuang.api import api

    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = app
    return schema


def _run(operation, mode, headers, problems):
    @hypothesis_settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                         phases=[Phase.explicit, Phase.generate],
                         suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        response = case.call(headers=headers)
        label = f"{case.method} {case.formatted_path} ({mode.value}) → {response.status_code}"
        if response.status_code >= 500:
            problems.append(f"SERVER ERROR {label}: {response.text[:300]}")
        elif response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = None
            if not isinstance(body, dict) or not ({"errors"} == set(body) or {"detail"} == set(body)):
                problems.append(f"{label}: not a documented JSON error: {response.text[:200]}")
            elif str(response.status_code) not in operation.definition.raw.get("responses", {}):
                problems.append(f"{label}: status not in the schema")

    check()


@pytest.mark.django_db
def test_the_api_answers_every_generated_request_without_a_server_error(wsgi_app, cast, records):
    tokens = {name: ApiToken.issue(cast[name], "schemathesis")[1] for name in ("city", "acme")}
    schema = _schema(wsgi_app)
    problems: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for key in tokens.values():
        headers = {"Authorization": f"Bearer {key}"}
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _run(operation, mode, headers, problems)
    ordered = sorted(set(problems), key=lambda p: (not p.startswith("SERVER ERROR"), p))
    assert not problems, f"{len(ordered)} problems:\n" + "\n".join(ordered[:40])
