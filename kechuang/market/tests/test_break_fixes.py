"""Cases a break-it session found in the registries, kept as tests."""

from __future__ import annotations

import io
import json

from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kechuang.common.workflow import run_transition
from kechuang.market.importers import AchievementImporter, DemandImporter, ExpertImporter, make_importer
from kechuang.market.models import Achievement, Demand, Expert


def test_county_officer_edit_form_has_no_personal_fields(client, cast, records):
    client.force_login(cast["tongchuan"])
    page = client.get(reverse("market:expert-edit", args=[records["prof"].pk])).content.decode()
    assert "13800000001" not in page and "511702198001010015" not in page and 'name="id_number"' not in page
    client.force_login(cast["city"])
    assert 'name="id_number"' in client.get(reverse("market:expert-edit", args=[records["prof"].pk])).content.decode()


def test_expert_page_lists_only_achievements_the_viewer_may_open(client, cast, records):
    records["uni_draft"].inventors.add(records["prof"])
    records["uni_public"].inventors.add(records["prof"])
    client.force_login(cast["acme"])
    page = client.get(records["prof"].get_absolute_url()).content.decode()
    assert "天然气制氢催化剂" in page and "玄武岩纤维表面改性技术" not in page


def test_an_affiliated_expert_cannot_withdraw_its_organisations_achievement(client, cast, records):
    client.force_login(cast["expert"])
    url = f"/api/market/achievements/{records['uni_public'].pk}/transitions/withdraw"
    assert client.post(url, {}, content_type="application/json").status_code == 403
    client.force_login(cast["researcher"])
    assert client.post(url, {}, content_type="application/json").status_code == 200


def test_organisation_users_cannot_put_records_in_another_region(client, cast, regions):
    client.force_login(cast["acme"])
    response = client.post("/api/market/demands", {"title": "区域错配需求", "region": regions["万州区"].pk},
                           content_type="application/json")
    assert response.status_code == 422 and "region" in response.json()["errors"]
    ok = client.post("/api/market/demands", {"title": "本区域需求"}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["region_id"] == regions["通川区"].pk  # defaults filled in


def test_duplicate_title_is_a_form_error_not_a_server_error(client, cast, records, orgs):
    client.force_login(cast["researcher"])
    response = client.post("/api/market/achievements", {"title": "天然气制氢催化剂 "}, content_type="application/json")
    assert response.status_code == 422 and "同一所有方已登记同名成果" in json.dumps(response.json(), ensure_ascii=False)
    client.force_login(cast["city"])
    response = client.post("/api/market/experts", {"name": "王教授", "organisation": orgs["uni"].pk},
                           content_type="application/json")
    assert response.status_code == 422


def test_a_number_in_the_date_column_is_read_as_an_excel_date(tmp_path, orgs):
    book = Workbook()
    book.active.append(["需求名称", "需求企业", "截止日期"])
    book.active.append(["数字日期需求", orgs["acme_ltd"].name, 46568])
    book.active.append(["坏日期需求", orgs["acme_ltd"].name, "明年"])
    path = tmp_path / "d.xlsx"
    book.save(path)
    report = DemandImporter().run(path, path.name, valid_only=True)
    assert report.inserted == 1 and [(p.row, p.column) for p in report.problems] == [(3, "截止日期")]
    assert Demand.objects.get(title="数字日期需求").deadline.isoformat() == "2027-06-30"


def test_a_bad_jsonl_line_is_one_bad_row(tmp_path, orgs):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"成果名称": "好行", "成果所有方": orgs["uni"].name}, ensure_ascii=False)
                    + "\n{坏行\n[1, 2]\n", encoding="utf-8")
    report = AchievementImporter().run(path, path.name, valid_only=True)
    assert report.inserted == 1 and [p.row for p in report.problems] == [2, 3]


def test_column_mappings_are_checked(tmp_path, orgs):
    book = Workbook()
    book.active.append(["名称", "单位", "备注"])
    book.active.append(["某成果", orgs["uni"].name, "x"])
    path = tmp_path / "m.xlsx"
    book.save(path)
    importer, mapping = make_importer("achievements")
    report = importer.run(path, path.name, mapping={"备注": "不存在的列", "缺失列": "成果名称"})
    messages = " ".join(p.message for p in report.problems)
    assert "不是模板中的列" in messages and "不在文件中" in messages and not report.written


def test_the_template_imports_empty_without_errors(client, cast, db):
    client.force_login(cast["city"])
    content = client.get(reverse("market:template", args=["experts"])).content
    report = ExpertImporter().run(io.BytesIO(content), "template.xlsx")
    assert report.ok and report.rows_read == 0
    assert load_workbook(io.BytesIO(content)).worksheets[0].max_row == 1


def test_expert_field_filter_matches_whole_codes(client, cast, records):
    records["prof"].tech_fields = "0402"
    records["prof"].save()
    client.force_login(cast["city"])
    from kechuang.market.models import TechField

    def names(code):
        field = TechField.objects.get(code=code)
        return {i["name"] for i in client.get("/api/market/experts", {"field": field.pk}).json()["items"]}

    assert "王教授" in names("04") and "王教授" not in names("02")


def test_zero_capacity_is_refused_not_defaulted(tmp_path, orgs):
    book = Workbook()
    book.active.append(["姓名", "工作单位", "同时服务上限"])
    book.active.append(["零上限专家", orgs["uni"].name, 0])
    path = tmp_path / "e.xlsx"
    book.save(path)
    report = ExpertImporter().run(path, path.name)
    assert [(p.row, p.column) for p in report.problems] == [(2, "同时服务上限")]
    assert not Expert.objects.filter(name="零上限专家").exists()


def test_long_review_comments_fit_the_history(cast, records):
    demand = records["acme_draft_demand"]
    run_transition(demand, "submit", cast["acme"], "很长的说明" * 40)
    reason = demand.history.latest().history_change_reason
    assert len(reason) <= 100 and reason.endswith("…")


def test_patent_numbers_with_spaces(client, cast, orgs):
    client.force_login(cast["researcher"])
    response = client.post("/api/market/achievements", {"title": "空格专利号", "patent_numbers": "CN 2003 1 0102344.5"},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["patent_numbers"] == ["CN200310102344.5"]
    assert Achievement.objects.get(title="空格专利号").patents.count() == 1


def test_api_docs_need_a_login(client, cast):
    assert client.get("/api/docs").status_code == 302
    client.force_login(cast["acme"])
    assert client.get("/api/docs").status_code == 200
