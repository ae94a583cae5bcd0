"""Staff import of yearly figures (all or nothing, per-row report), ``kechuang evaluate``,
``kechuang assess`` and the demo data."""

from __future__ import annotations

import io
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from kechuang.common.export import first_sheet
from kechuang.cultivation.demo import load_cultivation_demo
from kechuang.cultivation.importers import AnnualFiguresImporter
from kechuang.cultivation.models import AnnualFigures, Evaluation
from kechuang.engines.cultivation import assess
from kechuang.engines.cultivation.codec import figures_to_json
from kechuang.engines.cultivation.tests.builders import APPLY, reference

DOCS_EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "assess_example.json"


def workbook(rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    sheet = first_sheet(book)
    sheet.append(["统一社会信用代码", "会计年度", "销售收入（营业收入）（万元）", "职工总数（年平均，人）",
                  "科技人员数（年平均，人）"])
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


def test_import_writes_all_rows_or_none_and_names_row_and_field(cast, orgs):
    acme, rival = orgs["acme_ltd"].uscc, orgs["rival_ltd"].uscc
    bad = workbook([[acme, 2024, 4800, 100, 30], [rival, 2024, "四千", 50, 60]])
    report = AnnualFiguresImporter(cast["city"]).run(bad, "figures.xlsx")
    assert not report.written and not AnnualFigures.objects.exists()
    problems = {(p.row, p.column) for p in report.problems}
    assert (3, "销售收入（营业收入）（万元）") in problems and (3, "科技人员数（年平均，人）") in problems
    good = workbook([[acme, 2024, 4800, 100, 30], [rival.lower(), 2024, 3000.5, 50, 10]])
    report = AnnualFiguresImporter(cast["city"]).run(good, "figures.xlsx")
    assert report.written and report.inserted == 2
    assert AnnualFigures.objects.get(enterprise=orgs["rival_ltd"]).sales_revenue == Decimal("30005000.00")
    again = AnnualFiguresImporter(cast["city"]).run(workbook([[acme, 2024, 5000, 100, 30]]), "figures.xlsx")
    assert again.written
    row = AnnualFigures.objects.get(enterprise=orgs["acme_ltd"])
    assert row.sales_revenue == Decimal("50000000.00") and row.history.count() == 2  # updated, history kept


def test_import_only_reaches_enterprises_the_officer_may_change(cast, orgs):
    report = AnnualFiguresImporter(cast["xuanhan"]).run(workbook([[orgs["acme_ltd"].uscc, 2024, 1, 1, 0]]), "f.xlsx")
    assert not report.written
    assert report.problems[0].column == "统一社会信用代码" and "无权" in report.problems[0].message


def test_import_page_and_template(client, cast, orgs):
    client.force_login(cast["tongchuan"])
    assert client.get(reverse("cultivation:import-template")).status_code == 200
    upload = workbook([[orgs["acme_ltd"].uscc, 2024, 4800, 100, 30]])
    upload.name = "figures.xlsx"
    page = client.post(reverse("cultivation:import"), {"file": upload}).content.decode()
    assert 'data-testid="import-summary"' in page and AnnualFigures.objects.count() == 1
    client.force_login(cast["acme"])
    assert client.get(reverse("cultivation:import")).status_code == 403


def test_evaluate_command_stores_every_enterprise_with_the_rule_version(cultivated, capsys):
    call_command("evaluate", "--year", "2025", verbosity=0)
    evaluations = Evaluation.objects.filter(year=2025)
    assert evaluations.count() == 3 and all(e.rule_version for e in evaluations)
    assert "已评估 3 家企业" in capsys.readouterr().out
    call_command("evaluate", "--year", "2025", "--region", "511722", verbosity=0)
    assert Evaluation.objects.filter(year=2025, is_latest=True).count() == 3
    assert Evaluation.objects.filter(year=2025).count() == 4
    with pytest.raises(CommandError, match="找不到区划代码"):
        call_command("evaluate", "--year", "2025", "--region", "999999")


def test_assess_command_reads_json_and_writes_the_engine_verdicts(tmp_path, capsys, db):
    figures = reference()
    source = tmp_path / "firm.json"
    source.write_text(json.dumps(figures_to_json(figures, APPLY), ensure_ascii=False), encoding="utf-8")
    call_command("assess", str(source))
    out = json.loads(capsys.readouterr().out)
    assert out["tiers"]["HNTE"]["label"] == assess(figures, APPLY).hnte.label
    bad = tmp_path / "bad.json"
    bad.write_text('{"enterprise": {"name": "x"}}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"enterprise\.establish_date"):
        call_command("assess", str(bad))


@pytest.mark.skipif(not DOCS_EXAMPLE.exists(), reason="docs/ is not beside the package (installed copy)")
def test_documented_example_runs_through_the_command(capsys, db):
    call_command("assess", str(DOCS_EXAMPLE))
    out = json.loads(capsys.readouterr().out)
    assert out["tiers"]["TSME"]["verdict"] == "PASS" and out["next_tier"] == "HNTE"


@pytest.mark.slow
def test_demo_shows_every_tier_and_the_usual_failures(regions):
    from kechuang.core.demo import load_demo

    load_demo()
    assert load_cultivation_demo(2026) == 200
    assert load_cultivation_demo(2026) == 0  # created once
    latest = Evaluation.objects.filter(is_latest=True)
    assert set(latest.values_list("year", flat=True)) == {2024, 2025, 2026}
    assert {"TSME", "HNTE", "GAZELLE", ""} <= set(latest.values_list("highest_tier", flat=True))
    reasons = Counter()
    for labels in latest.values_list("tsme_label", "hnte_label", "gazelle_label"):
        for label in labels:
            if "(" in label:
                verdict, codes = label.rstrip(")").split("(", 1)
                reasons.update(f"{verdict}:{code}" for code in codes.split(","))
    for expected in ("FAIL:RD_RATIO", "FAIL:TECH_STAFF", "FAIL:NO_IP", "FAIL:HITECH_REVENUE",
                     "FAIL:INNOVATION_SCORE", "FAIL:SIZE", "FAIL:SCORE", "FAIL:TECH_STAFF_ZERO", "FAIL:GROWTH",
                     "FAIL:AGE", "FAIL:REG_AGE", "FAIL:CREDIT", "NEEDS_REVIEW:MISSING_DATA",
                     "NEEDS_REVIEW:SCORE_RANGE", "PASS:DIRECT:HNTE"):
        assert reasons[expected], expected
    assert latest.filter(near_hnte=True).exists()
