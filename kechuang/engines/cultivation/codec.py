"""JSON codec of the cultivation engine: enterprise figures in, assessment results out (no framework).

Input: one JSON object, the *assessment input* (documented field by field in ``docs/assess_input.md``)::

    {
      "format_version": 1,                       optional; only 1 exists
      "evaluation_date": "2025-06-30",           optional; see below
      "config": {"score_point": "LOWER"},        optional; the bureau's interpretation choices
      "enterprise": {                            EnterpriseFigures, field names as in figures.py
        "name": "…", "establish_date": "2018-03-01", "tax_mode": "查账征收",
        "years": [{"year": 2024, "sales_revenue": "48000000.00", …}],
        "ip_items": [{"identifier": "ZL202310000001.5", "kind": "发明专利"}], …
      }
    }

Rules of the format:

* keys are the field names of :mod:`.figures` (and :class:`.config.BureauConfig` under ``config``);
  an unknown key or a key given twice is an error, never ignored;
* money in **yuan** (元) only, as a decimal string (``"1234.56"``, ``"-50"`` for net assets / net
  profit) or a JSON integer; persons (yearly averages) the same way. A ``float`` is refused: a
  JSON number with a fraction part is accepted only when the reader kept it exact as ``Decimal``
  (:func:`parse_json` and :func:`load_assessment_input` do; plain ``json.loads`` does not);
* enumerations by their Chinese value (``"发明专利"``) or member name (``"INVENTION_PATENT"``);
* dates ISO ``YYYY-MM-DD``; counts and years JSON integers; flags ``true`` / ``false``;
* ``null`` means "not known" wherever the engine has ``None`` (the check answers
  NEEDS_REVIEW(MISSING_DATA)); an omitted key takes the engine's default (``non_taxable_revenue``
  0, ``incidents`` not checked, IP flags as for a normal self-developed item, …);
* ``evaluation_date`` omitted or ``null``: **30 June of the year after the last fiscal year given**
  (the HNTE window is then exactly the last three fiscal years, the tech-SME data year the last one;
  :attr:`AssessmentInput.evaluation_date_defaulted` says so). A pure function cannot read "today".
* ``config`` may set the interpretation choices of :class:`.config.BureauConfig` (``rule_year``,
  ``score_point``, …); ``parameters_file`` and ``gazelle`` belong to the bureau's deployment and are
  refused. Callers that fix the choices themselves pass ``allow_config=False``.

Errors: :class:`CodecError` (a ``ValueError``) lists every :class:`Problem` found, each with a path
such as ``enterprise.years[2].rd_expense_hnte`` (``$`` = the whole document), a :class:`ProblemCode`
and a Chinese message from one table, so a command line and a web page show the same texts.

Output: :func:`assessment_to_json` / :func:`tier_result_to_json` turn results into JSON-ready
``dict``s (``Decimal`` → string, dates ISO, enumerations by value, every Chinese text built);
:func:`figures_to_json` is the inverse of :func:`figures_from_json`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from enum import Enum, StrEnum
from fractions import Fraction
from pathlib import Path
from typing import Any

from .coaching import assess
from .config import (
    BureauConfig,
    GrowthNegativeFirstYear,
    GrowthTwoOperatingYears,
    RegistrationAgeRule,
    ScorePoint,
    TransformationBelowOne,
)
from .figures import (
    Acquisition,
    AwardLevel,
    AwardRecord,
    EnterpriseFigures,
    ExpertInput,
    FiscalYearFigures,
    HnteCertificate,
    Incident,
    IncidentKind,
    InstitutionLevel,
    IPItem,
    IPKind,
    RdInstitution,
    RdManagementEvidence,
    StandardKind,
    StandardLevel,
    StandardRecord,
    StandardRole,
    TaxMode,
    TechField,
    TsmeRegistration,
)
from .results import (
    Assessment,
    CoachingItem,
    ConditionResult,
    NextBand,
    Reason,
    Remedy,
    ScorePart,
    Tier,
    TierResult,
)
from .sources import Source

__all__ = [
    "FORMAT_VERSION",
    "AssessmentInput",
    "CodecError",
    "Problem",
    "ProblemCode",
    "assessment_to_json",
    "figures_from_json",
    "expert_problems",
    "figures_to_json",
    "load_assessment_input",
    "parse_json",
    "tier_result_to_json",
]

FORMAT_VERSION = 1
"""Version of the assessment-input format written by :func:`figures_to_json`."""

ROOT = "$"
"""Path of the whole document in :class:`Problem`."""


# ----------------------------------------------------------------------------------------------- errors


class ProblemCode(StrEnum):
    """Kinds of input problem; :data:`_MESSAGES` holds the one Chinese text of each."""

    INVALID_JSON = "INVALID_JSON"
    WRONG_TYPE = "WRONG_TYPE"
    REQUIRED = "REQUIRED"
    NOT_NULL = "NOT_NULL"
    EMPTY = "EMPTY"
    UNKNOWN_FIELD = "UNKNOWN_FIELD"
    DUPLICATE_KEY = "DUPLICATE_KEY"
    NOT_ALLOWED = "NOT_ALLOWED"
    FLOAT = "FLOAT"
    INVALID_NUMBER = "INVALID_NUMBER"
    NEGATIVE = "NEGATIVE"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    INVALID_DATE = "INVALID_DATE"
    INVALID_CHOICE = "INVALID_CHOICE"
    DUPLICATE_YEAR = "DUPLICATE_YEAR"
    UNSUPPORTED_VERSION = "UNSUPPORTED_VERSION"
    INVALID = "INVALID"


_MESSAGES: dict[ProblemCode, str] = {
    ProblemCode.INVALID_JSON: "不是有效的 JSON：{detail}",
    ProblemCode.WRONG_TYPE: "类型错误：应为{detail}",
    ProblemCode.REQUIRED: "必填",
    ProblemCode.NOT_NULL: "不能为 null",
    ProblemCode.EMPTY: "不能为空字符串",
    ProblemCode.UNKNOWN_FIELD: "未知字段{detail}",
    ProblemCode.DUPLICATE_KEY: "字段重复出现",
    ProblemCode.NOT_ALLOWED: "不允许在输入中设置{detail}",
    ProblemCode.FLOAT: '不接受浮点数：请写成字符串（如 "1234.56"）或整数，以免二进制舍入',
    ProblemCode.INVALID_NUMBER: '不是有效的{detail}（应为十进制数字字符串，如 "1234.56"，或整数）',
    ProblemCode.NEGATIVE: "不能为负数",
    ProblemCode.OUT_OF_RANGE: "超出范围：{detail}",
    ProblemCode.INVALID_DATE: "不是有效的日期（应为 YYYY-MM-DD）",
    ProblemCode.INVALID_CHOICE: "不是有效的选项，可选：{detail}",
    ProblemCode.DUPLICATE_YEAR: "年度重复：{detail}",
    ProblemCode.UNSUPPORTED_VERSION: "不支持的格式版本（支持：{detail}）",
    ProblemCode.INVALID: "数据无效：{detail}",
}


@dataclass(frozen=True)
class Problem:
    """One problem in an input document.

    Attributes:
        path: where, e.g. ``enterprise.years[2].rd_expense_hnte``; ``$`` is the whole document.
        code: :class:`ProblemCode`.
        message_zh: Chinese message (from the one table of this module).
    """

    path: str
    code: ProblemCode
    message_zh: str

    def __str__(self) -> str:
        """``"path：message"``."""
        return f"{self.path}：{self.message_zh}"

    def to_json(self) -> dict[str, str]:
        """``{"path", "code", "message_zh"}`` for an error answer."""
        return {"path": self.path, "code": self.code.value, "message_zh": self.message_zh}


class CodecError(ValueError):
    """The input document has problems; :attr:`problems` lists all of them in document order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        """Keep ``problems`` (at least one); the text lists them one per line."""
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"输入有 {len(self.problems)} 处问题：\n{lines}")


