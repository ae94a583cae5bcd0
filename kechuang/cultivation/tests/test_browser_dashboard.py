"""A real browser walks the cultivation dashboard on the demo data: the funnel, its table and the tables by
county and industry count each tier by one definition (符合), with 持证 and 待复核 beside it (issue 11, 16);
an officer re-evaluates a county from the page and sees the progress (issue 11, 21).

Launches Debian's chromium by its path like kechuang/common/tests/test_browser.py and skips without it.
"""

from __future__ import annotations

import pytest

from kechuang.conftest import BROWSER, SHOTS
from kechuang.core.demo import DEMO_PASSWORD, load_demo

YEAR = 2026

pytestmark = BROWSER


@pytest.fixture
def page(browser_page):
    from kechuang.cultivation.demo import load_cultivation_demo

    load_demo()
    load_cultivation_demo(YEAR)
    return browser_page


def login(page, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=total]")


def numbers(page, selector: str) -> list[int]:
    return [int(text) for text in page.locator(selector).all_inner_texts()]


def test_funnel_and_tables_agree_on_the_demo_data(page):
    login(page, "city_admin")
    page.goto(f"{page.base_url}/cultivation/?year={YEAR}")
    page.wait_for_selector("#funnel canvas")
    funnel = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('funnel')).getOption().series[0].data"
        ".map(d => [d.name, d.value])")
    chart = {name: value for name, value in funnel}
    table = {key: {kind: page.inner_text(f"[data-testid=funnel-table] tr[data-tier={key}] td[data-kind={kind}]")
                   for kind in ("pass", "held", "review")} for key in ("tsme", "hnte", "gazelle")}
    assert chart["科技型中小企业（符合）"] == int(table["tsme"]["pass"])
    assert chart["高新技术企业（符合）"] == int(table["hnte"]["pass"])
    assert chart["瞪羚企业（符合）"] == int(table["gazelle"]["pass"])
    # the tables by county and by industry: their totals row is the funnel's table, column by column
    expected = [chart["已评估企业"]]
    for key in ("tsme", "hnte", "gazelle"):
        expected += [int(table[key][kind]) for kind in ("pass", "held", "review") if table[key][kind] != "—"]
    for grid in ("grid-1", "grid-2"):
        assert numbers(page, f"[data-testid={grid}] tfoot td.text-end") == expected
    assert chart["已评估企业"] == 200
    assert int(table["tsme"]["pass"]) < int(table["tsme"]["held"]) + int(table["tsme"]["pass"])  # not mixed
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "cultivation-dashboard.png"), full_page=True)

    # a county officer re-evaluates its county from the page and watches the progress to the end
    page.context.clear_cookies()
    login(page, "county_tongchuan")
    page.goto(f"{page.base_url}/cultivation/?year={YEAR}")
    assert page.locator("#run-region option").all_inner_texts() == ["通川区"]
    page.click("[data-testid=run-form] button[type=submit]")
    page.wait_for_selector("[data-testid=run][data-status=done]")
    assert page.inner_text("[data-testid=run-done]") == "32"
    page.click("[data-testid=run-refresh]")
    page.wait_for_selector("[data-testid=funnel-table]")
    assert int(page.inner_text("[data-testid=grid-1] tfoot td.text-end >> nth=0")) == 32
