"""A real browser (Debian's chromium, driven by Playwright) logs in and walks the main pages.

Playwright's own browser download is unreachable on an intranet, so the test launches the system
chromium by its path (``KECHUANG_CHROMIUM``, default /usr/bin/chromium) and skips when it is absent.
"""

from __future__ import annotations

import pytest

from kechuang.conftest import BROWSER, shot
from kechuang.core.demo import DEMO_PASSWORD, load_demo
from kechuang.market.demo import load_market_demo

pytestmark = BROWSER


@pytest.fixture
def page(browser_page):
    from kechuang.pairing.demo import load_pairing_demo

    load_demo()
    load_market_demo()
    load_pairing_demo()
    return browser_page



def test_city_admin_logs_in_and_walks_the_main_pages(page):
    base = page.base_url
    page.goto(base + "/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "city_admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=total]")
    assert page.inner_text("[data-testid=total]") == "207"  # 210 less the 3 neighbours in Chongqing
    page.wait_for_selector("#chart canvas")
    page.wait_for_timeout(1200)  # let the chart's entry animation finish before the screenshot
    shot(page, "home")

    page.click("text=组织机构 >> nth=0")
    page.wait_for_selector("[data-testid=count]")
    assert "共 207 条" in page.inner_text("[data-testid=count]")
    page.fill("input[name=q]", "玄武岩")
    page.wait_for_function("!document.querySelector('[data-testid=count]').innerText.includes('共 207 条')")
    found = page.inner_text("[data-testid=count]")
    assert "共 207 条" not in found and "玄武岩" in page.inner_text("#results")
    shot(page, "organisations")

    page.click("#results tbody tr:first-child a")
    page.wait_for_selector("[data-testid=history]")
    page.click("text=编辑")
    page.fill("#id_address", "达州高新区测试路 1 号")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已保存")
    assert "达州高新区测试路 1 号" in page.inner_text("[data-testid=history]")
    shot(page, "organisation")

    page.goto(base + "/api/docs")
    page.wait_for_selector("text=科创平台 API")

    page.goto(base + "/")
    page.click("text=退出")
    page.wait_for_selector("#id_username")


def test_enterprise_user_sees_only_its_enterprise(page):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", "enterprise")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=total]")
    assert page.inner_text("[data-testid=total]") == "1"
    page.goto(page.base_url + "/organisations/")
    assert "共 1 条" in page.inner_text("[data-testid=count]")


def login(page, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=total]")


def test_researcher_posts_an_achievement_and_the_county_publishes_it(page):
    login(page, "researcher")
    page.goto(page.base_url + "/achievements/new/")
    page.fill("#id_title", "浏览器测试：玄武岩纤维低温浸润剂")
    page.fill("#id_keywords", "玄武岩纤维；浸润剂")
    page.select_option("#id_kind", "patent")
    page.fill("#id_trl", "5")
    page.check("input[name=transfer_modes][value=licence]")
    page.click("button:has-text('保存')")
    try:
        page.wait_for_selector("[data-testid=status]", timeout=5000)
    except Exception:
        shot(page, "achievement-form-error")
        raise
    assert page.inner_text("[data-testid=status]") == "草稿"
    page.click("button:has-text('提交审核')")
    page.wait_for_selector("text=状态已变为“待审核”")
    url = page.url
    page.click("text=退出")
    login(page, "county_tongchuan")
    page.goto(url)
    page.fill("input[name=comment]", "同意发布")
    page.click("button:has-text('审核发布')")
    page.wait_for_selector("text=状态已变为“已发布”")
    assert "审核发布：同意发布" in page.inner_text("[data-testid=history]")
    shot(page, "achievement")
    page.goto(page.base_url + "/achievements/?q=玄武岩")
    page.wait_for_selector("[data-testid=count]")
    shot(page, "achievements")


def test_enterprise_sees_published_demands_without_contact(page):
    login(page, "enterprise")
    page.goto(page.base_url + "/demands/?status=published")
    rows = page.locator("#results tbody tr")
    assert rows.count() > 5
    page.click("#results tbody tr:nth-child(3) a")
    page.wait_for_selector("[data-testid=contact]")
    contact = page.inner_text("[data-testid=contact]")
    assert "请通过科技局对接" in contact or "0818" in contact
    shot(page, "demand")