def _problem(path: str, code: ProblemCode, detail: str = "") -> Problem:
    return Problem(path, code, _MESSAGES[code].format(detail=detail))


# ----------------------------------------------------------------------------------------------- field tables

_MONEY, _SIGNED, _PERSONS, _INT, _BOOL, _TEXT, _DATE, _ENUM, _OBJECT, _LIST, _EXPERT = (
    "money",
    "signed",
    "persons",
    "int",
    "bool",
    "text",
    "date",
    "enum",
    "object",
    "list",
    "expert",
)
_NUMBER_NAMES = {_MONEY: "金额（元）", _SIGNED: "金额（元）", _PERSONS: "人数"}


@dataclass(frozen=True)
class _Spec:
    """How one field is read and written. ``target``: the enum class (``_ENUM``) or the dataclass of
    the nested object / list items (``_OBJECT``, ``_LIST``)."""

    kind: str
    required: bool = False
    nullable: bool = False
    minimum: int | None = None
    maximum: int | None = None
    target: type | None = None


_YEAR = _Spec(_INT, required=True, minimum=1900, maximum=2999)
_M = _Spec(_MONEY, nullable=True)
_P = _Spec(_PERSONS, nullable=True)
_B = _Spec(_BOOL)
_B_NULL = _Spec(_BOOL, nullable=True)
_REQ_TEXT = _Spec(_TEXT, required=True)
_REQ_DATE = _Spec(_DATE, required=True)


def _enum(cls: type[StrEnum], *, required: bool = False, nullable: bool = False) -> _Spec:
    return _Spec(_ENUM, required=required, nullable=nullable, target=cls)


