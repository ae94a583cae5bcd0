"""Staff bulk import of R&D reports (all or nothing, per-row report naming the rule's columns), the
import page and template, ``kechuang rd_import``, and the export of delivered reports re-importing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.engines.rdreport import form_catalogue
from kechuang.rdreport import layout
from kechuang.rdreport.choices import ReportStatus
from kechuang.rdreport.exports import export_workbook
from kechuang.rdreport.importers import ReportImporter
from kechuang.rdreport.models import RdReport
from kechuang.rdreport.tests.conftest import T20_FIRM, T20_PROJECTS
from kechuang.rdreport.tests.staff_data import YEAR, good, make_report, rows_for, workbook

ITEMS = form_catalogue(YEAR).firm_items
R04_COLUMN = layout.item_header(ITEMS["rd_expense_total"])  # "7 研究开发费用合计（千元）"


def two_reports(orgs, rival_firm=None, rival_projects=None):
    firm, projects = good()
    acme_row, acme_projects = rows_for(orgs["acme_ltd"], firm, projects)
    rival_row, rival_p = rows_for(orgs["rival_ltd"], rival_firm or firm, rival_projects or projects)
    return [acme_row, rival_row], acme_projects + rival_p


def test_headers_are_row_code_and_name_with_the_unit():
    assert R04_COLUMN == "7 研究开发费用合计（千元）"
    assert layout.item_header(ITEMS["funds_enterprise"]) == "研究开发费用来源：企业资金（千元）"
    assert layout.item_header(ITEMS["rd_personnel_total"]) == "1 研究开发人员合计（人）"
    assert layout.item_header(ITEMS["rd_institutions"]) == "22 年末企业办研究开发机构数（个）"


def test_a_file_with_one_broken_row_saves_nothing_and_names_the_row_and_field(cast, orgs):
    firm_rows, project_rows = two_reports(orgs, dict(T20_FIRM), [dict(p) for p in T20_PROJECTS])
    report = ReportImporter(cast["city"]).run(workbook(firm_rows, project_rows), "rd.xlsx")
    assert not report.written and not RdReport.objects.exists()
    assert report.rows_read == 2 and report.rejected == 1
    by_column = {p.column: p for p in report.problems}
    r04 = next(p for p in report.problems if p.column.startswith(R04_COLUMN + "、"))
    assert r04.row == 3 and "1,000" in r04.message and "995" in r04.message  # T20: 1000 ≠ 995
    assert "8 1.人员人工费用（千元）" in r04.column
    r12 = next(p for c, p in by_column.items() if "「107-1项目」项目人员实际工作时间（人月）合计" in c)
    assert r12.row == 3 and "1 研究开发人员合计（人）" in r12.column
    assert {p.row for p in report.problems} == {3}


def test_unreadable_values_name_their_cell(cast, orgs):
    firm_rows, project_rows = two_reports(orgs)
    firm_rows[0][layout.item_header(ITEMS["labour_cost"])] = "四百"
    firm_rows[1]["direct_inputs"] = 200.0005
    project_rows[3]["start_ym"] = 202413
    report = ReportImporter(cast["city"]).run(workbook(firm_rows, project_rows), "rd.xlsx")
    assert not report.written and not RdReport.objects.exists()
    found = {(p.row, p.column) for p in report.problems}
    assert (2, "8 1.人员人工费用（千元）") in found
    assert (3, "9 2.直接投入费用（千元）") in found
    assert (5, "「107-1项目」项目起始日期") in found
    assert any("不是数字" in p.message for p in report.problems)


def test_a_good_file_imports_as_drafts_with_the_pre_review(cast, orgs):
    firm_rows, project_rows = two_reports(orgs)
    report = ReportImporter(cast["city"]).run(workbook(firm_rows, project_rows), "rd.xlsx")
    assert report.written and report.inserted == 2 and report.projects == 4, report.problems
    acme = RdReport.objects.get(enterprise=orgs["acme_ltd"], year=YEAR)
    assert acme.status == ReportStatus.DRAFT and acme.error_count == 0
    assert acme.firm["rd_expense_total"] == "1000000.00" and acme.rd_expense_total == Decimal("1000000")
    assert [p["name"] for p in acme.projects] == ["新型催化剂研发", "智能检测系统开发"]
    assert acme.projects[0]["start_ym"] == 202401 and acme.projects[0]["expense"] == "600000.00"
    first = acme.history.last()
    assert first.history_user == cast["city"] and first.history_change_reason == "批量导入"


def test_duplicates_and_reports_already_submitted_are_refused(cast, orgs):
    firm_rows, project_rows = two_reports(orgs)
    report = ReportImporter(cast["city"]).run(workbook([*firm_rows, firm_rows[0]], project_rows), "rd.xlsx")
    assert not report.written
    assert any(p.row == 4 and "与第 2 行重复" in p.message for p in report.problems)
    make_report(orgs["rival_ltd"], cast["city"], ReportStatus.SUBMITTED)
    report = ReportImporter(cast["city"]).run(workbook(firm_rows, project_rows), "rd.xlsx")
    assert not report.written
    assert [(p.row, p.column) for p in report.problems] == [(3, "统一社会信用代码")]
    assert "不能再导入修改" in report.problems[0].message


def test_an_editable_report_is_updated_keeping_what_the_file_does_not_give(cast, orgs):
    draft = make_report(orgs["acme_ltd"], cast["city"], firm={**good()[0], "papers": "3"})
    firm, _ = good()
    firm = {**firm, "rd_personnel_total": "12"}
    firm.pop("papers", None)
    row, _ = rows_for(orgs["acme_ltd"], firm, [])
    book = workbook([row])  # no 107-1 sheet: the projects stay; the papers column is blank
    report = ReportImporter(cast["tongchuan"]).run(book, "rd.xlsx")
    assert report.written and report.updated == 1 and report.inserted == 0, report.problems
    draft.refresh_from_db()
    assert draft.firm["rd_personnel_total"] == 12 and len(draft.projects) == 2
    assert draft.firm["papers"] == 3  # a blank cell means "not given": the held value stays (issue 11, item 2)
    assert draft.history.first().history_change_reason == "批量导入"
    report = ReportImporter(cast["tongchuan"]).run(workbook([{**row, "papers": "清空"}]), "rd.xlsx")
    assert report.written and report.updated == 1, report.problems
    draft.refresh_from_db()
    assert "papers" not in draft.firm  # 「清空」 removes it


def test_an_officer_imports_only_its_own_enterprises(cast, orgs):
    firm_rows, project_rows = two_reports(orgs)
    report = ReportImporter(cast["xuanhan"]).run(workbook(firm_rows, project_rows), "rd.xlsx")
    assert not report.written
    assert [(p.row, p.column) for p in report.problems if p.row == 2] == [(2, "统一社会信用代码")]
    assert "无权" in report.problems[0].message


def test_import_page_template_and_access(client, cast, orgs):
    client.force_login(cast["tongchuan"])
    template = client.get(reverse("rdreport:import-template") + f"?year={YEAR}")
    book = load_workbook(io.BytesIO(template.content))
    assert book.sheetnames[:2] == ["107-2", "107-1项目"]
    assert R04_COLUMN in [c.value for c in book["107-2"][1]]
    firm, projects = good()
    row, project_rows = rows_for(orgs["acme_ltd"], firm, projects)
    upload = workbook([row], project_rows)
    upload.name = "rd.xlsx"
    page = client.post(reverse("rdreport:import"), {"file": upload}).content.decode()
    assert 'data-testid="import-summary"' in page and "新增 1" in page
    assert RdReport.objects.filter(enterprise=orgs["acme_ltd"]).exists()
    for name in ("acme", "stats", "researcher"):
        client.force_login(cast[name])
        assert client.get(reverse("rdreport:import")).status_code == 403


def test_a_file_over_the_limit_is_refused_whole(cast, orgs):
    firm_rows, project_rows = two_reports(orgs)
    report = ReportImporter(cast["city"], max_reports=1).run(workbook(firm_rows, project_rows), "rd.xlsx")
    assert not report.written and "kechuang rd_import" in report.problems[0].message


def test_command_imports_with_a_year_and_refuses_a_bad_file(cast, orgs, tmp_path, capsys):
    firm, projects = good()
    row, project_rows = rows_for(orgs["acme_ltd"], firm, projects)
    del row[layout.YEAR]
    for p in project_rows:
        del p[layout.YEAR]
    path = tmp_path / "rd.xlsx"
    path.write_bytes(workbook([row], project_rows).getvalue())
    call_command("rd_import", str(path), "--year", str(YEAR), "--no-progress")
    assert "新增 1" in capsys.readouterr().out
    bad = tmp_path / "bad.xlsx"
    row = {**row, "rd_expense_total": 999}
    bad.write_bytes(workbook([{**row, layout.USCC: orgs["rival_ltd"].uscc}], []).getvalue())
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("rd_import", str(bad), "--year", str(YEAR), "--no-progress")
    assert "7 研究开发费用合计（千元）" in capsys.readouterr().out


def test_export_of_delivered_reports_re_imports_unchanged(client, cast, orgs):
    firm, projects = good()
    projects[0]["name"] = "=危险公式的项目名"
    projects[0]["expense"] = "600.125"
    projects[1]["expense"] = "399.875"
    make_report(orgs["acme_ltd"], cast["city"], ReportStatus.DELIVERED, firm={**firm, "papers": "0"},
                projects=projects)
    make_report(orgs["rival_ltd"], cast["city"], ReportStatus.DELIVERED, scale=7)
    make_report(orgs["park_ltd"], cast["city"], ReportStatus.SUBMITTED)  # not delivered: not exported
    client.force_login(cast["stats"])
    response = client.get(reverse("rdreport:export") + f"?year={YEAR}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["107-2", "107-1"]
    sheet = book["107-2"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["统一社会信用代码", "企业名称", "报告年度"] and headers[3] == "1 研究开发人员合计（人）"
    assert sheet.max_row == 3 and book["107-1"].max_row == 5
    assert book["107-1"]["E2"].value == "=危险公式的项目名"  # text, not a formula
    before = {r.enterprise_id: (r.firm, r.projects) for r in RdReport.objects.filter(status=ReportStatus.DELIVERED)}
    RdReport.objects.filter(status=ReportStatus.DELIVERED).delete()
    report = ReportImporter(cast["city"]).run(io.BytesIO(response.content), "export.xlsx")
    assert report.written and report.inserted == 2, report.problems
    after = {r.enterprise_id: (r.firm, r.projects) for r in RdReport.objects.filter(status=ReportStatus.DRAFT)}
    assert after == before
    client.force_login(cast["tongchuan"])  # a county's export holds its own county only
    mine = load_workbook(io.BytesIO(client.get(reverse("rdreport:export") + f"?year={YEAR}").content))
    assert mine["107-2"].max_row == 1


def test_export_needs_staff_and_a_region_in_scope(client, cast, regions):
    client.force_login(cast["acme"])
    assert client.get(reverse("rdreport:export")).status_code == 403
    client.force_login(cast["tongchuan"])
    assert client.get(reverse("rdreport:export") + f"?region={regions['宣汉县'].pk}").status_code == 404
    assert client.get(reverse("rdreport:export") + f"?region={regions['通川区'].pk}").status_code == 200


def test_export_workbook_of_no_reports_has_the_headers():
    book = load_workbook(io.BytesIO(export_workbook([], YEAR)))
    assert [c.value for c in book["107-1"][1]][:4] == ["统一社会信用代码", "企业名称", "报告年度", "项目序号"]


def test_import_stores_the_same_findings_as_a_full_check(cast, orgs):
    from kechuang.rdreport import services
    from kechuang.rdreport.tests.staff_data import good, rows_for, workbook

    firm, projects = good()
    projects[0]["expense"] = "300"  # Σ 107-1 经费 700 against [7] 1000: R15 warns
    row, project_rows = rows_for(orgs["acme_ltd"], firm, projects)
    report = ReportImporter(cast["city"]).run(workbook([row], project_rows), "rd.xlsx")
    assert report.written, report.problems
    stored = RdReport.objects.get(enterprise=orgs["acme_ltd"])
    full = [services.finding_json(f) for f in services.check(stored.year, stored.firm, stored.projects, stored)]
    assert stored.findings == full and any(f["rule_id"] == "R15" for f in full)
