"""The demo load, the demo command, the dashboard counts and the console script."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from kechuang.cli import main as kechuang_main
from kechuang.common.uscc import is_valid_uscc
from kechuang.core.choices import OrganisationKind, Role
from kechuang.core.dashboard import organisation_counts
from kechuang.core.demo import DEMO_PASSWORD, DEMO_SOURCE, DEMO_SUFFIX, load_demo
from kechuang.core.models import Contact, Organisation, User


@pytest.fixture
def demo(db):
    return load_demo()


def test_demo_loads_realistic_marked_data(demo):
    assert demo.organisations[OrganisationKind.ENTERPRISE] == 200
    assert sum(demo.organisations.values()) == 210
    assert all(o.name.endswith(DEMO_SUFFIX) and o.source == DEMO_SOURCE for o in Organisation.objects.all())
    assert all(is_valid_uscc(o.uscc) for o in Organisation.objects.all())
    counties = Organisation.objects.filter(kind="enterprise").values_list("region__name", flat=True).distinct()
    assert len(set(counties)) == 9
    assert {u.role for u in User.objects.all()} == set(Role.values)


def test_loading_twice_duplicates_nothing(demo):
    counts = (Organisation.objects.count(), Contact.objects.count(), User.objects.count())
    history = Organisation.history.count()
    load_demo()
    assert (Organisation.objects.count(), Contact.objects.count(), User.objects.count()) == counts
    assert Organisation.history.count() == history


def test_every_demo_login_works(client, demo):
    for _, username, _ in demo.users:
        assert client.login(username=username, password=DEMO_PASSWORD), username
        assert client.get(reverse("core:home")).status_code == 200
        client.logout()


@pytest.mark.slow
def test_demo_command_without_serving(db, capsys):
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "企业 200" in out and "city_admin" in out and "演示数据已就绪：210 个组织机构" in out


def test_dashboard_counts_follow_the_scope(cast, orgs):
    city = organisation_counts(cast["city"])
    assert city.total == 4
    assert dict(zip(city.rows, city.row_totals, strict=True)) == {"通川区": 2, "宣汉县": 1, "达州高新区": 1}
    county = organisation_counts(cast["tongchuan"])
    assert county.total == 2 and county.column_totals[0] == 1
    assert organisation_counts(cast["acme"]).total == 1


def test_home_page_shows_counts(client, cast, orgs):
    client.force_login(cast["xuanhan"])
    page = client.get(reverse("core:home")).content.decode()
    assert "宣汉县" in page and 'data-testid="total">1<' in page


def test_console_script_runs_management_commands(db, capsys):
    kechuang_main(["check", "--fail-level", "ERROR"])
    assert "System check identified no issues" in capsys.readouterr().out