_FIELDS: dict[type, dict[str, _Spec]] = {
    FiscalYearFigures: {
        "year": _YEAR,
        "staff_total_avg": _P,
        "tech_staff_avg": _P,
        "tsme_staff_total": _P,
        "tsme_tech_staff": _P,
        "sales_revenue": _M,
        "total_revenue": _M,
        "non_taxable_revenue": _M,
        "hitech_revenue": _M,
        "total_costs_and_expenses": _M,
        "total_assets": _M,
        "net_assets": _Spec(_SIGNED, nullable=True),
        "net_profit": _Spec(_SIGNED, nullable=True),
        "rd_expense_hnte": _M,
        "rd_expense_hnte_domestic": _M,
        "rd_expense_super_deduction": _M,
        "achievements_transformed": _Spec(_INT, nullable=True, minimum=0),
    },
    IPItem: {
        "identifier": _REQ_TEXT,
        "kind": _enum(IPKind, required=True),
        "acquisition": _enum(Acquisition),
        "in_force": _B,
        "granted_in_china": _B,
        "owned_by_applicant": _B,
        "related_to_main_products": _B,
        "in_dispute": _B,
        "used_in_previous_recognition": _B,
        "claimed_by_co_owner": _B,
    },
    StandardRecord: {
        "title": _REQ_TEXT,
        "level": _enum(StandardLevel, required=True),
        "role": _enum(StandardRole, required=True),
        "date": _REQ_DATE,
        "recognized": _B,
        "kind": _enum(StandardKind),
    },
    AwardRecord: {
        "title": _REQ_TEXT,
        "level": _enum(AwardLevel, required=True),
        "date": _REQ_DATE,
        "rank": _Spec(_INT, minimum=1),
    },
    RdInstitution: {"name": _REQ_TEXT, "level": _enum(InstitutionLevel, required=True)},
    Incident: {
        "date": _REQ_DATE,
        "kind": _enum(IncidentKind, required=True),
        "description": _Spec(_TEXT),
    },
    HnteCertificate: {
        "number": _REQ_TEXT,
        "issue_date": _REQ_DATE,
        "validity_years": _Spec(_INT, minimum=1, maximum=10),
    },
    TsmeRegistration: {"number": _REQ_TEXT, "year": _YEAR},
    RdManagementEvidence: {f.name: _B for f in fields(RdManagementEvidence)},
    EnterpriseFigures: {
        "name": _REQ_TEXT,
        "establish_date": _REQ_DATE,
        "years": _Spec(_LIST, target=FiscalYearFigures),
        "uscc": _Spec(_TEXT, nullable=True),
        "is_resident_enterprise": _B_NULL,
        "registered_in_mainland": _B_NULL,
        "is_local_legal_person": _B_NULL,
        "tax_mode": _enum(TaxMode, nullable=True),
        "tech_field": _enum(TechField, nullable=True),
        "in_restricted_catalogue": _B_NULL,
        "in_super_deduction_excluded_industry": _B_NULL,
        "ip_items": _Spec(_LIST, target=IPItem),
        "rd_management": _Spec(_OBJECT, target=RdManagementEvidence),
        "standards": _Spec(_LIST, target=StandardRecord),
        "awards": _Spec(_LIST, target=AwardRecord),
        "rd_institutions": _Spec(_LIST, target=RdInstitution),
        "incidents": _Spec(_LIST, nullable=True, target=Incident),
        "on_abnormal_operation_list": _B_NULL,
        "on_serious_violation_list": _B_NULL,
        "hnte_certificate": _Spec(_OBJECT, nullable=True, target=HnteCertificate),
        "tsme_registration": _Spec(_OBJECT, nullable=True, target=TsmeRegistration),
        "expert": _Spec(_EXPERT),
    },
}

_CONFIG_FIELDS: dict[str, _Spec] = {
    "rule_year": _Spec(_INT, nullable=True, minimum=1900, maximum=2999),
    "score_point": _enum(ScorePoint),
    "transformation_below_one": _enum(TransformationBelowOne),
    "growth_negative_first_year": _enum(GrowthNegativeFirstYear),
    "growth_two_operating_years": _enum(GrowthTwoOperatingYears),
    "registration_age_rule": _enum(RegistrationAgeRule),
    "tsme_exclude_super_deduction_industries": _B,
    "tsme_staff_fallback_to_hnte_counting": _B,
}
_CONFIG_DEPLOYMENT_ONLY = ("parameters_file", "gazelle")
"""BureauConfig fields the bureau sets in its deployment, never in an input document."""

_TOP_FIELDS = ("format_version", "evaluation_date", "config", "enterprise")
_EXPERT_BAND_ITEMS = ("A1", "A2")  # HT-G A1, A2: expert-judged items with bands A–E
_EXPERT_POINT_IDS = ("A", "A1", "A2", "A3", "A4", "A5", "B", "C", "C1", "C2", "C3", "C4", "D", "D1", "D2")
_DECIMAL_TEXT = re.compile(r"-?\d+(\.\d+)?")
MAX_DIGITS = 14
MAX_AMOUNT = 10**MAX_DIGITS
"""Amounts (yuan) and persons must be smaller than this: what the platform's columns hold, and a bound
that keeps exact arithmetic fast (a number such as ``1e999999999`` would take minutes to expand)."""
MAX_DECIMALS = 6
"""Decimal places a figure may carry (money needs 2; persons averages a few)."""
_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _join(path: str, key: str) -> str:
    name = key if _IDENTIFIER.fullmatch(key) else json.dumps(key, ensure_ascii=False)
    if path == ROOT:
        return name
    return f"{path}.{name}" if _IDENTIFIER.fullmatch(key) else f"{path}[{name}]"


# ----------------------------------------------------------------------------------------------- reading


class _JsonObject(dict[str, Any]):
    """A JSON object from :func:`parse_json` that remembers keys given more than once."""

    duplicates: tuple[str, ...] = ()


def _object_pairs(pairs: list[tuple[str, Any]]) -> _JsonObject:
    obj = _JsonObject()
    seen: list[str] = []
    for key, value in pairs:
        if key in obj:
            seen.append(key)
        obj[key] = value
    if seen:
        obj.duplicates = tuple(seen)
    return obj


_JSON_ERRORS_ZH = {
    "Expecting value": "缺少值",
    "Expecting property name enclosed in double quotes": "字段名须用英文双引号括起",
    "Expecting ',' delimiter": "缺少英文逗号",
    "Expecting ':' delimiter": "缺少英文冒号",
    "Unterminated string starting at": "字符串缺少结束引号",
    "Extra data": "末尾有多余内容",
    "Invalid control character at": "含有控制字符",
}
"""Chinese for the messages of Python's JSON reader."""


