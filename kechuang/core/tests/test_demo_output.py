"""The demo command's print-out: the login table lines up in a terminal, and the organisations outside
the city are explained (issue 11, item 27)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from kechuang.core.demo import display_width, login_table


def test_display_width_counts_wide_characters_twice():
    assert display_width("abc") == 3
    assert display_width("市科技局管理员") == 14
    assert display_width("（演示）") == 8


def test_login_table_columns_line_up_with_chinese_labels():
    lines = login_table([("市科技局管理员", "city_admin", "达州市"),
                         ("企业用户", "enterprise", "达州某某有限公司（演示）"),
                         ("县（市、区）科技部门人员", "county_tongchuan", "四川省达州市通川区")])
    usernames = ["用户名", "city_admin", "enterprise", "county_tongchuan"]
    starts = {display_width(line[:line.index(name)]) for line, name in zip(lines, usernames, strict=True)}
    assert len(starts) == 1, lines


@pytest.mark.slow
def test_demo_command_prints_an_aligned_table_and_explains_the_neighbours(db, capsys):
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out.splitlines()
    start = next(i for i, line in enumerate(out) if "演示账号" in line) + 1
    table = out[start:start + 8]
    assert "用户名" in table[0] and "city_admin" in table[1]
    columns = {display_width(line[:line.index(name)])
               for line, name in zip(table, ["用户名", "city_admin", "county_tongchuan", "county_xuanhan", "stats",
                                             "enterprise", "researcher", "expert"], strict=True)}
    assert len(columns) == 1, table
    note = next(line for line in out if "邻近协作区" in line)
    assert "3 家" in note and "万州区" in note and "开州区" in note
