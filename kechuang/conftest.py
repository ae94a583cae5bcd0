"""Shared test fixtures: a small cast of named users over the reference city's regions.

The cast (each bound as its role requires):
  city        city administrator of 达州市
  tongchuan   county officer of 通川区        xuanhan   county officer of 宣汉县
  stats       statistics officer of 达州市
  acme        enterprise user of acme_ltd (通川区)   rival   enterprise user of rival_ltd (宣汉县)
  researcher  researcher of the university (通川区)   expert  expert of the university
  outsider    an account with no role
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings

from kechuang.core.choices import OrganisationKind, Role
from kechuang.core.models import Organisation, Region, User


def pytest_collection_modifyitems(items):
    """A browser walk is slow too: ``pytest`` (the fast suite) leaves it out, ``pytest -m slow`` runs it."""
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def _cheap_settings():
    """Tests only, for the whole session (so module-scoped fixtures profit too): a cheap password hasher
    (production keeps Django's default), and WhiteNoise looking a static file up when one is asked for
    instead of listing every static file each time a test client starts (about 0.2 s a test)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                           WHITENOISE_AUTOREFRESH=True):
        yield


@contextmanager
def rows_for_the_module(django_db_blocker):
    """Rows set up once and shared by the tests of one module: what the block creates is rolled back when
    it ends; each test still runs in its own transaction inside it (its changes are undone after it).

    For ``scope="module"`` fixtures of modules whose tests use ``db`` (not ``transactional_db``, which
    would flush the shared rows)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def regions(db) -> dict[str, Region]:
    """The reference city's regions, loaded by the data migration, by name."""
    return {r.name: r for r in Region.objects.all()}


def _code(division: str, body: str) -> str:
    from kechuang.common.uscc import check_character

    first17 = "91" + division + body
    return first17 + check_character(first17)


@pytest.fixture
def orgs(regions) -> dict[str, Organisation]:
    """acme_ltd (通川区), rival_ltd (宣汉县), park_ltd (达州高新区), uni (通川区 university)."""
    make = Organisation.objects.create
    return {
        "acme_ltd": make(name="通川甲公司", uscc=_code("511702", "MA62ACME1"), industry_code="C2614",
                         region=regions["通川区"]),
        "rival_ltd": make(name="宣汉乙公司", uscc=_code("511722", "MA62RKWL2"), industry_code="C3061",
                          region=regions["宣汉县"]),
        "park_ltd": make(name="高新丙公司", uscc=_code("511700", "MA62PARK3"), industry_code="I6513",
                         region=regions["达州高新区"]),
        "uni": make(name="示范学院", kind=OrganisationKind.UNIVERSITY, uscc=None, region=regions["通川区"]),
    }


@pytest.fixture
def cast(regions, orgs) -> dict[str, User]:
    """The named users, by name (see the module docstring)."""
    def user(name, role="", region=None, organisation=None, **extra):
        account = User(username=name, full_name=name, role=role, region=region, organisation=organisation,
                       **extra)
        account.set_password("pw")
        account.full_clean(exclude=["password"])
        account.save()
        return account

    return {
        "city": user("city", Role.CITY_ADMIN, regions["达州市"], is_staff=True),
        "tongchuan": user("tongchuan", Role.COUNTY_OFFICER, regions["通川区"]),
        "xuanhan": user("xuanhan", Role.COUNTY_OFFICER, regions["宣汉县"]),
        "stats": user("stats", Role.STATISTICS_OFFICER, regions["达州市"]),
        "acme": user("acme", Role.ENTERPRISE_USER, organisation=orgs["acme_ltd"]),
        "rival": user("rival", Role.ENTERPRISE_USER, organisation=orgs["rival_ltd"]),
        "researcher": user("researcher", Role.RESEARCHER, organisation=orgs["uni"]),
        "expert": user("expert", Role.EXPERT, organisation=orgs["uni"]),
        "outsider": user("outsider"),
    }


# ----------------------------------------------------------------------------------- browser walks
#: Debian's chromium (Playwright's own browser download is unreachable on an intranet).
CHROMIUM = os.environ.get("KECHUANG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
#: Where the walks save their screenshots.
SHOTS = Path(os.environ.get("KECHUANG_SCREENSHOTS", "var/screenshots"))
#: ``pytestmark`` of a browser walk: marked ``browser`` (so slow) and skipped, saying why, without chromium.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"no chromium at {CHROMIUM} (apt-get install chromium; .ci/run installs it)"),
]


@pytest.fixture
def browser_page(live_server, transactional_db, settings, tmp_path):
    """A Playwright page in the system chromium (zh-CN, 1360×900, downloads accepted, 15 s timeout) with
    ``page.base_url`` the live server's; the matching indexes in ``tmp_path``. A walk's own ``page``
    fixture loads the data it needs and returns this page."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    from kechuang.matchmaking.index_store import reset_store

    settings.KECHUANG_INDEX_DIR = tmp_path / "index"
    reset_store()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900},
                                      accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base_url = live_server.url
        yield page
        browser.close()


def shot(page, name: str) -> None:
    """Save a full-page screenshot of ``page`` as ``SHOTS/<name>.png``."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