def parse_json(text: str | bytes) -> Any:
    """Parse JSON text exactly: numbers with a fraction part (and ``NaN`` / ``Infinity``) become
    ``Decimal``, never ``float``; keys given twice in an object are remembered and reported by
    :func:`figures_from_json`.

    Args:
        text: JSON text; ``bytes`` are decoded as UTF-8 (a byte-order mark is allowed).

    Returns:
        The parsed value (objects are ``dict`` subclasses).

    Raises:
        CodecError: for text that is not JSON or not UTF-8 (one problem at ``$`` with line and column),
            or whose strings hold a lone surrogate (``"\\ud800"``: no character; it could not be shown).
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CodecError(
                [_problem(ROOT, ProblemCode.INVALID_JSON, f"不是 UTF-8 编码（{exc.reason}）")]
            ) from exc
    text = text.removeprefix("\ufeff")
    try:
        value = json.loads(text, parse_float=Decimal, parse_constant=Decimal, object_pairs_hook=_object_pairs)
    except json.JSONDecodeError as exc:
        detail = f"第 {exc.lineno} 行第 {exc.colno} 列附近格式有误（{_JSON_ERRORS_ZH.get(exc.msg, exc.msg)}）"
        raise CodecError([_problem(ROOT, ProblemCode.INVALID_JSON, detail)]) from exc
    except RecursionError as exc:
        raise CodecError([_problem(ROOT, ProblemCode.INVALID_JSON, "嵌套层数过多")]) from exc
    except ValueError as exc:  # an integer of thousands of digits (Python's int-conversion limit)
        raise CodecError([_problem(ROOT, ProblemCode.INVALID_JSON, "数字位数过多")]) from exc
    if _has_lone_surrogate(value):
        raise CodecError([_problem(ROOT, ProblemCode.INVALID_JSON,
                                   "含有无效字符（单独的 UTF-16 代理项，如 \\ud800，不是任何文字）")])
    return value


def _has_lone_surrogate(value: Any) -> bool:
    """Whether a parsed JSON value holds a string (key or value) with a lone surrogate (``"\\ud800"``
    in JSON text), which is no character and cannot be stored or shown."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


_INVALID = object()
"""Marker of a value that could not be read (its problem is already recorded)."""


