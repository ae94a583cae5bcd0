"""Match explanations name the technical field, never its code (issue 11, item 22)."""

from __future__ import annotations

import re

import pytest

from kechuang.matchmaking.index_store import reset_store
from kechuang.matchmaking.services import matches_for


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.KECHUANG_INDEX_DIR = tmp_path / "index"
    reset_store()
    yield
    reset_store()


def test_a_same_field_match_names_the_technical_field(cast, records, fields):
    fitting = records["uni_public"]
    fitting.title, fitting.keywords, fitting.field = "玄武岩纤维拉丝漏板长寿命技术", "玄武岩纤维；漏板", fields["0402"]
    fitting.save()
    top = matches_for(records["rival_demand"], "achievements", cast["city"])[0]
    name = fields["0402"].name
    assert top.reasons["field_agreement"] == f"同一技术领域：{name}"
    assert f"同一技术领域：{name}" in top.summary
    assert not re.search(r"\d{4}", top.reasons["field_agreement"] + top.summary.split("领域一致")[-1][:30])