def test_demand_page_shows_explained_matches(page):
    login(page, "county_tongchuan")
    page.goto(page.base_url + "/demands/?status=published")
    page.click("#results tbody tr:first-child a")
    page.wait_for_selector("[data-testid=matches-achievements]")
    assert "命中词" in page.inner_text("[data-testid=matches-achievements]")
    shot(page, "demand-matches")


def test_cultivation_pools_coaching_and_the_printable_report(page):
    from kechuang.cultivation.demo import load_cultivation_demo

    load_cultivation_demo(2026)
    login(page, "city_admin")
    page.click("text=梯度培育")
    page.wait_for_selector("#funnel canvas")
    page.wait_for_timeout(800)
    shot(page, "cultivation-overview")
    page.click("[data-testid=pools] a >> nth=1")  # 高企后备
    page.wait_for_selector("#results tbody tr")
    page.click("#results tbody tr:first-child a")
    page.wait_for_selector("[data-testid=coaching]")
    assert "依据" in page.inner_text("[data-testid=coaching]")
    shot(page, "cultivation-enterprise")
    with page.expect_popup() as popup:
        page.click("text=打印辅导报告")
    report = popup.value
    report.wait_for_selector("[data-testid=coaching]")
    assert "精准辅导报告" in report.inner_text("h1")
    shot(report, "cultivation-report")


def test_enterprise_types_its_figures_and_sees_the_prechecks(page):
    login(page, "enterprise")
    page.click("text=梯度培育")
    page.click("text=填报年度数据")
    page.fill("#id_year", "2025")
    page.fill("#id_staff_total_avg", "100")
    page.fill("#id_tech_staff_avg", "120")
    page.locator("#id_tech_staff_avg").blur()
    page.wait_for_selector("text=科技人员数不能多于职工总数")
    page.fill("#id_tech_staff_avg", "12")
    page.fill("#id_sales_revenue", "4000")
    page.fill("#id_rd_expense_hnte", "200")
    page.locator("#id_rd_expense_hnte").blur()
    page.wait_for_selector("text=研发费用占销售收入")
    assert "5.00%" in page.inner_text("[data-testid=precheck]")
    shot(page, "cultivation-figures")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=2025 年度数据已保存")


def test_anyone_runs_the_self_assessment(page):
    page.goto(page.base_url + "/self-assessment/")
    page.click("text=载入示例数据")
    page.click("button:has-text('开始自测')")
    page.wait_for_selector("[data-testid=verdict-TSME]")
    assert page.inner_text("[data-testid=verdict-TSME]") == "符合"
    assert "需再投入研发费用" in page.inner_text("[data-testid=coaching]")
    shot(page, "self-assessment")


def test_enterprise_fills_an_rd_report_checked_as_it_types(page):
    login(page, "enterprise")
    page.click("text=研发投入")
    page.click("text=开始填报")
    values = {"rd_personnel_total": "10", "rd_expense_total": "1000", "labour_cost": "400", "direct_inputs": "200",
              "depreciation": "50", "intangible_amortization": "20", "design_cost": "25",
              "equipment_trial_cost": "50", "entrusted_external": "200", "entrusted_domestic_institutes": "100",
              "entrusted_domestic_universities": "50", "entrusted_overseas": "50", "other_expense": "50",
              "funds_enterprise": "1000"}
    for key, value in values.items():
        page.fill(f"#id_{key}", value)
    page.locator("#id_funds_enterprise").blur()
    page.wait_for_selector("[data-testid=findings] [data-rule=R04]")
    assert "建议优先核对" in page.inner_text("[data-testid=suggestion]")
    shot(page, "rd-report-form")
    page.fill("#id_other_expense", "55")
    page.locator("#id_other_expense").blur()
    page.wait_for_function("!document.querySelector('[data-testid=findings] [data-rule=R04]')")
    page.click("button:has-text('保存') >> nth=0")
    page.wait_for_selector("[data-testid=status]")
    assert page.inner_text("[data-testid=status]") == "草稿"
