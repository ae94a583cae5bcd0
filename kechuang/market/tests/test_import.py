"""Importing the registries: per-row reports, all or nothing, duplicates, re-import, round trip, the
shared CSL file, the command, the web page and the template."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kechuang.common.export import first_sheet
from kechuang.common.imports import ImportFileError, read_table
from kechuang.core.models import Organisation
from kechuang.market.importers import AchievementImporter, DemandImporter, ExpertImporter, make_importer
from kechuang.market.models import Achievement, AchievementPatent, Demand, Expert

SHARED_CSL = Path(__file__).resolve().parents[4] / "shared" / "data" / "csl" / "csl_records.jsonl"


def xlsx(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    for row in rows:
        first_sheet(book).append(row)
    book.save(path)
    return path


@pytest.fixture
def broken_demands(tmp_path, orgs):
    head = ["需求名称", "需求企业", "技术领域", "预算下限（元）", "预算上限（元）", "状态"]
    return xlsx(tmp_path / "demands.xlsx", [
        head,
        ["合成氨装置节能改造二期", orgs["acme_ltd"].uscc, "0604", "100000", "300000", "已发布"],   # row 2 good
        ["富硒茶保鲜", orgs["acme_ltd"].name, "茶叶学", "", "", ""],                              # row 3 unknown field
        ["拉丝漏板寿命", orgs["rival_ltd"].uscc, "0402", "约50万", "", ""],                       # row 4 budget text
        ["", orgs["acme_ltd"].uscc, "", "", "", ""],                                            # row 5 missing title
        ["合成氨装置节能改造二期", orgs["acme_ltd"].uscc, "0604", "", "", ""],                  # row 6 conflicts with row 2
        ["未知企业的需求", "不存在公司", "", "", "", ""],                                         # row 7 unknown enterprise
    ])


def test_broken_rows_are_reported_by_row_and_column_and_nothing_is_written(broken_demands, records):
    before = set(Demand.objects.values_list("pk", "title", "status"))
    report = DemandImporter().run(broken_demands, broken_demands.name)
    where = {(p.row, p.column) for p in report.problems}
    assert {(3, "技术领域"), (4, "预算下限（元）"), (5, "需求名称"), (7, "需求企业")} <= where
    assert any("请输入一个数字" in p.message or "数字" in p.message for p in report.problems if p.row == 4)
    # the same demand as row 2 with other budgets and status: a conflict, not "first row wins"
    assert any(p.row == 6 and "第 2 行是同一条记录" in p.message and "预算下限（元）" in p.column
               for p in report.problems)
    assert not report.written and report.inserted == 0
    assert set(Demand.objects.values_list("pk", "title", "status")) == before


def test_valid_only_writes_the_good_rows(broken_demands, records):
    report = DemandImporter().run(broken_demands, broken_demands.name, valid_only=True)
    assert report.written and report.inserted == 1 and report.rejected == 5 and report.duplicates == 0
    assert report.rows_read == report.inserted + report.duplicates + report.rejected
    demand = Demand.objects.get(title="合成氨装置节能改造二期")
    assert demand.status == "published" and demand.field.code == "0604"
    assert demand.history.get().history_change_reason == "批量导入"


def test_bad_patent_number_and_duplicate_patent(tmp_path, orgs, records):
    path = xlsx(tmp_path / "a.xlsx", [
        ["成果名称", "成果所有方", "专利申请号", "成果类型", "转化方式", "转让价格（元）"],
        ["新成果甲", orgs["uni"].name, "CN200310102344.6", "专利", "转让", "100000"],
        ["新成果乙", orgs["uni"].name, "CN200310102344.5", "专利", "转让", ""],   # patent already registered
        ["新成果丙", orgs["uni"].name, "", "专著", "赠送", "面议"],
    ])
    report = AchievementImporter().run(path, path.name)
    messages = {(p.row, p.column): p.message for p in report.problems}
    assert "校验位错误" in messages[(2, "专利申请号")]
    assert "成果类型“专著”无效" in messages[(4, "成果类型")]
    assert "转化方式“赠送”无效" in messages[(4, "转化方式")]
    assert [d.row for d in report.duplicate_rows] == [3]


def test_reimporting_the_same_file_changes_nothing(tmp_path, orgs, fields):
    path = xlsx(tmp_path / "e.xlsx", [["姓名", "工作单位", "技术领域", "身份证号码"],
                                      ["赵工", orgs["uni"].name, "0402；新能源与节能", "511702198001010015"],
                                      ["钱工", orgs["acme_ltd"].uscc, "", ""]])
    first = ExpertImporter().run(path, path.name)
    assert first.inserted == 2, first.problems
    assert Expert.objects.get(name="赵工").tech_fields == "0402；06"
    second = ExpertImporter().run(path, path.name)
    assert (second.inserted, second.duplicates, second.written) == (0, 2, True)
    assert Expert.objects.count() == 2


def test_missing_required_column_is_a_file_level_problem(tmp_path, db):
    path = xlsx(tmp_path / "x.xlsx", [["标题"], ["某成果"]])
    report = AchievementImporter().run(path, path.name)
    assert [(p.row, p.column, p.message) for p in report.problems] == [(1, "成果所有方", "缺少必填列")]


def test_column_mapping_for_other_headers(tmp_path, orgs):
    path = xlsx(tmp_path / "m.xlsx", [["项目名称", "承担单位"], ["映射后的成果", orgs["uni"].name]])
    importer, mapping = make_importer("achievements")
    mapping.update({"项目名称": "成果名称", "承担单位": "成果所有方"})
    assert importer.run(path, path.name, mapping=mapping).inserted == 1


def test_csv_in_gbk_and_unreadable_files(tmp_path, orgs):
    path = tmp_path / "gbk.csv"
    path.write_bytes(f"成果名称,成果所有方\nGBK 编码的成果,{orgs['uni'].name}\n".encode("gbk"))
    assert AchievementImporter().run(path, path.name).inserted == 1
    with pytest.raises(ImportFileError, match="不支持的文件类型"):
        read_table(tmp_path / "a.txt", "a.txt") if (tmp_path / "a.txt").write_text("x") else None
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(ImportFileError, match="无法读取"):
        AchievementImporter().run(broken, broken.name)


@pytest.mark.parametrize("registry,model", [("achievements", Achievement), ("demands", Demand),
                                            ("experts", Expert)])
def test_export_then_import_round_trip(client, cast, records, registry, model):
    client.force_login(cast["city"])
    url = reverse(f"market:{registry[:-1]}-list")
    exported = client.get(url, {"export": "xlsx", "layout": "template"}).content  # 「导出为导入模板」
    # Everything but ids, timestamps and an expert's link to a platform account travels in the file.
    columns = [f.name for f in model._meta.fields if f.name not in ("id", "created_at", "updated_at", "user")]

    def snapshot():
        return sorted(tuple(str(v) for v in row) for row in model.objects.values_list(*columns))

    before = snapshot()
    importer, _ = make_importer(registry)
    again = importer.run(io.BytesIO(exported), "export.xlsx")
    assert (again.inserted, again.duplicates) == (0, len(before)) and snapshot() == before
    if model is Achievement:
        AchievementPatent.objects.all().delete()
    for obj in model.objects.all():
        if hasattr(obj, "contact_shared_with"):
            obj.contact_shared_with.clear()
    model.objects.all().delete()
    importer, _ = make_importer(registry)
    report = importer.run(io.BytesIO(exported), "export.xlsx")
    assert report.ok and report.inserted == len(before), report.problems
    assert snapshot() == before


def test_template_download_has_the_headers(client, cast, db):
    client.force_login(cast["acme"])
    response = client.get(reverse("market:template", args=["achievements"]))
    book = load_workbook(io.BytesIO(response.content))
    headers = next(book.worksheets[0].iter_rows(max_row=1, values_only=True))
    assert headers[0] == "成果名称" and "成果所有方" in headers and book.sheetnames[1] == "填写说明"


def test_web_import_shows_the_same_report(client, cast, broken_demands):
    client.force_login(cast["city"])
    with broken_demands.open("rb") as fh:
        page = client.post(reverse("market:import", args=["demands"]), {"file": fh}).content.decode()
    assert "未写入任何数据" in page and "预算下限（元）" in page and "<td>4</td>" in page
    client.force_login(cast["acme"])
    assert client.get(reverse("market:import", args=["demands"])).status_code == 403


def test_command_prints_the_numbers(tmp_path, orgs, capsys, broken_demands):
    with pytest.raises(CommandError, match="有误 5"):
        call_command("import", "demands", str(broken_demands), "--no-progress")
    call_command("import", "demands", str(broken_demands), "--valid-only", "--no-progress")
    assert "读取 6 行，新增 1，重复 0，有误 5（已写入）" in capsys.readouterr().out


@pytest.mark.skipif(not SHARED_CSL.exists(), reason=f"shared data absent: {SHARED_CSL}")
def test_the_shared_csl_file_imports_whole(db, capsys):
    call_command("import", "achievements", str(SHARED_CSL), "--preset", "csl", "--no-progress")
    out = capsys.readouterr().out
    total = sum(1 for line in SHARED_CSL.open(encoding="utf-8") if line.strip())
    assert f"读取 {total} 行，新增 {total}，重复 0，有误 0（已写入）" in out
    assert Achievement.objects.filter(status="published", kind="paper").count() == total
    placeholder = Organisation.objects.filter(name__endswith="（来源占位）")
    assert placeholder.exists() and Achievement.objects.filter(owner__in=placeholder).count() == total
    call_command("import", "achievements", str(SHARED_CSL), "--preset", "csl", "--no-progress")
    assert f"新增 0，重复 {total}" in capsys.readouterr().out


def test_inventors_are_linked_to_registered_experts(tmp_path, records, orgs):
    path = xlsx(tmp_path / "inv.xlsx", [["成果名称", "成果所有方", "完成人"],
                                        ["催化新成果", orgs["uni"].name, "王教授；不在库中的人"]])
    assert AchievementImporter().run(path, path.name).inserted == 1
    assert list(Achievement.objects.get(title="催化新成果").inventors.all()) == [records["prof"]]
