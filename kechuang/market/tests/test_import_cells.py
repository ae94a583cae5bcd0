"""Registry imports read dates, numbers and text exactly or refuse them, and say where an organisation
outside the officer's region is registered (issue 11, items 1, 5, 6, 9 and the last point of 25)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kechuang.common.export import first_sheet
from kechuang.common.templates_xlsx import template_workbook
from kechuang.market.importers import AchievementImporter, DemandImporter, ExpertImporter
from kechuang.market.models import Demand


def xlsx(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    for row in rows:
        first_sheet(book).append(row)
    book.save(path)
    return path


@pytest.mark.parametrize(("typed", "date"), [("2027.5.1", dt.date(2027, 5, 1)), ("2027年5月1日", dt.date(2027, 5, 1)),
                                             ("2027/5/1", dt.date(2027, 5, 1)), (46508, dt.date(2027, 5, 1))])
def test_a_future_deadline_typed_as_text_is_read_as_that_day(tmp_path, cast, orgs, typed, date):
    path = xlsx(tmp_path / "d.xlsx", [["需求名称", "需求企业", "截止日期"], ["新需求", orgs["acme_ltd"].uscc, typed]])
    report = DemandImporter(cast["city"]).run(path, path.name)
    assert report.written, report.problems
    assert Demand.objects.get(title="新需求").deadline == date


def test_an_ambiguous_deadline_is_refused_by_row_and_column(tmp_path, cast, orgs):
    path = xlsx(tmp_path / "d.xlsx", [["需求名称", "需求企业", "截止日期"], ["新需求", orgs["acme_ltd"].uscc, "5/1/2027"]])
    report = DemandImporter(cast["city"]).run(path, path.name)
    assert [(p.row, p.column) for p in report.problems] == [(2, "截止日期")] and "歧义" in report.problems[0].message


def test_budgets_with_full_width_separators_are_read_and_units_refused(tmp_path, cast, orgs):
    path = xlsx(tmp_path / "d.xlsx", [["需求名称", "需求企业", "预算下限（元）", "预算上限（元）"],
                                      ["甲", orgs["acme_ltd"].uscc, "２００，０００", "1,500,000.5"],
                                      ["乙", orgs["acme_ltd"].uscc, "20万元", ""]])
    report = DemandImporter(cast["city"]).run(path, path.name, valid_only=True)
    assert Demand.objects.get(title="甲").budget_max == Decimal("1500000.5")
    assert Demand.objects.get(title="甲").budget_min == Decimal("200000")
    assert [(p.row, p.column) for p in report.problems] == [(3, "预算下限（元）")]
    assert "含单位“万元”" in report.problems[0].message and "本列单位：元" in report.problems[0].message


def test_source_text_longer_than_its_column_is_refused_never_cut(tmp_path, cast, orgs):
    path = xlsx(tmp_path / "a.xlsx", [["成果名称", "成果所有方", "数据来源", "来源编号"],
                                      ["长来源成果", orgs["uni"].name, "来" * 101, "号" * 100]])
    report = AchievementImporter(cast["city"]).run(path, path.name)
    assert not report.written
    assert [(p.row, p.column, p.message) for p in report.problems] == [(2, "数据来源", "最多 100 个字（本格 101 个字）")]


def test_an_organisation_of_another_county_is_named_as_registered_elsewhere(tmp_path, cast, orgs):
    path = xlsx(tmp_path / "e.xlsx", [["姓名", "工作单位"], ["赵专家", orgs["rival_ltd"].uscc],
                                      ["钱专家", "从未登记的公司"]])
    report = ExpertImporter(cast["tongchuan"]).run(path, path.name)
    by_row = {(p.row, p.column): p.message for p in report.problems}
    assert "已在本市其他区县登记" in by_row[2, "工作单位"] and "请先登记" not in by_row[2, "工作单位"]
    assert "该单位所在区县的科技部门或市科技局导入" in by_row[2, "工作单位"]
    assert "请先登记该单位" in by_row[3, "工作单位"]


@pytest.mark.parametrize(("importer", "own", "other"), [
    (AchievementImporter, "同名成果", "同名需求"), (DemandImporter, "同名需求", "同名成果"),
    (ExpertImporter, "同名专家", "同名成果")])
def test_each_registry_template_states_its_own_duplicate_rule(importer, own, other):
    notes = load_workbook(io.BytesIO(template_workbook(importer)))["填写说明"]
    text = " ".join(str(c.value) for row in notes.iter_rows() for c in row if c.value)
    assert own in text and other not in text


def test_the_summary_links_to_what_was_imported(tmp_path, cast, orgs, client):
    path = xlsx(tmp_path / "d.xlsx", [["需求名称", "需求企业"], ["链接需求", orgs["acme_ltd"].uscc]])
    client.force_login(cast["city"])
    with path.open("rb") as fh:
        page = client.post(reverse("market:import", args=["demands"]), {"file": fh}).content.decode()
    demand = Demand.objects.get(title="链接需求")
    assert "已写入" in page and demand.get_absolute_url() in page
