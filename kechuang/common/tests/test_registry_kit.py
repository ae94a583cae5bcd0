"""The registry and import kit (issue 12, item 1): one declaration gives a registry's pages, URLs, import,
template, export and API; one import page, one template builder, one form-errors → 422 helper."""

from __future__ import annotations

import io
import re
from pathlib import Path

from django.urls import reverse
from openpyxl import load_workbook

import kechuang
from kechuang.common.registry import Registry
from kechuang.common.templates_xlsx import template_workbook
from kechuang.cultivation.importers import AnnualFiguresImporter
from kechuang.market.registries import DEMANDS, REGISTRIES
from kechuang.rdreport.importers import ReportImporter

ROOT = Path(kechuang.__file__).parent


def _sources():
    for path in ROOT.rglob("*.py"):
        if "tests" not in path.parts and "migrations" not in path.parts:
            yield path, path.read_text(encoding="utf-8")


def test_form_errors_become_422_in_one_place():
    """``[str(m) for m in v] for k, v in form.errors.items()`` is written once, in common/api_crud.py; every
    API module answers an invalid form or filter through ``invalid`` (there were eight copies)."""
    copy = re.compile(r"\[str\(m\) for m in v\] for k, v in [\w.]+\.errors\.items\(\)")
    places = [f"{path.relative_to(ROOT)}" for path, text in _sources() for _ in copy.finditer(text)]
    assert places == ["common/api_crud.py"]


def test_no_app_builds_its_own_import_page_or_template_download():
    """Import pages go through ``import_page``; template and export downloads through ``xlsx_download``
    (no view sets an xlsx Content-Disposition itself), and no app imports another app's import machinery."""
    offenders = []
    for path, text in _sources():
        relative = path.relative_to(ROOT)
        if relative.parts[0] == "common":
            continue
        if "Content-Disposition" in text and "xlsx" in text:
            offenders.append(f"{relative}: sets Content-Disposition itself")
        if "kechuang.market.views" in text or "kechuang.market.templates_xlsx" in text:
            offenders.append(f"{relative}: imports the market's import machinery")
        # The pairing participants page takes a list file as one of its actions (campaign managers, not
        # import staff): an upload inside a page, not an import page.
        if "ImportFileError" in text and "views" in path.stem and "import_page" not in text \
                and str(relative) != "pairing/views.py":
            offenders.append(f"{relative}: an import view of its own")
    assert offenders == []


def test_one_declaration_gives_every_url(client, cast):
    """The demands declaration alone names the list, create, detail, edit, transition, import and template
    URLs, and the API's five endpoints."""
    assert isinstance(DEMANDS, Registry)
    names = {p.name for p in DEMANDS.urls()}
    assert names == {"demand-list", "demand-create", "demand-detail", "demand-edit", "demand-transition", "import",
                     "template"}
    assert reverse("market:import", args=["demands"]) .endswith("/demands/import/")
    assert reverse("market:template", args=["experts"]) .endswith("/experts/template.xlsx")
    client.force_login(cast["city"])
    operations = {op["operationId"] for item in client.get("/api/openapi.json").json()["paths"].values()
                  for op in item.values()}
    assert {"list_demand", "get_demand", "create_demand", "update_demand", "transition_demand"} <= operations


def test_import_page_offers_only_the_registrys_own_presets(client, cast):
    """The CSL preset maps to achievements only: the demands page no longer offers it (choosing it there
    always failed with 未知的列映射预设)."""
    client.force_login(cast["city"])
    achievements = client.get(reverse("market:import", args=["achievements"])).content.decode()
    demands = client.get(reverse("market:import", args=["demands"])).content.decode()
    assert "CSL" in achievements and "列映射预设" in achievements
    assert "列映射预设" not in demands and "批量导入技术需求" in demands


def test_every_template_states_its_importers_rules(client, cast):
    """The 填写说明 of every template is its importer's own text: the registries', the yearly figures' and
    the R&D reports' (which used to keep its rules apart from the importer)."""
    for registry in REGISTRIES.values():
        notes = load_workbook(io.BytesIO(template_workbook(registry.importer)))["填写说明"]
        text = [c.value for row in notes.iter_rows() for c in row if c.value]
        assert all(rule in text for rule in registry.importer.rules) and registry.importer.rules
    notes = load_workbook(io.BytesIO(template_workbook(AnnualFiguresImporter)))["填写说明"]
    assert AnnualFiguresImporter.rules[0] in [c.value for row in notes.iter_rows() for c in row]
    client.force_login(cast["city"])
    book = load_workbook(io.BytesIO(client.get(reverse("rdreport:import-template")).content))
    text = [c.value for row in book["填写说明"].iter_rows() for c in row if c.value]
    assert ReportImporter.rules and all(rule in text for rule in ReportImporter.rules)


def test_the_import_template_needs_a_signed_in_user(client, db):
    """Every registry page is behind the login, the template download too (it was the one left open)."""
    response = client.get(reverse("market:template", args=["demands"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