class _Reader:
    """Reads a parsed JSON value into engine objects, collecting every problem on the way."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, code: ProblemCode, detail: str = "") -> object:
        """Record a problem; returns :data:`_INVALID` so that readers can ``return self.add(…)``."""
        self.problems.append(_problem(path, code, detail))
        return _INVALID

    def mapping(self, value: Any, path: str, allowed: Iterable[str]) -> Mapping[str, Any] | None:
        """``value`` when it is an object; records unknown and repeated keys (the object is still read)."""
        if not isinstance(value, Mapping):
            self.add(path, ProblemCode.WRONG_TYPE, "对象（{…}）")
            return None
        allowed = tuple(allowed)
        for key in getattr(value, "duplicates", ()):
            self.add(_join(path, key), ProblemCode.DUPLICATE_KEY)
        for key in value:
            if not isinstance(key, str):
                self.add(path, ProblemCode.WRONG_TYPE, "以字符串为键的对象")
            elif key not in allowed:
                self.add(_join(path, key), ProblemCode.UNKNOWN_FIELD, _unknown_hint(key, allowed))
        return value

    def read(self, value: Any, path: str, spec: _Spec) -> Any:
        """One field value (not ``None``) by its spec; :data:`_INVALID` after recording a problem."""
        kind = spec.kind
        if kind in _NUMBER_NAMES:
            return self.decimal(value, path, kind)
        if kind == _INT:
            return self.integer(value, path, spec.minimum, spec.maximum)
        if kind == _BOOL:
            return (
                value if isinstance(value, bool) else self.add(path, ProblemCode.WRONG_TYPE, "true 或 false")
            )
        if kind == _TEXT:
            if not isinstance(value, str):
                return self.add(path, ProblemCode.WRONG_TYPE, "字符串")
            if spec.required and not value.strip():
                return self.add(path, ProblemCode.EMPTY)
            return value
        if kind == _DATE:
            return self.date(value, path)
        if kind == _ENUM:
            return self.choice(value, path, spec.target)  # type: ignore[arg-type]
        if kind == _OBJECT:
            return self.record(value, path, spec.target)  # type: ignore[arg-type]
        if kind == _LIST:
            return self.records(value, path, spec.target)  # type: ignore[arg-type]
        return self.expert(value, path)

    def fields(self, data: Mapping[str, Any], path: str, table: Mapping[str, _Spec]) -> dict[str, Any]:
        """Read the fields of ``table`` present in ``data``; missing required ones are recorded."""
        values: dict[str, Any] = {}
        for name, spec in table.items():
            sub = _join(path, name)
            if name not in data:
                if spec.required:
                    self.add(sub, ProblemCode.REQUIRED)
                continue
            raw = data[name]
            if raw is None:
                if spec.nullable:
                    values[name] = None
                else:
                    self.add(sub, ProblemCode.REQUIRED if spec.required else ProblemCode.NOT_NULL)
                continue
            value = self.read(raw, sub, spec)
            if value is not _INVALID:
                values[name] = value
        return values

    def record(self, value: Any, path: str, cls: type) -> Any:
        """A dataclass of :data:`_FIELDS` from an object; :data:`_INVALID` when anything in it is wrong."""
        table = _FIELDS[cls]
        data = self.mapping(value, path, table)
        if data is None:
            return _INVALID
        before = len(self.problems)
        values = self.fields(data, path, table)
        if len(self.problems) > before:
            return _INVALID
        try:
            return cls(**values)
        except (TypeError, ValueError) as exc:  # a rule of the dataclass not checked above
            return self.add(path, ProblemCode.INVALID, str(exc))

    def records(self, value: Any, path: str, cls: type) -> Any:
        """A tuple of dataclasses from a list; for fiscal years, a year given twice is recorded."""
        if not isinstance(value, list | tuple):
            return self.add(path, ProblemCode.WRONG_TYPE, "数组（[…]）")
        before = len(self.problems)
        items = [self.record(item, f"{path}[{i}]", cls) for i, item in enumerate(value)]
        if cls is FiscalYearFigures:
            first: dict[int, int] = {}
            for i, row in enumerate(items):
                if row is _INVALID:
                    continue
                if row.year in first:
                    detail = f"{row.year} 年已在 {path}[{first[row.year]}] 给出"
                    self.add(f"{path}[{i}].year", ProblemCode.DUPLICATE_YEAR, detail)
                else:
                    first[row.year] = i
        return _INVALID if len(self.problems) > before else tuple(items)

    def decimal(self, value: Any, path: str, kind: str) -> Any:
        """Money or persons as ``Decimal`` from an ``int``, a ``Decimal`` or a plain decimal string."""
        what = _NUMBER_NAMES[kind]
        if isinstance(value, float):
            return self.add(path, ProblemCode.FLOAT)
        if isinstance(value, bool):
            return self.add(path, ProblemCode.WRONG_TYPE, f"{what}（字符串或整数）")
        if isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, Decimal):
            number = value
        elif isinstance(value, str):
            text = value.strip()
            if not _DECIMAL_TEXT.fullmatch(text):
                return self.add(path, ProblemCode.INVALID_NUMBER, what)
            number = Decimal(text)
        else:
            return self.add(path, ProblemCode.WRONG_TYPE, f"{what}（字符串或整数）")
        if not number.is_finite():
            return self.add(path, ProblemCode.INVALID_NUMBER, what)
        if number and number.adjusted() >= MAX_DIGITS:  # by the exponent: no arithmetic on a huge number
            return self.add(path, ProblemCode.OUT_OF_RANGE, f"绝对值应小于 {MAX_AMOUNT:,}")
        if number and (number.adjusted() < -MAX_DECIMALS or number.normalize().as_tuple().exponent < -MAX_DECIMALS):
            return self.add(path, ProblemCode.OUT_OF_RANGE, f"最多 {MAX_DECIMALS} 位小数")
        if number < 0 and kind != _SIGNED:
            return self.add(path, ProblemCode.NEGATIVE)
        return number

    def integer(self, value: Any, path: str, minimum: int | None = None, maximum: int | None = None) -> Any:
        """A JSON integer (not a flag, float or string) within ``[minimum, maximum]`` when given."""
        if isinstance(value, float):
            return self.add(path, ProblemCode.FLOAT)
        if isinstance(value, bool) or not isinstance(value, int):
            return self.add(path, ProblemCode.WRONG_TYPE, "整数")
        if abs(value) >= MAX_AMOUNT:
            return self.add(path, ProblemCode.OUT_OF_RANGE, f"绝对值应小于 {MAX_AMOUNT:,}")
        if minimum is not None and value < minimum or maximum is not None and value > maximum:
            low = "" if minimum is None else f"≥ {minimum}"
            high = "" if maximum is None else f"≤ {maximum}"
            return self.add(path, ProblemCode.OUT_OF_RANGE, f"应{'且'.join(x for x in (low, high) if x)}")
        return value

    def date(self, value: Any, path: str) -> Any:
        """A date from ``YYYY-MM-DD``."""
        if not isinstance(value, str):
            return self.add(path, ProblemCode.WRONG_TYPE, "日期字符串 YYYY-MM-DD")
        if _DATE_TEXT.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        return self.add(path, ProblemCode.INVALID_DATE)

    def choice(self, value: Any, path: str, cls: type[StrEnum]) -> Any:
        """A member of ``cls`` by its value or (case-insensitive) member name."""
        if isinstance(value, str):
            if value in cls._value2member_map_:
                return cls(value)
            member = cls.__members__.get(value.strip().upper())
            if member is not None:
                return member
        options = "、".join(m.value for m in cls)
        example = next(iter(cls)).name
        return self.add(path, ProblemCode.INVALID_CHOICE, f"{options}（也可写成员名，如 {example}）")

    def expert(self, value: Any, path: str) -> Any:
        """An :class:`.figures.ExpertInput`: band letters of A1 / A2, integer points ≥ 0 per item or part."""
        data = self.mapping(value, path, ("bands", "points"))
        if data is None:
            return _INVALID
        before = len(self.problems)
        bands: dict[str, str] = {}
        points: dict[str, int] = {}
        for key, ids, out in (("bands", _EXPERT_BAND_ITEMS, bands), ("points", _EXPERT_POINT_IDS, points)):
            sub = _join(path, key)
            if key not in data:
                continue
            given = self.mapping(data[key], sub, ids)
            if given is None:
                continue
            for item, raw in given.items():
                if item not in ids:
                    continue  # recorded as unknown by mapping()
                where = _join(sub, item)
                if key == "bands":
                    if isinstance(raw, str) and raw in "ABCDE" and len(raw) == 1:
                        out[item] = raw
                    else:
                        self.add(where, ProblemCode.INVALID_CHOICE, "A、B、C、D、E")
                else:
                    number = self.integer(raw, where, minimum=0)
                    if number is not _INVALID:
                        out[item] = number
        return _INVALID if len(self.problems) > before else ExpertInput(bands=bands, points=points)

    def config(self, value: Any, path: str, base: BureauConfig) -> Any:
        """``base`` with the document's choices; deployment-only fields are refused."""
        data = self.mapping(value, path, (*_CONFIG_FIELDS, *_CONFIG_DEPLOYMENT_ONLY))
        if data is None:
            return _INVALID
        before = len(self.problems)
        for name in _CONFIG_DEPLOYMENT_ONLY:
            if name in data:
                self.add(_join(path, name), ProblemCode.NOT_ALLOWED, "：由局方在部署配置中设定")
        values = self.fields(data, path, _CONFIG_FIELDS)
        return _INVALID if len(self.problems) > before else replace(base, **values)

    def check_expert_ranges(self, enterprise: EnterpriseFigures, config: BureauConfig, year: int) -> None:
        """Expert points above the item's maximum, by the rule parameters in force (skipped when none
        are: :func:`.coaching.assess` then raises ``LookupError`` itself)."""
        try:
            params = config.parameters(year).hnte
        except LookupError:
            return
        maxima = {**params.part_max, **params.item_max}
        for item, points in enterprise.expert.points.items():
            top = maxima.get(item)
            if top is not None and points > top:
                where = f"enterprise.expert.points.{item}"
                self.add(where, ProblemCode.OUT_OF_RANGE, f"{item} 满分 {top} 分，应在 0–{top} 之间")


