"""A real browser: an officer downloads the yearly-figures template from the import page, fills only some
columns for an enterprise-year already held, uploads it, and the blank columns keep their values
(issue 11, item 2). Same launch pattern as kechuang/common/tests/test_browser.py."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kechuang.conftest import BROWSER
from kechuang.core.choices import OrganisationKind
from kechuang.core.demo import DEMO_PASSWORD, load_demo
from kechuang.core.models import Organisation
from kechuang.cultivation.models import AnnualFigures

pytestmark = BROWSER


@pytest.fixture
def page(browser_page):
    load_demo()
    return browser_page


def test_an_update_from_the_template_keeps_the_blank_columns(page, tmp_path):
    enterprise = Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).exclude(uscc=None).order_by("pk").first()
    held = AnnualFigures.objects.update_or_create(
        enterprise=enterprise, year=2024,
        defaults={"sales_revenue": Decimal("48000000"), "rd_expense_hnte": Decimal("3000000"),
                  "net_assets": Decimal("20000000"), "staff_total_avg": Decimal("100"),
                  "tech_staff_avg": Decimal("30")})[0]
    base = page.base_url
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", "city_admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(base + "/cultivation/import/")
    with page.expect_download() as download:
        page.click("text=下载导入模板")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    book = load_workbook(template)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    row = [None] * len(headers)
    row[headers.index("统一社会信用代码")] = enterprise.uscc
    row[headers.index("会计年度")] = 2024
    row[headers.index("职工总数（年平均，人）")] = 120  # only this figure is updated; the rest is left blank
    sheet.append(row)
    filled = tmp_path / "年度数据.xlsx"
    book.save(filled)

    page.set_input_files("input[type=file]", str(filled))
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_selector("[data-testid=import-summary]")
    summary = page.inner_text("[data-testid=import-summary]")
    assert "更新 1" in summary and "已写入" in summary and "新增 0" in summary, summary
    assert "更新" in page.inner_text("[data-testid=import-results]")

    held.refresh_from_db()
    assert held.staff_total_avg == 120
    assert (held.sales_revenue, held.rd_expense_hnte, held.net_assets) == (48_000_000, 3_000_000, 20_000_000)
    page.click("[data-testid=import-results] a")  # the row links to the year it updated
    page.wait_for_load_state()
    assert f"/{enterprise.pk}/" in page.url and "2024" in page.url
