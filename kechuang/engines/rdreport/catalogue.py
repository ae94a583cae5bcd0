"""The two NBS forms as data: item catalogue per year, and the :class:`Report` / :class:`Project` inputs.

Forms (spec ``rd_statistics.md`` §5.1, names [H], row codes [M]):

* **107-2 企业研究开发活动及相关情况** — firm totals, one value per item (:attr:`FormCatalogue.firm_items`);
* **107-1 企业研究开发项目情况** — one row per R&D project (:attr:`FormCatalogue.project_columns`).

Each item has a stable English key (used by rules, the database and the API), the Chinese name of
the form, a unit and — where the spec gives one — the row code of that year's form. Row codes and
code lists are **configuration per year**: ``catalogue_<year>.json`` next to this module (open decision 4:
re-verify them against each year's 一套表). A new year is a new file; keys stay stable.

Units (:class:`Unit`): money in 千元, persons in 人, working time in 人月, counts (个/件/项/篇), codes
(small integers from a code list), year-months ``YYYYMM`` and text. Numeric values are ``Decimal``
in the form's unit (see :mod:`.amounts`); a blank cell is 0, as on the statistics form.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path

from .amounts import ReportInputError, to_figure
from .sources import Source

__all__ = [
    "CodeList",
    "FormCatalogue",
    "Item",
    "Project",
    "Report",
    "Unit",
    "available_years",
    "form_catalogue",
]

DATA_DIR = Path(__file__).resolve().parent
"""Folder of ``catalogue_<year>.json`` and ``audit_rules_<year>.json``."""


class Unit(StrEnum):
    """Unit of an item or column."""

    MONEY = "money"
    """千元 (thousand yuan), at most 3 decimals."""
    PERSONS = "persons"
    """人, whole persons (rule R21b)."""
    PERSON_MONTHS = "person_months"
    """人月, may carry decimals."""
    COUNT = "count"
    """a count of things (个, 件, 项, 篇), whole numbers (rule R21b)."""
    CODE = "code"
    """a positive integer from a code list (e.g. 项目来源)."""
    YEAR_MONTH = "year_month"
    """``YYYYMM`` as an integer, e.g. 202503; 0 = not filled in."""
    TEXT = "text"
    """free text (项目名称)."""

    @property
    def numeric(self) -> bool:
        """True for figures the rules compute with (money, persons, person-months, counts)."""
        return self in (Unit.MONEY, Unit.PERSONS, Unit.PERSON_MONTHS, Unit.COUNT)

    @property
    def integer(self) -> bool:
        """True for whole-number figures (persons, counts)."""
        return self in (Unit.PERSONS, Unit.COUNT)


_UNIT_ZH = {
    Unit.MONEY: "千元",
    Unit.PERSONS: "人",
    Unit.PERSON_MONTHS: "人月",
    Unit.COUNT: "个",
    Unit.CODE: "",
    Unit.YEAR_MONTH: "",
    Unit.TEXT: "",
}


@dataclass(frozen=True)
class Item:
    """One item of 107-2 or one column of 107-1.

    Attributes:
        key: stable English key, e.g. ``"rd_expense_total"``.
        name_zh: Chinese name as on the form, e.g. ``"研究开发费用合计"``.
        unit: :class:`Unit`.
        unit_zh: displayed unit (``"千元"``, ``"人"``, ``"人月"``, ``"件"`` …).
        code: that year's row code (``"7"``) or ``None`` where the spec gives none.
        group: a grouping for pages (``"personnel"``, ``"expense"``, ``"funding"`` …), or ``""``.
        parent: key of the item this one is "of which" (其中) of, or ``None``.
        code_list: for ``Unit.CODE`` columns, the key of the code list.
    """

    key: str
    name_zh: str
    unit: Unit
    unit_zh: str
    code: str | None = None
    group: str = ""
    parent: str | None = None
    code_list: str | None = None

    @property
    def label_zh(self) -> str:
        """Name with the row code, e.g. ``"研究开发费用合计[7]"`` (no code: the name alone)."""
        return f"{self.name_zh}[{self.code}]" if self.code else self.name_zh


@dataclass(frozen=True)
class CodeList:
    """A code list of 107-1 (项目来源, 开展形式, 成果形式, 技术经济目标, 进展阶段).

    Attributes:
        key: e.g. ``"tech_goal"``.
        name_zh: e.g. ``"项目技术经济目标"``.
        values: code → Chinese meaning.
        confidence: ``"H"``/``"M"``/``"L"`` (most lists are placeholders to verify, [L]).
    """

    key: str
    name_zh: str
    values: Mapping[int, str]
    confidence: str


@dataclass(frozen=True)
class Project:
    """One row of 107-1 as entered.

    Attributes:
        values: column key → value: ``name`` text; codes and ``YYYYMM`` dates as ``int`` (or digit
            ``str``); figures as ``Decimal``/``int``/decimal ``str`` in the column's unit (千元, 人,
            人月). Missing columns are blank (0, or ``""`` for the name).
    """

    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    """One enterprise's annual R&D report: 107-2 totals and the 107-1 project rows.

    Attributes:
        year: the report year (selects ``catalogue_<year>.json`` and ``audit_rules_<year>.json``).
        firm: 107-2 item key → value in the item's unit (千元 money as ``Decimal``, ``int`` or decimal
            ``str``); missing items are blank (0).
        projects: the 107-1 rows, in form order (findings name a project by its index here).
    """

    year: int
    firm: Mapping[str, object] = field(default_factory=dict)
    projects: Sequence[Project] = ()

    @classmethod
    def from_codes(cls, year: int, by_code: Mapping[str, object], projects: Sequence[Project] = ()) -> Report:
        """Build a report from row codes (``{"1": 10, "7": "1000"}``) using that year's catalogue.

        Raises:
            ReportInputError: a code that the year's form does not have.
        """
        catalogue = form_catalogue(year)
        return cls(year, {catalogue.by_code(code).key: value for code, value in by_code.items()}, projects)


@dataclass(frozen=True)
class FormCatalogue:
    """Items, columns and code lists of one year's forms (from ``catalogue_<year>.json``).

    Attributes:
        year: report year.
        version: version string of the file.
        source: :class:`.sources.Source` of the form and its codes.
        firm_items: 107-2 key → :class:`Item`, in form order.
        project_columns: 107-1 key → :class:`Item`, in form order.
        code_lists: key → :class:`CodeList`.
    """

    year: int
    version: str
    source: Source
    firm_items: Mapping[str, Item]
    project_columns: Mapping[str, Item]
    code_lists: Mapping[str, CodeList]

    def item(self, key: str) -> Item:
        """The 107-2 item or 107-1 column with ``key``.

        Raises:
            ReportInputError: unknown key.
        """
        found = self.firm_items.get(key) or self.project_columns.get(key)
        if found is None:
            raise ReportInputError(key, "unknown item key", f"未知的填报项目：{key}")
        return found

    def by_code(self, code: str | int) -> Item:
        """The 107-2 item with row ``code`` in this year's form.

        Raises:
            ReportInputError: no item has that code.
        """
        text = str(code).strip().lstrip("0") or "0"
        for item in self.firm_items.values():
            if item.code == text:
                return item
        raise ReportInputError(str(code), "unknown row code", f"{self.year}年表式中没有代码为 {code} 的指标")

    @property
    def numeric_firm_keys(self) -> tuple[str, ...]:
        """Keys of the numeric 107-2 items, in form order."""
        return tuple(k for k, i in self.firm_items.items() if i.unit.numeric)

    @property
    def numeric_project_keys(self) -> tuple[str, ...]:
        """Keys of the numeric 107-1 columns (persons, person-months, money), in form order."""
        return tuple(k for k, i in self.project_columns.items() if i.unit.numeric)

    def read_firm(self, values: Mapping[str, object]) -> dict[str, Decimal]:
        """Every numeric 107-2 item as ``Decimal`` in its unit (blank → 0).

        Args:
            values: item key → value (see :class:`Report`).

        Returns:
            ``{key: Decimal}`` for all numeric items of the catalogue, in form order.

        Raises:
            ReportInputError: unknown key, non-numeric value, more than 3 decimals. Negative values
                are returned as they are: rule R21a reports them.
        """
        for key in values:
            if key not in self.firm_items:
                raise ReportInputError(key, "unknown 107-2 item key", f"107-2 表中没有该项目：{key}")
        return {key: to_figure(values.get(key), key) for key in self.numeric_firm_keys}

    def read_project(self, values: Mapping[str, object], index: int = 0) -> dict[str, object]:
        """One 107-1 row, normalised: figures and codes as ``Decimal``, dates as ``Decimal`` ``YYYYMM``
        (0 = blank), the name as ``str``.

        Raises:
            ReportInputError: unknown column, non-numeric figure, a code that is not a whole number
                ≥ 0, a date that is not a valid ``YYYYMM``; the error names ``projects[index].column``.
        """
        out: dict[str, object] = {}
        for key in values:
            if key not in self.project_columns:
                raise ReportInputError(
                    f"projects[{index}].{key}", "unknown 107-1 column", f"107-1 表中没有该栏目：{key}"
                )
        for key, column in self.project_columns.items():
            where = f"projects[{index}].{key}"
            raw = values.get(key)
            if column.unit is Unit.TEXT:
                out[key] = "" if raw is None else str(raw)
            elif column.unit in (Unit.CODE, Unit.YEAR_MONTH):
                out[key] = _read_code(raw, where, column)
            else:
                out[key] = to_figure(raw, where)
        return out


def _read_code(raw: object, where: str, column: Item) -> Decimal:
    number = to_figure(raw, where)
    if number < 0 or number != number.to_integral_value():
        raise ReportInputError(
            where, f"not a whole code: {raw!r}", f"{column.name_zh}须为非负整数代码（{raw}）"
        )
    if column.unit is Unit.YEAR_MONTH and number != 0:
        year, month = divmod(int(number), 100)
        if not (1900 <= year <= 2100 and 1 <= month <= 12):
            raise ReportInputError(
                where, f"not a YYYYMM date: {raw!r}", f"{column.name_zh}须为年月 YYYYMM（{raw}）"
            )
    return number


def _item(data: Mapping[str, object], where: str) -> Item:
    try:
        unit = Unit(str(data["unit"]))
        return Item(
            key=str(data["key"]),
            name_zh=str(data["name_zh"]),
            unit=unit,
            unit_zh=str(data.get("unit_zh") or _UNIT_ZH[unit]),
            code=None if data.get("code") is None else str(data["code"]),
            group=str(data.get("group", "")),
            parent=None if data.get("parent") is None else str(data["parent"]),
            code_list=None if data.get("code_list") is None else str(data["code_list"]),
        )
    except (KeyError, ValueError) as exc:
        raise ValueError(f"{where}: bad item {data!r}: {exc}") from exc


def _keyed(items: Iterable[Item], where: str) -> dict[str, Item]:
    out: dict[str, Item] = {}
    for item in items:
        if item.key in out:
            raise ValueError(f"{where}: duplicate key {item.key!r}")
        out[item.key] = item
    return out


def load_catalogue(path: Path) -> FormCatalogue:
    """Read a ``catalogue_<year>.json`` file.

    Raises:
        ValueError: malformed file (duplicate key or code, unknown parent or code list, a key used on
            both forms).
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    where = path.name
    firm = _keyed((_item(d, where) for d in data["firm_items"]), where)
    columns = _keyed((_item(d, where) for d in data["project_columns"]), where)
    lists = {
        key: CodeList(
            key, str(d["name_zh"]), {int(c): str(v) for c, v in d["values"].items()}, str(d["confidence"])
        )
        for key, d in data["code_lists"].items()
    }
    if set(firm) & set(columns):
        raise ValueError(f"{where}: keys on both forms: {sorted(set(firm) & set(columns))}")
    codes = [i.code for i in firm.values() if i.code is not None]
    if len(codes) != len(set(codes)):
        raise ValueError(f"{where}: duplicate row codes")
    for item in (*firm.values(), *columns.values()):
        if item.parent is not None and item.parent not in firm and item.parent not in columns:
            raise ValueError(f"{where}: {item.key}: unknown parent {item.parent!r}")
        if (item.unit is Unit.CODE) != (item.code_list is not None) or (
            item.code_list is not None and item.code_list not in lists
        ):
            raise ValueError(f"{where}: {item.key}: code columns need a known code list")
    return FormCatalogue(
        year=int(data["year"]),
        version=str(data["version"]),
        source=Source.from_json(data["source"], where),
        firm_items=firm,
        project_columns=columns,
        code_lists=lists,
    )


def available_years() -> tuple[int, ...]:
    """Years with a ``catalogue_<year>.json`` file, ascending."""
    return tuple(sorted(int(p.stem.rsplit("_", 1)[1]) for p in DATA_DIR.glob("catalogue_*.json")))


@cache
def form_catalogue(year: int) -> FormCatalogue:
    """The catalogue of report year ``year`` (cached).

    A year without its own file uses the latest earlier year's file, or else the earliest file (the
    keys are stable across years; the bureau adds a file when a year's codes differ).

    Raises:
        ValueError: no forms file at all.
    """
    return load_catalogue(DATA_DIR / f"catalogue_{nearest_year(available_years(), year)}.json")


def nearest_year(years: tuple[int, ...], year: int) -> int:
    """The latest of ``years`` not after ``year``, or else the earliest of ``years``.

    Raises:
        ValueError: ``years`` is empty.
    """
    if not years:
        raise ValueError("no configuration files")
    earlier = [y for y in years if y <= year]
    return earlier[-1] if earlier else years[0]
