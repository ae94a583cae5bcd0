"""The ``kechuang`` console script: Django's management commands with the project's settings.

``kechuang demo`` loads the demo and serves it; ``kechuang migrate``, ``kechuang createsuperuser`` and
every other management command work as with ``manage.py``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run one management command; ``argv`` defaults to ``sys.argv[1:]``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kechuang", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
