"""A real browser walks a pairing campaign: participants chosen by filters, the plan computed, a hand
swap (改派) that keeps the total at or below the computed one, publication after confirmation, and the
expert's side (contact, confirmation, a service visit) seen again by the bureau.

Fixture pattern of kechuang/common/tests/test_browser.py (system chromium, skipped when absent).
"""

from __future__ import annotations

import re

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



def login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def number(text: str) -> float:
    found = re.search(r"-?\d+(\.\d+)?", text)
    assert found is not None, text
    return float(found.group())


def test_city_admin_chooses_participants_by_filters(page):
    login(page, "city_admin")
    page.goto(page.base_url + "/pairing/new/")
    assert page.locator("select[multiple]").count() == 0
    page.fill("#id_name", "浏览器测试：宣汉县结对")
    from kechuang.core.models import Region

    page.select_option("#id_region", value=str(Region.objects.get(code="511700").pk))
    page.click("button:has-text('保存')")
    page.wait_for_selector("[data-testid=filters]")
    assert page.inner_text("[data-testid=enterprise-count]") == "0"
    page.select_option("#id_county", label="宣汉县")
    page.click("button:has-text('筛选')")
    page.wait_for_url(re.compile(r"county="))
    found = int(number(page.inner_text("[data-testid=result-count]")))
    assert found > 0
    page.click("[data-testid=add-filtered]")
    page.wait_for_selector("text=已加入筛选结果中的")
    assert page.inner_text("[data-testid=enterprise-count]") == str(found)
    page.click(".nav-tabs a:has-text('专家')")
    page.wait_for_selector("[data-testid=candidates]")
    page.locator("[data-testid=candidates] tbody input[name=ids]").nth(0).check()
    page.locator("[data-testid=candidates] tbody input[name=ids]").nth(1).check()
    page.click("button:has-text('加入勾选的')")
    page.wait_for_selector("text=已加入 2 个")
    assert page.inner_text("[data-testid=expert-count]") == "2"
    shot(page, "pairing-participants")


def test_hand_swap_keeps_the_total_at_or_below_the_computed_one_and_sides_follow_up(page):
    login(page, "city_admin")
    page.goto(page.base_url + "/pairing/")
    page.click("text=2026 年科技博士进企业（演示）")
    page.click("button:has-text('生成 / 重新生成结对方案')")
    page.wait_for_selector("text=已生成 20 对结对")
    computed = number(page.inner_text("[data-testid=computed-total]"))
    assert number(page.inner_text("[data-testid=total]")) == pytest.approx(computed, abs=1e-3)
    rows = page.locator("[data-testid=pairings] tbody tr")
    assert rows.count() == 20

    # 改派 on a row: the choice shows field, current enterprise and score; take the best allowed expert
    rows.nth(0).locator("a:has-text('改派')").click()
    page.wait_for_selector("[data-testid=swap-choices]")
    choice = page.locator("[data-testid=swap-choices] tbody tr:has(input:not([disabled]))").nth(0)
    cells = choice.locator("td")
    assert cells.nth(3).inner_text().strip() not in ("", "（未结对）")  # one-to-one: the expert has an enterprise
    assert re.fullmatch(r"\d\.\d{3}", cells.nth(4).inner_text().strip())
    choice.locator("input[type=radio]").check()
    shot(page, "pairing-swap-choices")
    page.click("button:has-text('确认改派')")
    page.wait_for_selector(".alert:has-text('已改派')")
    message = page.inner_text(".alert:has-text('已改派')")
    assert message.count("→") == 4  # both moves of the exchange, each with its score change
    total = number(page.inner_text("[data-testid=total]"))
    assert total <= computed + 1e-3
    shot(page, "pairing")

    # publishing asks for confirmation
    page.click("a:has-text('发布结对结果')")
    page.wait_for_selector("[data-testid=publish-summary]")
    assert "将发布 20 对结对" in page.inner_text("[data-testid=publish-summary]")
    assert page.get_attribute("#id_confirm", "required") is not None  # the browser refuses it unticked
    page.check("#id_confirm")
    page.click("button:has-text('确认发布')")
    page.wait_for_selector("text=结对结果已发布")
    assert page.inner_text("[data-testid=status]") == "已发布"

    # the expert's side: the enterprise's contact, confirmation, a service visit
    login(page, "expert")
    page.goto(page.base_url + "/pairing/mine/")
    assert page.locator("[data-testid=mine] tbody tr").count() == 1
    page.click("text=查看 / 确认 / 服务记录")
    page.wait_for_selector("[data-testid=enterprise-profile]")
    page.check("input[name=decision][value=confirm]")
    page.click("button:has-text('提交答复')")
    page.wait_for_selector("text=已确认结对")
    page.fill("#id_visit_date", "2026-03-02")
    page.fill("#id_place", "企业生产车间")
    page.fill("#id_problem", "余热回收效率低")
    page.fill("#id_result", "提出换热器改造方案")
    page.click("button:has-text('登记服务记录')")
    page.wait_for_selector("text=已登记服务记录")
    assert "提出换热器改造方案" in page.inner_text("[data-testid=visits]")
    shot(page, "pairing-mine")

    login(page, "city_admin")
    page.goto(page.base_url + "/pairing/")
    page.click("text=2026 年科技博士进企业（演示）")
    assert "提出换热器改造方案" in page.inner_text("[data-testid=campaign-visits]")
    page.click("a:has-text('撤回发布')")
    page.fill("textarea[name=reason]", "浏览器测试：撤回")
    page.click("button:has-text('撤回发布')")
    page.wait_for_selector("text=已撤回发布")
    assert "撤回发布：浏览器测试：撤回" in page.inner_text("[data-testid=history]")
