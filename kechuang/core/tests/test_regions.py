"""The region tree: loaded by the data migration, extended from CSV, all or nothing."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from kechuang.core.choices import RegionLevel
from kechuang.core.models import Region
from kechuang.core.regions import RegionFileError, load_regions


def test_reference_city_tree_is_loaded_by_the_migration(regions):
    city = regions["达州市"]
    assert city.code == "511700" and city.level == RegionLevel.CITY
    assert city.parent.name == "四川省"
    counties = {r.code for r in city.children.filter(level=RegionLevel.COUNTY)}
    assert counties == {"511702", "511703", "511722", "511723", "511724", "511725", "511781"}
    parks = {r.name for r in city.children.filter(level=RegionLevel.PARK)}
    assert parks == {"达州高新区", "达州东部经开区"}
    assert all(r.code is None for r in city.children.filter(level=RegionLevel.PARK))


def test_subtree_follows_the_materialised_path(regions):
    subtree = set(Region.objects.subtree(regions["达州市"]).values_list("name", flat=True))
    assert "通川区" in subtree and "达州高新区" in subtree and "万州区" not in subtree
    assert set(Region.objects.subtree(regions["通川区"]).values_list("name", flat=True)) == {"通川区"}
    assert regions["通川区"].full_name == "达州市 / 通川区"


def test_moving_a_region_moves_its_subtree(regions):
    park = Region.objects.create(name="测试园", level=RegionLevel.PARK, parent=regions["通川区"])
    regions["通川区"].parent = regions["四川省"]
    regions["通川区"].save()
    park.refresh_from_db()
    assert park.path.startswith(regions["四川省"].path) and not park.path.startswith(regions["达州市"].path)


@pytest.fixture
def mianyang_csv(tmp_path):
    path = tmp_path / "mianyang.csv"
    path.write_text("code,name,level,parent\n510700,绵阳市,city,510000\n510703,涪城区,county,510700\n"
                    "510704,游仙区,county,510700\n,绵阳科技城新区,park,510700\n", encoding="utf-8")
    return path


def test_another_city_loads_from_csv_and_a_second_load_changes_nothing(regions, mianyang_csv):
    first = load_regions(Region, mianyang_csv)
    assert (first.created, first.updated) == (4, 0)
    city = Region.objects.get(code="510700")
    assert city.parent == regions["四川省"]
    assert Region.objects.subtree(city).count() == 4
    second = load_regions(Region, mianyang_csv)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 4)


def test_bad_csv_names_row_and_column_and_writes_nothing(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("code,name,level,parent\n510700,绵阳市,city,510000\n51070X,涪城区,county,510700\n"
                    "510704,,town,510700\n510705,安州区,county,999999\n", encoding="utf-8")
    before = Region.objects.count()
    with pytest.raises(RegionFileError) as caught:
        load_regions(Region, path)
    problems = caught.value.problems
    assert (3, "code", "行政区划代码“51070X”应为 6 位数字") in problems
    assert {(4, "name"), (4, "level"), (5, "parent")} <= {(row, col) for row, col, _ in problems}
    assert Region.objects.count() == before


def test_load_regions_command(mianyang_csv, db, capsys, tmp_path):
    call_command("load_regions", str(mianyang_csv))
    assert "新建 4" in capsys.readouterr().out
    with pytest.raises(CommandError, match="文件不存在或不是文件"):
        call_command("load_regions", str(tmp_path / "missing.csv"))


@pytest.mark.parametrize("content,row,column", [
    ("511700,达州市,city,511702\n", 2, "parent"),                      # the city under its own county
    ("510800,广元市,city,510800\n", 2, "parent"),                      # its own parent
    ("510801,甲区,county,510000\n510801,乙区,county,510000\n", 3, "code"),  # duplicate code
    ("510801,甲区,county,510000\n510802,甲区,county,510000\n", 3, "name"),  # duplicate name in one parent
    ("５１０８０１,甲区,county,510000\n", 2, "code"),                   # full-width digits
    (f"510801,{'长' * 51},county,510000\n", 2, "name"),                 # over-long name
])
def test_bad_trees_are_refused_and_nothing_is_written(regions, tmp_path, content, row, column):
    path = tmp_path / "bad.csv"
    path.write_text("code,name,level,parent\n" + content, encoding="utf-8")
    before = list(Region.objects.values_list("pk", "name", "parent_id", "path"))
    with pytest.raises(RegionFileError) as caught:
        load_regions(Region, path)
    assert (row, column) in {(r, c) for r, c, _ in caught.value.problems}
    assert list(Region.objects.values_list("pk", "name", "parent_id", "path")) == before


def test_gbk_region_file_loads(db, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("code,name,level,parent\n510800,广元市,city,510000\n".encode("gbk"))
    assert load_regions(Region, path).created == 1
