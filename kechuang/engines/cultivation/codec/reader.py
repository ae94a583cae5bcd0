"""Reading an assessment-input document (JSON) into :class:`..figures.EnterpriseFigures`, with every
problem named by path (see the format in :mod:`kechuang.engines.cultivation.codec`)."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..coaching import assess
from ..config import (
    BureauConfig,
)
from ..figures import (
    EnterpriseFigures,
    ExpertInput,
    FiscalYearFigures,
)
from ..results import (
    Assessment,
)
from .fields import (
    _BOOL,
    _CONFIG_DEPLOYMENT_ONLY,
    _CONFIG_FIELDS,
    _DATE,
    _DATE_TEXT,
    _DECIMAL_TEXT,
    _ENUM,
    _EXPERT_BAND_ITEMS,
    _EXPERT_POINT_IDS,
    _FIELDS,
    _INT,
    _LIST,
    _NUMBER_NAMES,
    _OBJECT,
    _SIGNED,
    _TEXT,
    _TOP_FIELDS,
    FORMAT_VERSION,
    MAX_AMOUNT,
    MAX_DECIMALS,
    MAX_DIGITS,
    ROOT,
    CodecError,
    Problem,
    ProblemCode,
    _join,
    _problem,
    _Spec,
)

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
        if number and (number.adjusted() < -MAX_DECIMALS or int(number.normalize().as_tuple().exponent) < -MAX_DECIMALS):
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
        parts: tuple[tuple[str, Any, dict[str, Any]], ...] = (
            ("bands", _EXPERT_BAND_ITEMS, bands), ("points", _EXPERT_POINT_IDS, points)
        )
        for key, ids, out in parts:
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
