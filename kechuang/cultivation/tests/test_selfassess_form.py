"""The public self-assessment filled as the enterprise's own forms (万元, in steps) or from the Excel template
gives the verdicts of the same figures posted as JSON; errors are named by the Chinese field label
(issue 11 item 20)."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.cultivation.selfassess import form_data, template_workbook
from kechuang.cultivation.services import example_figures, self_assess
from kechuang.cultivation.tests.test_worked_cases_platform import CASES, engine_labels
from kechuang.engines.cultivation.codec import figures_to_json
from kechuang.engines.cultivation.tests.builders import APPLY

URL = "/self-assessment/"


def _labels(page: str) -> set[str]:
    return {part.split('"')[0] for part in page.split('data-label="')[1:]}


def _json_labels(figures, day) -> dict[str, str]:  # noqa: ANN001 - figures of the engine
    result = self_assess(json.dumps(figures_to_json(figures, day), ensure_ascii=False))
    return {tier: body["label"] for tier, body in result["tiers"].items()}


@pytest.mark.parametrize("case", ["T10-fail", "T13", "T15", "T16", "T08"])
def test_the_form_gives_the_verdicts_of_the_json(case, client, db):
    figures = CASES[case][0]()
    data = {"mode": "form", **form_data(figures, APPLY)}
    page = client.post(URL, data).content.decode()
    assert 'data-testid="problems"' not in page, page[page.find("problems"):][:600]
    assert _labels(page) == set(_json_labels(figures, APPLY).values()) == set(engine_labels(figures).values())


def test_the_form_asks_in_wan_yuan_with_the_enterprise_labels(client, db):
    page = client.get(URL + "?example=1").content.decode()
    assert "销售收入（营业收入）（万元）" in page and "研发费用总额（高新技术企业口径）（万元）" in page
    assert "第一步：企业基本情况" in page and "第二步：年度数据（金额单位：万元）" in page
    assert "成立日期" in page and "核心技术所属领域" in page
    figures, day = example_figures()
    last = max(figures.years, key=lambda r: r.year)
    shown = str((last.sales_revenue / 10000).normalize())
    assert f'value="{shown}"' in page  # the example's sales in 万元, not 元
    assert "docs/assess_input.md" not in page.split('id="tab-json"')[0]  # the form does not send visitors to a file


def test_the_example_filled_as_a_form_gives_the_json_verdicts(client, db):
    figures, day = example_figures()
    page = client.post(URL, {"mode": "form", **form_data(figures, day)}).content.decode()
    assert 'data-testid="verdict-TSME">符合' in page
    assert "需再投入研发费用 15.97 万元" in page
    assert _labels(page) == set(_json_labels(figures, day).values())


def test_errors_are_named_by_the_chinese_label_and_year(client, db):
    figures, day = example_figures()
    data = {"mode": "form", **form_data(figures, day)}
    data["y3-sales_revenue"] = "-5"
    data["y3-tech_staff_avg"] = "9999"
    data["profile-establish_date"] = ""
    page = client.post(URL, data).content.decode()
    problems = page.split('data-testid="problems"')[1].split("</div>")[1]
    year = data["y3-year"]
    assert f"{year} 年度 · 销售收入（营业收入）（万元）" in problems
    assert f"{year} 年度 · 科技人员数（年平均，人）" in problems and "科技人员数不能多于职工总数" in problems
    assert "成立日期" in problems
    assert "sales_revenue" not in problems  # no English keys


def test_json_errors_name_the_field_in_chinese(client, db):
    page = client.post(URL, {"mode": "json", "text": '{"enterprise": {"name": "x", "establish_date": "2020-13-01", '
                                                    '"years": [{"year": 2024, "sales_revenue": "12,5"}]}}'}).content.decode()
    assert "成立日期" in page and "不是有效的日期" in page
    assert "年度数据第 1 年 · 销售收入（营业收入）（万元）" in page


def test_the_excel_template_round_trip_gives_the_same_verdicts(client, db):
    figures, day = example_figures()
    template = client.get(reverse("cultivation:self-assessment-template"))
    assert template.status_code == 200 and template["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(template.content)).active
    labels = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert "销售收入（营业收入）（万元）" in labels and "企业名称" in labels
    filled = io.BytesIO(template_workbook(form_data(figures, day)))
    filled.name = "自测.xlsx"
    page = client.post(URL, {"mode": "xlsx", "workbook": filled}).content.decode()
    assert 'data-testid="problems"' not in page
    assert _labels(page) == set(_json_labels(figures, day).values())


def test_an_excel_error_names_the_label_and_the_cell(client, db):
    figures, day = example_figures()
    book = load_workbook(io.BytesIO(template_workbook(form_data(figures, day))))
    sheet = book.active
    for row in sheet.iter_rows():
        if row[0].value == "y*-sales_revenue":
            row[5].value = "一百万"
            cell = row[5].coordinate
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "bad.xlsx"
    page = client.post(URL, {"mode": "xlsx", "workbook": out}).content.decode()
    assert f"销售收入（营业收入）（万元）（单元格 {cell}）" in page
    broken = io.BytesIO(b"PK\x03\x04 not a workbook")
    broken.name = "broken.xlsx"
    page = client.post(URL, {"mode": "xlsx", "workbook": broken}).content.decode()
    assert "无法读取该文件" in page


def _upload(book, name: str = "自测.xlsx") -> io.BytesIO:  # noqa: ANN001 - an openpyxl workbook
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = name
    return out


def test_the_blank_template_filled_in_by_hand_is_read(client, db):
    """The downloaded blank template, with only what a visitor types: blank list rows keep their default
    flags and are left out; the money typed in 万元 is read as 万元."""
    sheet_book = load_workbook(io.BytesIO(client.get(reverse("cultivation:self-assessment-template")).content))
    sheet = sheet_book.active
    typed = {"sa-name": "手填科技有限公司", "profile-establish_date": "2018-03-01", "profile-is_resident_enterprise": "是",
             "profile-registered_in_mainland": "是", "profile-tax_mode": "查账征收", "profile-in_restricted_catalogue": "否",
             "y*-staff_total_avg": 80, "y*-tech_staff_avg": 20, "y*-sales_revenue": 5000,
             "y*-total_assets": 6000, "y*-rd_expense_super_deduction": 300, "y*-total_costs_and_expenses": 4000}
    for row in sheet.iter_rows():
        key = row[0].value
        if key in typed:
            (row[5] if key.startswith("y*-") else row[2]).value = typed[key]
    page = client.post(URL, {"mode": "xlsx", "workbook": _upload(sheet_book)}).content.decode()
    assert 'data-testid="problems"' not in page, page[page.find('data-testid="problems"'):][:800]
    assert "自测结果：手填科技有限公司" in page
    assert 'data-testid="verdict-TSME"' in page


def test_a_flag_that_is_not_yes_or_no_and_a_row_without_key_are_refused(client, db):
    figures, day = example_figures()
    book = load_workbook(io.BytesIO(template_workbook(form_data(figures, day))))
    sheet = book.active
    for row in sheet.iter_rows():
        if row[0].value == "profile-is_resident_enterprise":
            row[2].value = "可能"
            cell = row[2].coordinate
    sheet.append([None, "手加的一行", "ZL2024", "发明专利"])
    page = client.post(URL, {"mode": "xlsx", "workbook": _upload(book)}).content.decode()
    assert f"居民企业（单元格 {cell}）：请填“是”或“否”" in page
    assert f"第 {sheet.max_row} 行：A 列没有数据项标识" in page


def test_a_forged_row_count_is_refused_not_built(client, db):
    page = client.post(URL, {"mode": "form", "ip-TOTAL_FORMS": "99999", "ip-INITIAL_FORMS": "0"}).content.decode()
    assert "<strong>知识产权</strong>：请最多提交 200 个表单" in page
    assert page.count('name="ip-') < 2600  # 200 rows of 12 inputs, and the blank template row
