"""The assessment-input format's shared parts: the problem vocabulary (:class:`ProblemCode`,
:class:`Problem`, :class:`CodecError`) and the field tables both :mod:`.reader` and :mod:`.writer` follow."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from enum import StrEnum

from ..config import (
    GrowthNegativeFirstYear,
    GrowthTwoOperatingYears,
    RegistrationAgeRule,
    ScorePoint,
    TransformationBelowOne,
)
from ..figures import (
    Acquisition,
    AwardLevel,
    AwardRecord,
    EnterpriseFigures,
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
