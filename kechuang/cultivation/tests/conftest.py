"""Fixtures of the cultivation tests: worked-case figures saved for the cast's enterprises."""

from __future__ import annotations

import pytest

from kechuang.cultivation.figures import save_figures
from kechuang.engines.cultivation.tests.builders import reference


@pytest.fixture
def cultivated(orgs):
    """acme_ltd (通川区) and rival_ltd (宣汉县) with the reference figures (passing every tier on 2025-06-30);
    park_ltd (高新区) with them too; returns the organisations by key."""
    for key in ("acme_ltd", "rival_ltd", "park_ltd"):
        save_figures(orgs[key], reference(name=orgs[key].name))
    return orgs
