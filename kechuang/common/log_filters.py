"""Logging filters of the platform (wired in ``settings.LOGGING``)."""

from __future__ import annotations

import logging


class ClientErrorsOneLine(logging.Filter):
    """A refused request (4xx: 403 permission denied, 400 bad request) is logged as one line, without the
    traceback Django attaches (``django.utils.log.log_response`` passes the exception as ``exc_info``).

    A 403 is the access rules working, not a fault: a traceback per refusal floods the log and hides real
    errors. Server errors (5xx) keep their traceback. The record always passes (returns True)."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
