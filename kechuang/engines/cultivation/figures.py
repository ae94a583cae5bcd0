"""Input figures of one enterprise for the cultivation engine (plain dataclasses, no framework).

Units used throughout:

* money: ``decimal.Decimal`` **yuan** (元). ``int`` and ``str`` are accepted and converted; ``float``
  is refused (``TypeError``) so that no binary rounding enters (spec §0 "Arithmetic").
* ratios: unitless fractions as ``Decimal`` (0.05 = 5 %).
* persons: yearly averages as ``Decimal`` persons. The spec's averaging rule (HT-G, spec §1.5:
  ``year_avg = sum(month_avg) / 12``) gives fractions such as 11.9, so averages are not ``int``;
  ``int`` is accepted and converted.
* counts (IP items, achievements): ``int``.
* fiscal year: the calendar year (企业会计年度 = 公历年度).

``None`` means "not known"; a check that needs a missing figure answers ``NEEDS_REVIEW(MISSING_DATA)``
rather than guessing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from enum import StrEnum

from .arithmetic import add_years

__all__ = [
    "Acquisition",
    "AwardLevel",
    "AwardRecord",
    "EnterpriseFigures",
    "ExpertInput",
    "FiscalYearFigures",
    "HnteCertificate",
    "IPClass",
    "IPItem",
    "IPKind",
    "Incident",
    "IncidentKind",
    "InstitutionLevel",
    "RdInstitution",
    "RdManagementEvidence",
    "StandardKind",
    "StandardLevel",
    "StandardRecord",
    "StandardRole",
    "TaxMode",
    "TechField",
    "TsmeRegistration",
    "to_money",
]


def to_money(
    value: Decimal | int | str | None, name: str = "value", *, allow_negative: bool = False
) -> Decimal | None:
    """Convert ``value`` to a ``Decimal`` (yuan, persons or a ratio, whatever the field's unit is).

    Args:
        value: ``Decimal``, ``int``, decimal ``str`` or ``None`` (unknown; returned as is).
        name: field name, used in error messages.
        allow_negative: whether a negative value is meaningful (net assets, net profit).

    Raises:
        TypeError: for ``float`` or any other type.
        ValueError: for a non-finite or malformed value, or a negative one when not allowed.
    """
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"{name}: use Decimal, int or str, not {type(value).__name__}")
    if isinstance(value, int | str):
        try:
            value = Decimal(value)
        except ArithmeticError as exc:
            raise ValueError(f"{name}: not a number: {value!r}") from exc
    if not isinstance(value, Decimal):
        raise TypeError(f"{name}: use Decimal, int or str, not {type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"{name}: not finite: {value!r}")
    if value < 0 and not allow_negative:
        raise ValueError(f"{name}: must not be negative: {value}")
    return value


class TaxMode(StrEnum):
    """How corporate income tax is collected (征收方式)."""

    ACTUAL_BOOKS = "查账征收"
    ASSESSED = "核定征收"


class IPClass(StrEnum):
    """Class of an IP item for HNTE (HT-G) and tech-SME (SME-M annex) scoring (spec §1.3 A)."""

    I = "I"  # noqa: E741 - the official name is "Ⅰ类"
    II = "II"


class IPKind(StrEnum):
    """Kind of intellectual property; :attr:`ip_class` gives its class (spec §1.3 "IP classes")."""

    INVENTION_PATENT = "发明专利"
    DEFENCE_PATENT = "国防专利"
    PLANT_VARIETY = "植物新品种"
    NATIONAL_CROP_VARIETY = "国家级农作物品种"
    NATIONAL_NEW_DRUG = "国家新药"
    TCM_PROTECTED_GRADE1 = "国家一级中药保护品种"
    IC_LAYOUT_DESIGN = "集成电路布图设计专有权"
    UTILITY_MODEL = "实用新型专利"
    DESIGN_PATENT = "外观设计专利"
    SOFTWARE_COPYRIGHT = "软件著作权"
    OTHER_CLASS_II = "其他Ⅱ类知识产权"
    TRADEMARK = "商标"

    @property
    def ip_class(self) -> IPClass | None:
        """``IPClass.I``, ``IPClass.II``, or ``None`` for trademarks (excluded from both lists)."""
        if self is IPKind.TRADEMARK:
            return None
        if self in _CLASS_I:
            return IPClass.I
        return IPClass.II


_CLASS_I = frozenset(
    {
        IPKind.INVENTION_PATENT,
        IPKind.DEFENCE_PATENT,
        IPKind.PLANT_VARIETY,
        IPKind.NATIONAL_CROP_VARIETY,
        IPKind.NATIONAL_NEW_DRUG,
        IPKind.TCM_PROTECTED_GRADE1,
        IPKind.IC_LAYOUT_DESIGN,
    }
)


class Acquisition(StrEnum):
    """How the enterprise obtained an IP item (HT-M art. 11(2); HT-G A4)."""

    SELF_DEVELOPED = "自主研发"
    PURCHASED = "受让"
    GIFTED = "受赠"
    MERGER_ACQUISITION = "并购"


class TechField(StrEnum):
    """The 8 fields of 《国家重点支持的高新技术领域》 (HT-M annex; spec §1.1)."""

    ELECTRONIC_INFORMATION = "电子信息"
    BIO_MEDICINE = "生物与新医药"
    AEROSPACE = "航空航天"
    NEW_MATERIALS = "新材料"
    HIGH_TECH_SERVICES = "高技术服务"
    NEW_ENERGY = "新能源与节能"
    RESOURCES_ENVIRONMENT = "资源与环境"
    ADVANCED_MANUFACTURING = "先进制造与自动化"


class IncidentKind(StrEnum):
    """Kinds of incident and credit breach that bar a tier (HT-M art. 11(8); SME-M art. 6)."""

    MAJOR_SAFETY = "重大安全事故"
    MAJOR_QUALITY = "重大质量事故"
    SERIOUS_ENVIRONMENTAL = "严重环境违法行为"
    SERIOUS_FRAUD = "严重失信/弄虚作假行为"
    SERIOUS_RESEARCH_MISCONDUCT = "严重科研失信行为"


class StandardLevel(StrEnum):
    """Level of a standard the enterprise helped draft."""

    INTERNATIONAL = "国际标准"
    NATIONAL = "国家标准"
    INDUSTRY = "行业标准"
    LOCAL = "地方标准"
    GROUP = "团体标准"


class StandardKind(StrEnum):
    """What kind of normative document a :class:`StandardRecord` is. HNTE A5 counts all three
    (HT-G 国科发火〔2016〕195号: "国家标准、行业标准、检测方法、技术规范"); the tech-SME direct route
    counts standards only (SME-M 第八条)."""

    STANDARD = "标准"
    TEST_METHOD = "检测方法"
    TECHNICAL_SPECIFICATION = "技术规范"


class StandardRole(StrEnum):
    """The enterprise's role in drafting a standard."""

    LED = "主持/牵头"
    PARTICIPATED = "参与"


class AwardLevel(StrEnum):
    """Level of an S&T award."""

    NATIONAL = "国家级"
    PROVINCIAL = "省部级"
    CITY = "市级"


class InstitutionLevel(StrEnum):
    """Recognition level of an R&D institution (研发机构)."""

    NATIONAL = "国家级"
    PROVINCIAL = "省部级"
    CITY = "市级"
    OTHER = "其他"


@dataclass(frozen=True)
class IPItem:
    """One intellectual-property item held or claimed by the enterprise.

    Attributes:
        identifier: patent / registration number or any stable label (shown in lists).
        kind: :class:`IPKind`; its class (I / II / excluded) follows from it.
        acquisition: :class:`Acquisition`.
        in_force: granted and in force on the evaluation date.
        granted_in_china: granted or approved in China (HNTE requires it, HT-G).
        owned_by_applicant: the applicant holds ownership (HT-M art. 11(2)).
        related_to_main_products: gives technical support to the main products / services.
        in_dispute: subject to an ownership dispute (the tech-SME rules count only undisputed IP).
        used_in_previous_recognition: already used in an earlier HNTE recognition (a Class II item may
            serve only one HNTE application; HT-G).
        claimed_by_co_owner: a co-owner already uses this item (only one owner may use it; HT-G).
    """

    identifier: str
    kind: IPKind
    acquisition: Acquisition = Acquisition.SELF_DEVELOPED
    in_force: bool = True
    granted_in_china: bool = True
    owned_by_applicant: bool = True
    related_to_main_products: bool = True
    in_dispute: bool = False
    used_in_previous_recognition: bool = False
    claimed_by_co_owner: bool = False

    @property
    def ip_class(self) -> IPClass | None:
        """Class I, Class II, or ``None`` (trademark)."""
        return self.kind.ip_class


@dataclass(frozen=True)
class StandardRecord:
    """A standard, test method or technical specification the enterprise drafted or helped draft.

    Attributes:
        title: name of the standard.
        level: :class:`StandardLevel`.
        role: :class:`StandardRole` (led or participated).
        date: publication date.
        recognized: recognized by the competent national authority (required for HNTE A5).
        kind: :class:`StandardKind` (standard, test method or technical specification).
    """

    title: str
    level: StandardLevel
    role: StandardRole
    date: dt.date
    recognized: bool = True
    kind: StandardKind = StandardKind.STANDARD


@dataclass(frozen=True)
class AwardRecord:
    """An S&T award. ``rank`` is the enterprise's rank among the award units (1 = first)."""

    title: str
    level: AwardLevel
    date: dt.date
    rank: int = 1


@dataclass(frozen=True)
class RdInstitution:
    """A recognized R&D institution (key lab, engineering technology research centre, …)."""

    name: str
    level: InstitutionLevel


@dataclass(frozen=True)
class Incident:
    """An incident or credit breach on a date (from credit, emergency and environment sources)."""

    date: dt.date
    kind: IncidentKind
    description: str = ""


@dataclass(frozen=True)
class RdManagementEvidence:
    """Evidence flags for HNTE score part C (R&D organization and management; HT-G, spec §1.3 C).

    Each flag is ``True`` when the enterprise can show the document or fact. Items:
    C1 = the first three flags, C2 = the next three, C3 = the next two, C4 = the last four.
    """

    rd_management_rules: bool = False
    rd_cost_accounting_system: bool = False
    rd_auxiliary_ledger: bool = False
    inhouse_rd_unit: bool = False
    research_conditions: bool = False
    industry_university_cooperation: bool = False
    transformation_incentive_rules: bool = False
    open_innovation_platform: bool = False
    staff_training_rules: bool = False
    skills_training: bool = False
    talent_recruitment: bool = False
    performance_rewards: bool = False

    def item_flags(self) -> dict[str, tuple[bool, ...]]:
        """Return ``{"C1": (…), "C2": (…), "C3": (…), "C4": (…)}`` of the evidence flags per item."""
        values = [getattr(self, name) for name in _EVIDENCE_FIELDS]
        return {
            "C1": tuple(values[0:3]),
            "C2": tuple(values[3:6]),
            "C3": tuple(values[6:8]),
            "C4": tuple(values[8:12]),
        }


_EVIDENCE_FIELDS = tuple(f.name for f in fields(RdManagementEvidence))


@dataclass(frozen=True)
class HnteCertificate:
    """A high-tech enterprise certificate (高新技术企业证书).

    Validity: 3 years from the issue date, ``valid_until = issue_date + 3 years - 1 day``
    (HT-M art. 13 [M: article number]; spec §1.4).
    """

    number: str
    issue_date: dt.date
    validity_years: int = 3

    @property
    def valid_until(self) -> dt.date:
        """Last day of validity."""
        return add_years(self.issue_date, self.validity_years) - dt.timedelta(days=1)

    def is_valid_on(self, day: dt.date) -> bool:
        """``True`` when ``issue_date <= day <= valid_until``."""
        return self.issue_date <= day <= self.valid_until


@dataclass(frozen=True)
class TsmeRegistration:
    """A tech-SME registration number (入库登记编号) and the year of entry into the pool.

    The engine treats it as valid during ``year`` (spec §2.4 [L]; see the package docstring).
    """

    number: str
    year: int

    def is_valid_on(self, day: dt.date) -> bool:
        """``True`` when ``day`` falls in the year of entry."""
        return day.year == self.year


_MONEY_FIELDS = (
    "sales_revenue",
    "total_revenue",
    "non_taxable_revenue",
    "hitech_revenue",
    "total_costs_and_expenses",
    "total_assets",
    "rd_expense_hnte",
    "rd_expense_hnte_domestic",
    "rd_expense_super_deduction",
)
_SIGNED_FIELDS = ("net_assets", "net_profit")
_PERSON_FIELDS = ("staff_total_avg", "tech_staff_avg", "tsme_staff_total", "tsme_tech_staff")


@dataclass(frozen=True)
class FiscalYearFigures:
    """Figures of one enterprise for one fiscal (calendar) year.

    Attributes:
        year: the fiscal year.
        staff_total_avg: 职工总数, yearly average of monthly averages (persons), HNTE counting:
            part-time / temporary staff count when they worked >= 183 days (HT-G; spec §1.5).
        tech_staff_avg: 科技人员, yearly average (persons), HNTE counting (>= 183 days).
        tsme_staff_total: 职工总数 on the tech-SME counting (part-time / temporary >= 6 months; SME-M
            annex). ``None``: the evaluator uses ``staff_total_avg`` and says so in the result.
        tsme_tech_staff: 科技人员 on the tech-SME counting; same fallback.
        sales_revenue: 销售收入 = 主营业务收入 + 其他业务收入 (yuan).
        total_revenue: 收入总额 (yuan).
        non_taxable_revenue: 不征税收入 (yuan); HNTE total income = total_revenue - non_taxable_revenue.
        hitech_revenue: 高新技术产品（服务）收入, including technical income (yuan; HT-G, spec §1.6).
        total_costs_and_expenses: 成本费用支出总额 (yuan) = 主营业务成本 + 其他业务成本 + 销售费用 +
            管理费用 + 财务费用, plus 研发费用 when the statements show it separately (spec §2.2 [M]).
        total_assets: 资产总额 at year end (yuan).
        net_assets: 净资产 = total assets - total liabilities at year end (yuan; may be negative).
        net_profit: 净利润 (yuan; may be negative); used only by a gazelle template on profit growth.
        rd_expense_hnte: R&D expense on the HNTE scope (HT-G; spec §1.6), yuan.
        rd_expense_hnte_domestic: the part of ``rd_expense_hnte`` spent inside China, yuan.
        rd_expense_super_deduction: R&D expense on the super-deduction scope (RD-119; used by the
            tech-SME score, SME-M annex), yuan.
        achievements_transformed: S&T achievements transformed in the year, each counted once (HT-G B).
    """

    year: int
    staff_total_avg: Decimal | None = None
    tech_staff_avg: Decimal | None = None
    tsme_staff_total: Decimal | None = None
    tsme_tech_staff: Decimal | None = None
    sales_revenue: Decimal | None = None
    total_revenue: Decimal | None = None
    non_taxable_revenue: Decimal | None = Decimal(0)
    hitech_revenue: Decimal | None = None
    total_costs_and_expenses: Decimal | None = None
    total_assets: Decimal | None = None
    net_assets: Decimal | None = None
    net_profit: Decimal | None = None
    rd_expense_hnte: Decimal | None = None
    rd_expense_hnte_domestic: Decimal | None = None
    rd_expense_super_deduction: Decimal | None = None
    achievements_transformed: int | None = None

    def __post_init__(self) -> None:
        """Convert ``int`` / ``str`` figures to ``Decimal``; raise ``TypeError`` / ``ValueError`` as
        :func:`to_money` does, and ``ValueError`` for a negative achievement count."""
        for name in _MONEY_FIELDS + _PERSON_FIELDS:
            object.__setattr__(self, name, to_money(getattr(self, name), name))
        for name in _SIGNED_FIELDS:
            object.__setattr__(self, name, to_money(getattr(self, name), name, allow_negative=True))
        if self.achievements_transformed is not None and self.achievements_transformed < 0:
            raise ValueError("achievements_transformed must not be negative")


@dataclass(frozen=True)
class ExpertInput:
    """What experts (or the enterprise's own estimate) said about expert-judged score items.

    Attributes:
        bands: band letter per item id, e.g. ``{"A1": "B"}``: narrows the range to that band's points.
        points: integer points per item or part id, e.g. ``{"C1": 5}`` or ``{"A": 24}`` (a whole part).
            A value fixes that item's score; it must lie in ``[0, max]`` of the item (``ValueError``
            from the evaluator otherwise).
    """

    bands: Mapping[str, str] = field(default_factory=dict)
    points: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class EnterpriseFigures:
    """Everything the engine needs about one enterprise.

    Attributes:
        name: enterprise name (shown in messages).
        establish_date: registration (成立) date.
        years: yearly figures, any order, at most one per year (``ValueError`` otherwise).
        uscc: unified social credit code (not checked here).
        is_resident_enterprise: resident enterprise for CIT (居民企业).
        registered_in_mainland: registered in mainland China (not HK / Macao / Taiwan).
        is_local_legal_person: an independent legal person registered in the bureau's area (gazelle).
        tax_mode: :class:`TaxMode`.
        tech_field: declared field of the core technology (HT-M art. 11(3)).
        in_restricted_catalogue: products / services in a prohibited, restricted or phase-out
            catalogue (SME-M art. 6).
        in_super_deduction_excluded_industry: belongs to an industry excluded from the R&D super
            deduction (RD-119 §4, industry test of RD-97).
        ip_items: IP items (:class:`IPItem`).
        rd_management: evidence for HNTE score part C.
        standards: standards drafted (:class:`StandardRecord`).
        awards: S&T awards (:class:`AwardRecord`).
        rd_institutions: recognized R&D institutions (:class:`RdInstitution`).
        incidents: incidents and breaches; ``None`` = not checked yet (→ NEEDS_REVIEW).
        on_abnormal_operation_list: on the abnormal-operation list (经营异常名录); ``None`` = unknown.
        on_serious_violation_list: on the serious-violation / dishonesty list; ``None`` = unknown.
        hnte_certificate: the latest HNTE certificate, if any.
        tsme_registration: the latest tech-SME registration, if any.
        expert: expert judgements for expert-only score items.
    """

    name: str
    establish_date: dt.date
    years: tuple[FiscalYearFigures, ...] = ()
    uscc: str | None = None
    is_resident_enterprise: bool | None = None
    registered_in_mainland: bool | None = None
    is_local_legal_person: bool | None = None
    tax_mode: TaxMode | None = None
    tech_field: TechField | None = None
    in_restricted_catalogue: bool | None = None
    in_super_deduction_excluded_industry: bool | None = None
    ip_items: tuple[IPItem, ...] = ()
    rd_management: RdManagementEvidence = field(default_factory=RdManagementEvidence)
    standards: tuple[StandardRecord, ...] = ()
    awards: tuple[AwardRecord, ...] = ()
    rd_institutions: tuple[RdInstitution, ...] = ()
    incidents: tuple[Incident, ...] | None = None
    on_abnormal_operation_list: bool | None = None
    on_serious_violation_list: bool | None = None
    hnte_certificate: HnteCertificate | None = None
    tsme_registration: TsmeRegistration | None = None
    expert: ExpertInput = field(default_factory=ExpertInput)

    def __post_init__(self) -> None:
        """Freeze sequences into tuples; raise ``ValueError`` for two figures rows of one year."""
        for name in ("years", "ip_items", "standards", "awards", "rd_institutions"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.incidents is not None:
            object.__setattr__(self, "incidents", tuple(self.incidents))
        seen = [y.year for y in self.years]
        if len(seen) != len(set(seen)):
            raise ValueError(f"{self.name}: more than one figures row for a year: {sorted(seen)}")

    def year(self, year: int) -> FiscalYearFigures | None:
        """The figures of ``year``, or ``None`` when not given."""
        by_year = self.__dict__.get("_by_year")
        if by_year is None:  # built on first use and kept (not a field: equality and repr ignore it)
            by_year = self.__dict__["_by_year"] = {row.year: row for row in self.years}
        return by_year.get(year)

    def operated_in(self, year: int) -> bool:
        """``True`` when the enterprise existed during at least part of fiscal ``year``."""
        return self.establish_date.year <= year
