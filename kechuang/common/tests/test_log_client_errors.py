"""A refused request writes one log line, not a traceback (issue 11, item 27)."""

from __future__ import annotations

import logging

from django.urls import reverse


def test_a_403_is_one_warning_line_without_traceback(client, cast, caplog):
    client.force_login(cast["outsider"])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("rdreport:report-new"))
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    record = records[0]
    assert record.exc_info is None and record.levelno == logging.WARNING
    line = logging.Formatter().format(record)
    assert "\n" not in line and "Forbidden" in line and "/rd/reports/new/" in line
