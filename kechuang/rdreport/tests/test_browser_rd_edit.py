"""A real browser on the R&D edit page (issue 11, item 24): the return comments next to their fields, an
answer to one without leaving the page, and the pre-review running while one types (debounced), with an
emptied required count reported as 必填.

Same fixture pattern as kechuang/common/tests/test_browser.py (Debian's chromium; skipped without it).
"""

from __future__ import annotations

import pytest

from kechuang.conftest import BROWSER, SHOTS
from kechuang.core.demo import DEMO_PASSWORD, load_demo

pytestmark = BROWSER


@pytest.fixture
def page(browser_page):
    from kechuang.rdreport.demo import load_rd_demo

    load_demo()
    load_rd_demo()
    return browser_page


def login(page, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=total]")


def test_enterprise_answers_a_comment_and_sees_required_while_typing(page):
    from kechuang.rdreport.models import RdReport

    report = RdReport.objects.get(enterprise__users__username="enterprise", status="returned")
    comment = report.comments.exclude(field="").get()
    login(page, "enterprise")
    page.goto(page.base_url + f"/rd/reports/{report.pk}/edit/")
    # the comment sits in the column of its field
    block = page.locator(f"#id_{comment.field}").locator("xpath=..").locator("[data-testid=comment]")
    assert comment.text in block.inner_text()

    checks: list[str] = []
    page.on("request", lambda r: checks.append(r.url) if "/rd/reports/check/" in r.url else None)

    # answering does not run the pre-review, and does not leave the page (an unsaved edit survives)
    page.fill("#id_rd_personnel_female", "1")
    page.wait_for_timeout(900)
    checks.clear()
    block.locator("textarea").type("名单见立项文件", delay=20)
    block.locator("[data-testid=reply-button]").click()
    page.wait_for_selector(f"#comment-{comment.pk} [data-testid=reply]")
    assert "名单见立项文件" in page.inner_text(f"#comment-{comment.pk}")
    assert page.input_value("#id_rd_personnel_female") == "1"
    page.wait_for_timeout(700)
    assert checks == [], checks
    assert comment.replies.get().text == "名单见立项文件"

    # typing runs the pre-review without leaving the field (no blur), once after the typing stops
    page.click("#id_rd_personnel_total")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.wait_for_function(
        "document.querySelector('[data-testid=required-rd_personnel_total]').innerText.includes('必填')")
    assert "研究开发人员合计[1]：必填" in page.inner_text("[data-testid=findings]")
    assert "（0人）" not in page.inner_text("[data-testid=findings]")
    checks.clear()
    page.keyboard.type("123", delay=60)
    page.wait_for_function(
        "!document.querySelector('[data-testid=required-rd_personnel_total]').innerText.includes('必填')")
    page.wait_for_timeout(800)
    assert len(checks) == 1, checks  # debounced: one check for three keystrokes
    assert page.evaluate("document.activeElement.id") == "id_rd_personnel_total"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "rd-edit-comments.png"), full_page=True)