def expert_problems(points: Any, bands: Any, year: int, config: BureauConfig | None = None) -> list[Problem]:
    """Problems of expert judgements entered outside a document (a profile form): the same checks as the
    document's ``enterprise.expert`` (known item ids, bands A–E, integer points ≥ 0 and at most the
    item's maximum in the rule parameters of ``year``). Paths are ``points.<id>`` / ``bands.<id>``.

    Returns:
        The problems, empty when the judgements are valid.
    """
    reader = _Reader()
    expert = reader.expert({"points": points, "bands": bands}, ROOT)
    if expert is not _INVALID:
        figures = EnterpriseFigures(name="", establish_date=dt.date(year, 1, 1), expert=expert)
        reader.check_expert_ranges(figures, config or BureauConfig(), year)
    return [replace(p, path=p.path.removeprefix("enterprise.expert.").lstrip(".")) for p in reader.problems]


def _unknown_hint(key: str, allowed: tuple[str, ...]) -> str:
    if key == "unit":
        return "：金额一律以元为单位，不设 unit 字段"
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.75)
    if close:
        return f"（是否为 {close[0]}？）"
    return ""


@dataclass(frozen=True)
class AssessmentInput:
    """A read assessment input: what :func:`.coaching.assess` needs.

    Attributes:
        enterprise: the enterprise's figures.
        evaluation_date: the date to assess for (given, or the default of the format).
        config: the bureau's choices: the caller's base configuration with the document's ``config``.
        evaluation_date_defaulted: ``True`` when the document gave no date and the default
            (30 June of the year after the last fiscal year) was used.
    """

    enterprise: EnterpriseFigures
    evaluation_date: dt.date
    config: BureauConfig = field(default_factory=BureauConfig)
    evaluation_date_defaulted: bool = False

    def assess(self) -> Assessment:
        """``assess(enterprise, evaluation_date, config)``; raises as :func:`.coaching.assess` does."""
        return assess(self.enterprise, self.evaluation_date, self.config)


def figures_from_json(
    data: Any, *, base_config: BureauConfig | None = None, allow_config: bool = True
) -> AssessmentInput:
    """Read an assessment-input document (already parsed, see :func:`parse_json`).

    Args:
        data: the document: ``{"format_version"?, "evaluation_date"?, "config"?, "enterprise"}``
            (module docstring; ``docs/assess_input.md``). Money and persons as decimal strings,
            integers or ``Decimal`` (yuan / persons); ``float`` is refused.
        base_config: the caller's :class:`.config.BureauConfig` (default: the spec's defaults); the
            document's ``config`` overrides its choices.
        allow_config: ``False`` refuses a ``config`` key (NOT_ALLOWED), for callers that fix the choices.

    Returns:
        :class:`AssessmentInput`; ``evaluation_date`` defaults to 30 June of the year after the last
        fiscal year when the document gives none.

    Raises:
        CodecError: listing every problem with its path (unknown or repeated keys, missing required
            fields, wrong types, floats, malformed or negative amounts, unknown enumeration values,
            bad dates, a fiscal year given twice, expert points out of range, no date and no years).
    """
    reader = _Reader()
    top = reader.mapping(data, ROOT, _TOP_FIELDS)
    if top is None:
        raise CodecError(reader.problems)
    if "format_version" in top:
        version = top["format_version"]
        if isinstance(version, bool) or version != FORMAT_VERSION:
            reader.add("format_version", ProblemCode.UNSUPPORTED_VERSION, str(FORMAT_VERSION))
    evaluation_date: Any = None
    if top.get("evaluation_date") is not None:
        evaluation_date = reader.date(top["evaluation_date"], "evaluation_date")
    config = base_config or BureauConfig()
    if "config" in top:
        if not allow_config:
            reader.add("config", ProblemCode.NOT_ALLOWED, "评价口径（由调用方设定）")
        elif top["config"] is not None:
            config = reader.config(top["config"], "config", config)
    enterprise: Any = _INVALID
    if "enterprise" not in top or top["enterprise"] is None:
        reader.add("enterprise", ProblemCode.REQUIRED)
    else:
        enterprise = reader.record(top["enterprise"], "enterprise", EnterpriseFigures)
    if reader.problems:
        raise CodecError(reader.problems)
    defaulted = evaluation_date is None
    if defaulted:
        if not enterprise.years:
            raise CodecError([_problem("evaluation_date", ProblemCode.REQUIRED)])
        evaluation_date = dt.date(max(row.year for row in enterprise.years) + 1, 6, 30)
    reader.check_expert_ranges(enterprise, config, evaluation_date.year)
    if reader.problems:
        raise CodecError(reader.problems)
    return AssessmentInput(enterprise, evaluation_date, config, defaulted)


