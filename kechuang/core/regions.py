"""Loading a region tree from CSV (GB/T 2260 codes; parks without a code).

The CSV has the header ``code,name,level,parent`` and optionally ``neighbour``: ``level`` is one of
province, city, county, park; ``parent`` is the parent's code, or its name when the parent has no code
(a park's sub-park), or empty for a root; ``neighbour`` is 1 for a region of the neighbouring
cooperation zone, ranked after the own city when matching. Rows may come in any order as long as a parent appears before its children.

The loader takes the model class as an argument so that the data migration (with its historical model)
and the ``load_regions`` command share it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from kechuang.core.choices import RegionLevel

COLUMNS = ("code", "name", "level", "parent")
NAME_LIMIT = 50
DAZHOU_CSV = Path(__file__).resolve().parent / "data" / "regions_dazhou.csv"


class RegionFileError(ValueError):
    """A region file with bad rows; ``problems`` lists (row number, column, message), rows counted from
    1 for the header."""

    def __init__(self, path: Path, problems: list[tuple[int, str, str]]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  {path.name} 第 {row} 行 [{col}]：{msg}" for row, col, msg in problems)
        super().__init__(f"区划文件有 {len(problems)} 处错误，未导入任何数据：\n{lines}")


@dataclass
class LoadReport:
    """What a load did: counts of created, updated and unchanged regions."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    names: list[str] = field(default_factory=list)


def _path(parent_path: str | None, pk: int) -> str:
    return f"{parent_path or '/'}{pk}/"


def read_rows(path: Path, known: set[str] | frozenset[str] = frozenset()) -> list[dict[str, str]]:
    """The rows of a region CSV (UTF-8, BOM allowed), checked for shape. ``known`` holds the codes and
    names of regions already in the database, which rows may name as parent.

    Raises:
        RegionFileError: missing columns, bad codes, unknown levels or parents, with row and column.
    """
    if not path.is_file():
        raise RegionFileError(path, [(0, "—", "不是可读取的文件")])
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RegionFileError(path, [(0, "—", "无法识别文件编码（请保存为 UTF-8 或 GBK）")])
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RegionFileError(path, [(1, c, "缺少此列") for c in missing])
    rows = [{k: (v or "").strip() for k, v in row.items() if k in (*COLUMNS, "neighbour")} for row in reader]
    problems: list[tuple[int, str, str]] = []
    seen: set[str] = set(known)
    codes_in_file: dict[str, int] = {}
    names_in_parent: dict[tuple[str, str], int] = {}
    levels = set(RegionLevel.values)
    for number, row in enumerate(rows, start=2):
        code, name, level, parent = row["code"], row["name"], row["level"], row["parent"]
        if code and not re.fullmatch(r"[0-9]{6}", code):
            problems.append((number, "code", f"行政区划代码“{code}”应为 6 位数字"))
        if code and code in codes_in_file:
            problems.append((number, "code", f"行政区划代码“{code}”与第 {codes_in_file[code]} 行重复"))
        codes_in_file.setdefault(code, number) if code else None
        if not name:
            problems.append((number, "name", "名称不能为空"))
        elif len(name) > NAME_LIMIT:
            problems.append((number, "name", f"名称不能超过 {NAME_LIMIT} 个字"))
        elif (parent, name) in names_in_parent:
            problems.append((number, "name", f"同一上级下已有同名区域（第 {names_in_parent[(parent, name)]} 行）"))
        names_in_parent.setdefault((parent, name), number)
        if parent and parent in (code, name):
            problems.append((number, "parent", "上级不能是本区域"))
        if level not in levels:
            problems.append((number, "level", f"层级“{level}”无效，应为 {'/'.join(sorted(levels))} 之一"))
        if not code and level != RegionLevel.PARK:
            problems.append((number, "code", "只有园区可以没有行政区划代码"))
        if parent and parent not in seen:
            problems.append((number, "parent", f"上级“{parent}”既不在前面的行中，也不在已有区域中"))
        seen.update(x for x in (code, name) if x)
    if problems:
        raise RegionFileError(path, problems)
    return rows


def load_regions(region_model: Any, path: Path = DAZHOU_CSV) -> LoadReport:
    """Create or update the regions of a CSV file, all or nothing. Loading the same file twice
    changes nothing.

    Args:
        region_model: the ``Region`` model class (the real one or a migration's historical one).
        path: the CSV file.

    Raises:
        RegionFileError: the file has bad rows; nothing is written.
    """
    known = {k for pair in region_model.objects.values_list("code", "name") for k in pair if k}
    rows = read_rows(path, known)
    # An early data migration passes a historical model from before the neighbour flag existed.
    has_neighbour = any(f.name == "neighbour" for f in region_model._meta.get_fields())
    report = LoadReport()
    by_key: dict[str, Any] = {}
    with transaction.atomic():
        for number, row in enumerate(rows, start=2):
            parent = by_key.get(row["parent"]) if row["parent"] else None
            if row["parent"] and parent is None:
                parent = (region_model.objects.filter(code=row["parent"]).first()
                          or region_model.objects.filter(name=row["parent"]).first())
            neighbour = row.get("neighbour", "") in ("1", "是", "true", "yes") and has_neighbour
            lookup = {"code": row["code"]} if row["code"] else {"name": row["name"], "parent": parent}
            region = region_model.objects.filter(**lookup).first()
            if region is None:
                region = region_model(code=row["code"] or None, name=row["name"], level=row["level"],
                                      parent=parent, **({"neighbour": neighbour} if has_neighbour else {}))
                region.save()
                report.created += 1
            elif parent is not None and parent.path.startswith(region.path or "\0"):
                raise RegionFileError(path, [(number, "parent", f"上级“{row['parent']}”是“{row['name']}”的下级区域，"
                                                                "会形成循环")])
            elif (region.name, region.level, region.parent_id, getattr(region, "neighbour", False)) != (
                    row["name"], row["level"], parent.pk if parent else None, neighbour):
                region.name, region.level, region.parent = row["name"], row["level"], parent
                if has_neighbour:
                    region.neighbour = neighbour
                region.save()
                report.updated += 1
            else:
                report.unchanged += 1
            path_value = _path(parent.path if parent else None, region.pk)
            if region.path != path_value:
                region_model.objects.filter(pk=region.pk).update(path=path_value)
                region.path = path_value
            by_key.update({k: region for k in (row["code"], row["name"]) if k})
            report.names.append(row["name"])
    return report
