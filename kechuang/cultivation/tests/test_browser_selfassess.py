"""A real browser fills the public self-assessment (企业梯度自测) as a form, step by step, in 万元, and gets the
verdicts the same figures give as the JSON document docs/examples/assess_example.json (issue 11 item 20).

Fixture pattern of kechuang/common/tests/test_browser.py (Debian's chromium driven by Playwright; skipped
when absent). No demo data is needed: the page is public and stores nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kechuang.conftest import BROWSER, shot
from kechuang.cultivation.selfassess import form_data
from kechuang.engines.cultivation.codec import figures_from_json

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "assess_example.json"

pytestmark = BROWSER


@pytest.fixture
def page(browser_page):
    return browser_page



def _verdicts(page) -> dict[str, str]:
    page.wait_for_selector("[data-testid=verdict-TSME]")
    return {tier: page.get_attribute(f"[data-testid=label-{tier}]", "data-label") for tier in ("TSME", "HNTE", "GAZELLE")}


def _fill(page, name: str, value: str) -> None:
    field = page.locator(f'[name="{name}"]')
    if field.count() == 0:
        return
    kind = field.evaluate("el => el.tagName === 'SELECT' ? 'select' : el.type")
    if kind == "hidden":
        return
    if kind == "select":
        options = field.evaluate("el => [...el.options].map(o => o.value)")
        field.select_option(value if value in options else ("unknown" if "unknown" in options else ""))
    elif kind == "checkbox":
        field.set_checked(value == "on")
    elif kind == "textarea" or kind in ("text", "number", "date", "email", "url", "tel"):
        field.fill(value)
    else:
        field.fill(value)


def test_the_self_assessment_filled_as_a_form_gives_the_json_verdicts(page):
    text = EXAMPLE.read_text(encoding="utf-8")
    document = figures_from_json(json.loads(text))
    data = form_data(document.enterprise, document.evaluation_date)
    base = page.base_url + "/self-assessment/"

    # the JSON document, pasted in the JSON tab
    page.goto(base)
    page.click("[data-testid=tab-json]")
    page.fill("#id_text", text)
    page.click("[data-testid=submit-json]")
    by_json = _verdicts(page)

    # the same figures typed into the form, step by step (money in 万元)
    page.goto(base)
    assert "万元" in page.inner_text("[data-testid=years]")
    for step in (1, 2, 3):
        fieldset = page.locator(f"fieldset#step-{step}")
        assert fieldset.is_visible()
        if step == 3:
            for prefix in ("ip", "standards", "awards", "institutions", "incidents"):
                wanted = sum(1 for key in data if key.startswith(f"{prefix}-") and key.endswith(_first_field(prefix)))
                while int(page.input_value(f'[name="{prefix}-TOTAL_FORMS"]')) < wanted:
                    page.click(f"[data-testid=add-{prefix}]")
        names = fieldset.evaluate("fs => [...fs.querySelectorAll('[name]')].map(el => el.name)")
        for name in names:
            if name in data:
                _fill(page, name, data[name])
            elif name.startswith("y") and "-" in name and not name.endswith("-year"):
                _fill(page, name, "")  # a year column the document does not have
        if step < 3:
            page.click("button.step-next")
    shot(page, "self-assessment-form")
    page.click("[data-testid=submit-form]")
    by_form = _verdicts(page)
    assert page.locator("[data-testid=problems]").count() == 0
    assert by_form == by_json
    assert page.inner_text("[data-testid=verdict-TSME]") in ("符合", "不符合", "待复核")
    shot(page, "self-assessment-form-result")


def _first_field(prefix: str) -> str:
    return {"ip": "-identifier", "standards": "-title", "awards": "-title", "institutions": "-name",
            "incidents": "-date"}[prefix]