def load_assessment_input(
    source: str | bytes | os.PathLike[str],
    *,
    base_config: BureauConfig | None = None,
    allow_config: bool = True,
) -> AssessmentInput:
    """Read an assessment-input document from a file or from JSON text.

    Args:
        source: a path (``os.PathLike``, or a ``str`` not starting with ``{`` / ``[``), JSON text
            (a ``str`` starting with ``{`` or ``[`` after white space), or ``bytes`` of JSON text
            (an uploaded file, a request body). Text is UTF-8, a byte-order mark is allowed.
        base_config, allow_config: as for :func:`figures_from_json`.

    Returns:
        :class:`AssessmentInput`.

    Raises:
        CodecError: for text that is not JSON, and every problem :func:`figures_from_json` finds.
        OSError: when the file cannot be read.
    """
    if isinstance(source, str) and source.lstrip()[:1] in ("{", "["):
        text: str | bytes = source
    elif isinstance(source, bytes):
        text = source
    else:
        text = Path(source).read_bytes()
    return figures_from_json(parse_json(text), base_config=base_config, allow_config=allow_config)


# ----------------------------------------------------------------------------------------------- writing


def _decimal_text(value: Decimal) -> str:
    """Plain notation, never an exponent: ``Decimal("1E+2")`` → ``"100"``."""
    return format(value, "f")


def _write_value(value: Any, spec: _Spec) -> Any:
    if value is None:
        return None
    kind = spec.kind
    if kind in _NUMBER_NAMES:
        return _decimal_text(value)
    if kind == _DATE:
        return value.isoformat()
    if kind == _ENUM:
        return value.value
    if kind == _OBJECT:
        return _write_record(value)
    if kind == _LIST:
        return [_write_record(item) for item in value]
    if kind == _EXPERT:
        return {"bands": dict(value.bands), "points": dict(value.points)}
    return value  # int, bool, str


def _write_record(obj: Any) -> dict[str, Any]:
    return {name: _write_value(getattr(obj, name), spec) for name, spec in _FIELDS[type(obj)].items()}


def figures_to_json(
    enterprise: EnterpriseFigures,
    evaluation_date: dt.date | None = None,
    config: BureauConfig | None = None,
) -> dict[str, Any]:
    """Write an assessment-input document: the inverse of :func:`figures_from_json`.

    ``figures_from_json(figures_to_json(e, d, c))`` gives back ``e``, ``d`` and ``c`` (equal values),
    also after ``json.dumps`` and :func:`parse_json`.

    Args:
        enterprise: the figures; every field is written (``None`` as ``null``), money and persons as
            plain decimal strings in yuan / persons, enumerations by their Chinese value.
        evaluation_date: written when given (otherwise the reader's default applies).
        config: its choices that differ from the defaults are written under ``config``.

    Returns:
        A JSON-ready ``dict`` (``json.dumps(..., ensure_ascii=False)`` writes it).

    Raises:
        ValueError: when ``config`` sets ``parameters_file`` or ``gazelle`` (not part of the format).
    """
    document: dict[str, Any] = {"format_version": FORMAT_VERSION}
    if evaluation_date is not None:
        document["evaluation_date"] = evaluation_date.isoformat()
    if config is not None:
        for name in _CONFIG_DEPLOYMENT_ONLY:
            if getattr(config, name) is not None:
                raise ValueError(f"BureauConfig.{name} is set by the deployment, not written to the input")
        default = BureauConfig()
        choices = {
            name: _write_value(getattr(config, name), spec)
            for name, spec in _CONFIG_FIELDS.items()
            if getattr(config, name) != getattr(default, name)
        }
        if choices:
            document["config"] = choices
    document["enterprise"] = _write_record(enterprise)
    return document


def _plain(value: Any) -> Any:
    """A result value as JSON: ``Decimal`` → plain string, ``Fraction`` → ``"p/q"``, dates ISO,
    enumerations by value, sequences → lists, mappings → objects."""
    if value is None or isinstance(value, bool | int) and not isinstance(value, Enum):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    raise TypeError(f"no JSON form for {type(value).__name__}: {value!r}")


def _reason(reason: Reason | None) -> dict[str, str] | None:
    return None if reason is None else {"code": reason.value, "label_zh": reason.label_zh}


def _source(source: Source) -> dict[str, str]:
    return {
        "document": source.document,
        "article": source.article,
        "confidence": source.confidence,
        "also": source.also,
        "cite": source.cite(),
    }


def _remedy(remedy: Remedy | None) -> dict[str, Any] | None:
    if remedy is None:
        return None
    return {
        "label_zh": remedy.label_zh,
        "amount": _plain(remedy.amount),
        "unit": remedy.unit.value,
        "increase": remedy.increase,
        "actionable": remedy.actionable,
        "until": _plain(remedy.until),
    }


