"""The matchmaking record list on the app's skeleton (issue 12 item 6): its filters (demand, status)
from ``filters.py``, its Excel export from ``tables.py``, a step's comment checked by ``forms.py``."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.common.export import first_sheet
from kechuang.matchmaking.choices import MatchStatus
from kechuang.matchmaking.index_store import reset_store
from kechuang.matchmaking.models import MatchRecord
from kechuang.matchmaking.services import recommend


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.KECHUANG_INDEX_DIR = tmp_path / "index"
    reset_store()
    yield
    reset_store()


@pytest.fixture
def record(cast, records):
    made, _ = recommend(records["rival_demand"], records["uni_public"], cast["city"])
    return made


def _cells(response) -> list[list]:
    sheet = first_sheet(load_workbook(io.BytesIO(response.content)))
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_list_filters_by_status_and_exports_what_it_shows(client, cast, records, record):
    client.force_login(cast["city"])
    url = reverse("matchmaking:record-list")
    title = records["rival_demand"].title
    assert title in client.get(url, {"status": MatchStatus.RECOMMENDED}).content.decode()
    assert title not in client.get(url, {"status": MatchStatus.SIGNED}).content.decode()
    rows = _cells(client.get(url, {"status": MatchStatus.RECOMMENDED, "export": "xlsx"}))
    assert any(title in row and "已推荐" in row for row in rows)
    rows = _cells(client.get(url, {"status": MatchStatus.SIGNED, "export": "xlsx"}))
    assert not any(title in row for row in rows)


def test_a_step_comment_over_500_characters_is_refused_not_cut(client, cast, record):
    client.force_login(cast["city"])
    url = reverse("matchmaking:record-transition", args=[record.pk, "drop"])
    response = client.post(url, {"comment": "价" * 501})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == MatchStatus.RECOMMENDED and record.drop_reason == ""
    assert any("500" in str(m) for m in response.wsgi_request._messages)
    client.post(url, {"comment": "价" * 500})
    record.refresh_from_db()
    assert record.status == MatchStatus.DROPPED and record.drop_reason == "价" * 500


def test_a_posted_score_that_is_no_number_is_ignored(client, cast, records):
    """The score is the server's (``services.recommend``): whatever the form posts, even 「高」, is ignored."""
    client.force_login(cast["city"])
    response = client.post(reverse("matchmaking:record-create"), {
        "demand": records["rival_demand"].pk, "collection": "achievements", "target": records["uni_public"].pk,
        "score": "高"})
    assert response.status_code == 302
    record = MatchRecord.objects.get()
    assert record.score is None or isinstance(record.score, float)
