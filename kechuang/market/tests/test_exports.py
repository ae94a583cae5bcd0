"""Every xlsx the product writes keeps formula-like text as text (issue 11 item 10): list exports,
``kechuang match --out``, pairing, pool and R&D exports and the import templates; the exported text
re-imports unchanged."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

import kechuang
from kechuang.common.export import first_sheet
from kechuang.market.importers import make_importer
from kechuang.market.models import Demand, Expert
from kechuang.matchmaking.index_store import reset_store
from kechuang.pairing.models import PairingCampaign

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet reads as a formula start
DANGER = '=HYPERLINK("http://example.com/x","点我")'


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.KECHUANG_INDEX_DIR = tmp_path / "index"
    reset_store()
    yield
    reset_store()


def formula_free(content: bytes) -> list[str]:
    """All text cells of the workbook; fails when a cell is a formula or formula-like text lacks the quote
    prefix that keeps it text when edited."""
    book = load_workbook(io.BytesIO(content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.startswith(FORMULA_TRIGGERS):
                        assert cell.quotePrefix, f"{sheet.title}!{cell.coordinate} {cell.value!r} not marked as text"
    return texts


@pytest.fixture
def dangerous(records, orgs):
    """A published demand titled like a formula, an enterprise and an expert named like formulas."""
    demand = records["acme_demand"]
    demand.title = DANGER
    demand.keywords = "+合成氨；@节能"
    demand.save()
    orgs["acme_ltd"].name = "-通川甲公司"
    orgs["acme_ltd"].save()
    records["prof"].title = "@教授"
    records["prof"].save()
    return records


def test_registry_and_organisation_exports_keep_formula_text_as_text(client, cast, dangerous):
    client.force_login(cast["city"])
    for name in ("market:demand-list", "market:achievement-list", "market:expert-list", "core:organisation-list"):
        for layout in ({"export": "xlsx"}, {"export": "xlsx", "layout": "template"}):
            texts = formula_free(client.get(reverse(name), layout).content)
            assert texts, name
    assert DANGER in formula_free(client.get(reverse("market:demand-list"), {"export": "xlsx"}).content)


def test_the_demand_export_re_imports_the_formula_like_title_unchanged(client, cast, dangerous):
    client.force_login(cast["city"])
    exported = client.get(reverse("market:demand-list"), {"export": "xlsx", "layout": "template"}).content
    assert DANGER in formula_free(exported)
    Demand.objects.filter(pk=dangerous["acme_demand"].pk).delete()
    importer, _ = make_importer("demands")
    report = importer.run(io.BytesIO(exported), "export.xlsx")
    assert report.ok and report.inserted == 1, report.problems
    again = Demand.objects.get(title=DANGER)
    assert again.keywords == "+合成氨；@节能" and again.enterprise.name == "-通川甲公司"


def test_match_out_writes_the_formula_like_title_as_text(cast, dangerous, tmp_path):
    out = tmp_path / "fair.xlsx"
    call_command("match", "--all-open", "--out", str(out), "--no-progress")
    texts = formula_free(out.read_bytes())
    assert DANGER in texts and "-通川甲公司" in texts


def test_pairing_export_and_templates_have_no_formula(client, cast, dangerous, orgs, regions):
    campaign = PairingCampaign.objects.create(name="=活动", region=regions["达州市"], created_by=cast["city"])
    campaign.enterprises.set([orgs["acme_ltd"]])
    chem = Expert.objects.create(name="+化工专家", organisation=orgs["uni"], region=regions["通川区"],
                                 keywords="合成氨", status="published")
    campaign.experts.set([chem])
    client.force_login(cast["city"])
    client.post(reverse("pairing:campaign-compute", args=[campaign.pk]))
    texts = formula_free(client.get(campaign.get_absolute_url(), {"export": "xlsx"}).content)
    assert "-通川甲公司" in texts and "+化工专家" in texts
    for registry in ("achievements", "demands", "experts"):
        assert formula_free(client.get(reverse("market:template", args=[registry])).content)
    assert formula_free(client.get(reverse("cultivation:import-template")).content)


def test_rd_export_keeps_formula_text_as_text(client, cast, orgs):
    from kechuang.rdreport.choices import ReportStatus
    from kechuang.rdreport.tests.staff_data import YEAR, good, make_report

    firm, projects = good()
    projects[0]["name"] = "-负号开头的项目"
    projects[1]["name"] = "@提及开头的项目"
    make_report(orgs["acme_ltd"], cast["city"], ReportStatus.DELIVERED, firm=firm, projects=projects)
    client.force_login(cast["stats"])
    texts = formula_free(client.get(reverse("rdreport:export") + f"?year={YEAR}").content)
    assert "-负号开头的项目" in texts and "@提及开头的项目" in texts


def test_every_workbook_is_saved_through_the_one_neutralising_function():
    """No module but kechuang/common/export.py saves an openpyxl workbook itself: each writer calls
    ``xlsx_bytes``, so a new export cannot forget the neutralisation."""
    root = Path(kechuang.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or path == root / "common" / "export.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "openpyxl" not in text or "Workbook" not in text:
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "save" \
                    and "book" in ast.unparse(node.func.value):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
        if "Workbook(" in text and "xlsx_bytes" not in text:
            offenders.append(f"{path.relative_to(root)}: builds a Workbook without xlsx_bytes")
    assert offenders == []


# --- item 11: the registry export shows what the list page shows ------------------------------------------


def rows_of(content: bytes) -> list[dict]:
    sheet = first_sheet(load_workbook(io.BytesIO(content)))
    header = next(sheet.iter_rows(max_row=1, values_only=True))
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_registry_export_shows_names_and_wan_yuan_numbers(client, cast, records, orgs):
    client.force_login(cast["city"])
    page = client.get(reverse("market:demand-list")).content.decode()
    assert "导出为导入模板" in page and "layout=template" in page
    demands = {r["需求名称"]: r for r in rows_of(client.get(reverse("market:demand-list"), {"export": "xlsx"}).content)}
    acme = demands["合成氨装置节能改造"]  # budget 100000–500000 yuan, field 0604, 通川区
    assert acme["技术领域"] == records["acme_demand"].field.name and acme["技术领域"] != "0604"
    assert acme["需求企业"] == "通川甲公司" and acme["需求企业统一社会信用代码"] == orgs["acme_ltd"].uscc
    assert acme["所在区域"] == "通川区" and acme["状态"] == "已发布"
    assert (acme["预算下限（万元）"], acme["预算上限（万元）"]) == (10, 50)  # numbers, not text
    achievements = {r["成果名称"]: r for r in
                    rows_of(client.get(reverse("market:achievement-list"), {"export": "xlsx"}).content)}
    assert achievements["天然气制氢催化剂"]["转让价格（万元）"] == 80
    assert achievements["天然气制氢催化剂"]["成果所有方"] == "示范学院"
    assert achievements["甲醇合成余热回收装置"]["价格面议"] == "是"
    experts = {r["姓名"]: r for r in rows_of(client.get(reverse("market:expert-list"), {"export": "xlsx"}).content)}
    assert experts["王教授"]["技术领域"] == "、".join(records["prof"].field_names) and "0402" not in \
        experts["王教授"]["技术领域"]
    template = rows_of(client.get(reverse("market:demand-list"), {"export": "xlsx", "layout": "template"}).content)
    acme_template = next(r for r in template if r["需求名称"] == "合成氨装置节能改造")
    assert acme_template["技术领域"] == "0604" and acme_template["预算下限（元）"] == "100000"


def test_registry_export_keeps_restricted_fields_blank(client, cast, records):
    client.force_login(cast["acme"])
    for layout in ({"export": "xlsx"}, {"export": "xlsx", "layout": "template"}):
        demands = {r["需求名称"]: r for r in rows_of(client.get(reverse("market:demand-list"), layout).content)}
        assert demands["玄武岩纤维拉丝漏板寿命提升"]["联系电话"] in (None, "")
        assert demands["合成氨装置节能改造"]["联系电话"] == "0818-2000001"