def _condition(cond: ConditionResult) -> dict[str, Any]:
    return {
        "condition_id": cond.condition_id,
        "name_zh": cond.name_zh,
        "verdict": cond.verdict.value,
        "label": cond.label,
        "reason": _reason(cond.reason),
        "actual": _plain(cond.actual),
        "threshold": _plain(cond.threshold),
        "comparator": cond.comparator,
        "unit": cond.unit.value,
        "source": _source(cond.source),
        "message_zh": cond.message_zh,
        "remedy": _remedy(cond.remedy),
        "figures": _plain(cond.figures),
    }


def _next_band(hint: NextBand | None) -> dict[str, Any] | None:
    if hint is None:
        return None
    return {
        "band": hint.band,
        "points_min": hint.points_min,
        "points_max": hint.points_max,
        "message_zh": hint.message_zh,
        "remedy": _remedy(hint.remedy),
    }


def _score_part(part: ScorePart) -> dict[str, Any]:
    return {
        "part_id": part.part_id,
        "name_zh": part.name_zh,
        "max_points": part.max_points,
        "score_min": part.score_min,
        "score_max": part.score_max,
        "points_short": part.points_short,
        "band": part.band,
        "basis": part.basis.value,
        "actual": _plain(part.actual),
        "review": _reason(part.review),
        "source": _source(part.source),
        "message_zh": part.message_zh,
        "next_band": _next_band(part.next_band),
        "children": [_score_part(child) for child in part.children],
    }


def _coaching_item(item: CoachingItem) -> dict[str, Any]:
    return {
        "tier": item.tier.value,
        "tier_zh": item.tier.label_zh,
        "item_id": item.item_id,
        "verdict": item.verdict.value,
        "text_zh": item.text_zh,
        "remedy": _remedy(item.remedy),
        "points_short": item.points_short,
        "feasible": item.feasible,
        "routes": [
            {
                "item_id": item_id,
                "feasible": route.feasible,
                "remedies": [_remedy(r) for r in route.remedies],
                "broken_zh": list(route.broken),
                "note_zh": route.note_zh,
            }
            for item_id, route in item.routes
        ],
    }


def tier_result_to_json(result: TierResult) -> dict[str, Any]:
    """One tier's result as a JSON-ready ``dict`` (every Chinese text is built).

    Returns:
        ``{"tier", "tier_zh", "verdict", "label", "reasons": [{"code", "label_zh"}], "route",
        "score_min", "score_max", "score_point", "pass_score", "rule_version", "evaluation_date",
        "notes_zh", "dropped_ip", "conditions": [...], "score_parts": [...]}``. A condition has
        ``condition_id, name_zh, verdict, label, reason, actual, threshold, comparator, unit, source
        {document, article, confidence, also, cite}, message_zh, remedy, figures``; a score part has
        ``part_id, name_zh, max_points, score_min, score_max, points_short, band, basis, actual,
        review, source, message_zh, next_band {band, points_min, points_max, message_zh, remedy},
        children``; a remedy ``{label_zh, amount, unit, increase, actionable, until}``. Units: money
        yuan and ratios fractions as decimal strings, points / persons / counts as given (``int``
        stays a JSON integer), ``unit`` by its Chinese value (元, 比例, 人, 件, 分 …).
    """
    return {
        "tier": result.tier.value,
        "tier_zh": result.tier.label_zh,
        "verdict": result.verdict.value,
        "label": result.label,
        "reasons": [_reason(r) for r in result.reasons],
        "route": result.route,
        "score_min": result.score_min,
        "score_max": result.score_max,
        "score_point": result.score_point,
        "pass_score": result.pass_score,
        "rule_version": result.rule_version,
        "evaluation_date": result.evaluation_date.isoformat(),
        "notes_zh": list(result.notes_zh),
        "dropped_ip": list(result.dropped_ip),
        "conditions": [_condition(c) for c in result.conditions],
        "score_parts": [_score_part(p) for p in result.score_parts],
    }


def assessment_to_json(assessment: Assessment) -> dict[str, Any]:
    """An :class:`.results.Assessment` as a JSON-ready ``dict`` (every Chinese text is built).

    Returns:
        ``{"enterprise", "evaluation_date", "rule_version", "highest_tier_passed",
        "highest_tier_passed_zh", "next_tier", "next_tier_zh", "tiers": {"TSME": …, "HNTE": …,
        "GAZELLE": …}, "coaching": [{"tier", "tier_zh", "item_id", "verdict", "text_zh", "remedy",
        "points_short", "feasible", "routes": [{"item_id", "feasible", "remedies", "broken_zh",
        "note_zh"}]}]}`` (routes: each suggested change checked against all conditions of the tier, see
        :mod:`.feasibility`); tiers as :func:`tier_result_to_json`, tier codes ``null`` when none.
    """
    highest, target = assessment.highest_tier_passed, assessment.next_tier
    return {
        "enterprise": assessment.enterprise,
        "evaluation_date": assessment.evaluation_date.isoformat(),
        "rule_version": assessment.rule_version,
        "highest_tier_passed": None if highest is None else highest.value,
        "highest_tier_passed_zh": None if highest is None else highest.label_zh,
        "next_tier": None if target is None else target.value,
        "next_tier_zh": None if target is None else target.label_zh,
        "tiers": {tier.value: tier_result_to_json(assessment.tier(tier)) for tier in Tier},
        "coaching": [_coaching_item(item) for item in assessment.coaching],
    }
