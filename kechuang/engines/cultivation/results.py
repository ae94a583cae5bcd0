"""Result types of the cultivation engine: verdicts, conditions, score parts, tiers, coaching.

All results are immutable dataclasses. Money is ``Decimal`` yuan, ratios ``Decimal`` fractions,
points ``int``. User-facing text (``*_zh``) is Chinese; money there is shown in 万元.

Texts are built when first read. The evaluators pass each message (``message_zh``, ``text_zh``) either
as a ``str`` or as a zero-argument callable that builds it; reading the attribute calls it once and
keeps the text (:class:`LazyText`). Likewise a score part's hint for its next band
(:attr:`ScorePart.next_band`) may be given as a :class:`Deferred` call, made on first read
(:class:`LazyValue`). Verdicts, scores, figures, thresholds and the remedies of conditions are always
computed eagerly, so a batch that stores only those never pays for Chinese formatting. Equality,
``repr``, ``dataclasses.replace`` / ``asdict``, ``copy`` and ``pickle`` see the built values.

The result classes keep the ``dataclass(frozen=True)`` interface (fields, ``replace``, equality,
``FrozenInstanceError``); their ``__init__`` is replaced by an equivalent one that fills the instance
dictionary in one step (:func:`_fast_frozen_init`), about twice as fast as the generated one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from decimal import Decimal
from enum import StrEnum
from functools import partial
from typing import Any

from kechuang.engines.rulekit.verdict import Verdict

from .sources import Source

__all__ = [
    "Assessment",
    "Basis",
    "CoachingItem",
    "ConditionResult",
    "Deferred",
    "LazyText",
    "LazyValue",
    "NextBand",
    "Reason",
    "Remedy",
    "Route",
    "ScorePart",
    "Tier",
    "TierResult",
    "Unit",
    "Verdict",
    "blocking_conditions",
    "combine_verdicts",
]


class LazyText:
    """Data descriptor of a text field given as a ``str`` or as a zero-argument callable.

    Reading the field on an instance returns the text; a callable is called on the first read and
    replaced by its result. The value lives in the instance dictionary under ``"_" + name``. Class
    access raises ``AttributeError``, so that a dataclass field using it has no default.
    """

    __slots__ = ("key",)

    def __init__(self) -> None:
        """Create the descriptor; the key is set by :meth:`__set_name__`."""
        self.key = ""

    def __set_name__(self, owner: type, name: str) -> None:
        """Store the value under ``"_" + name``."""
        self.key = "_" + name

    def __get__(self, obj: object, objtype: type | None = None) -> str:
        """The text (built and kept on the first read)."""
        if obj is None:
            raise AttributeError(self.key[1:])
        store = obj.__dict__
        value = store[self.key]
        if value.__class__ is not str:
            value = value()
            store[self.key] = value
        text: str = value
        return text

    def __set__(self, obj: object, value: str | Callable[[], str]) -> None:
        """Store a text or a builder (used by ``__init__`` only: the classes are frozen)."""
        obj.__dict__[self.key] = value


class Deferred(partial):  # type: ignore[type-arg]
    """A call (function and arguments, as :func:`functools.partial`) whose result is a field's value,
    made on the first read of a :class:`LazyValue` field."""

    __slots__ = ()


class LazyValue:
    """Data descriptor of a field whose value may be given as a :class:`Deferred` call.

    Reading the field on an instance returns the value; a :class:`Deferred` is called on the first read
    and replaced by its result. The value lives in the instance dictionary under ``"_" + name``. Class
    access returns ``default`` (the dataclass field's default).
    """

    __slots__ = ("default", "key")

    def __init__(self, default: object = None) -> None:
        """Create the descriptor with the field's ``default``; the key is set by :meth:`__set_name__`."""
        self.default = default
        self.key = ""

    def __set_name__(self, owner: type, name: str) -> None:
        """Store the value under ``"_" + name``."""
        self.key = "_" + name

    def __get__(self, obj: object, objtype: type | None = None) -> Any:
        """The value (computed and kept on the first read)."""
        if obj is None:
            return self.default
        store = obj.__dict__
        value = store[self.key]
        if value.__class__ is Deferred:
            value = value()
            store[self.key] = value
        return value

    def __set__(self, obj: object, value: object) -> None:
        """Store a value or a :class:`Deferred` (used by ``__init__`` only: the classes are frozen)."""
        obj.__dict__[self.key] = value


def _resolved(value: Any) -> Any:
    """A stored field value with any pending text builder or :class:`Deferred` call carried out."""
    if value.__class__ is str or value is None:
        return value
    if value.__class__ is Deferred or callable(value):
        return value()
    return value


def _fast_frozen_init(cls: type) -> type:
    """Give the frozen dataclass ``cls`` an ``__init__`` that builds the instance dictionary in one step.

    Same parameters, defaults and default factories as the generated ``__init__``; fields declared
    with :class:`LazyText` or :class:`LazyValue` are stored under their ``"_" + name`` key. Only for classes without
    ``__post_init__`` and without ``init=False`` fields. Also adds ``__getstate__`` so that ``pickle``
    and ``copy`` store built texts, never builder callables.
    """
    params: list[str] = []
    items: list[str] = []
    namespace: dict[str, Any] = {"_MISSING": MISSING, "_set": object.__setattr__}
    lazy: list[str] = []
    for f in fields(cls):
        assert f.init, f"{cls.__name__}.{f.name}: init=False is not supported"
        key = f.name
        if isinstance(cls.__dict__.get(f.name), LazyText | LazyValue):
            key = "_" + f.name
            lazy.append(key)
        if f.default is not MISSING:
            namespace[f"_d_{f.name}"] = f.default
            params.append(f"{f.name}=_d_{f.name}")
            items.append(f"{key!r}: {f.name}")
        elif f.default_factory is not MISSING:
            namespace[f"_f_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_MISSING")
            items.append(f"{key!r}: _f_{f.name}() if {f.name} is _MISSING else {f.name}")
        else:
            params.append(f.name)
            items.append(f"{key!r}: {f.name}")
    source = f"def __init__(self, {', '.join(params)}):\n    _set(self, '__dict__', {{{', '.join(items)}}})\n"
    exec(source, namespace)  # noqa: S102 - code built above from the dataclass fields only
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = f"Initialize a :class:`{cls.__name__}` (fields as documented on the class)."
    cls.__init__ = init  # type: ignore[misc]
    if lazy:
        keys = tuple(lazy)

        def __getstate__(self: Any) -> dict[str, Any]:
            state = dict(self.__dict__)
            for key in keys:
                state[key] = _resolved(state[key])
            return state

        setattr(cls, "__getstate__", __getstate__)  # noqa: B010 - a method set on the class (mypy: no method-assign)
    return cls


class Reason(StrEnum):
    """Reason codes of FAIL / NEEDS_REVIEW verdicts; :attr:`label_zh` is the one Chinese label."""

    RESIDENT = "RESIDENT"
    REG_AGE = "REG_AGE"
    NO_IP = "NO_IP"
    TECH_FIELD = "TECH_FIELD"
    TECH_STAFF = "TECH_STAFF"
    RD_RATIO = "RD_RATIO"
    RD_DOMESTIC = "RD_DOMESTIC"
    HITECH_REVENUE = "HITECH_REVENUE"
    INNOVATION_SCORE = "INNOVATION_SCORE"
    MAJOR_INCIDENT = "MAJOR_INCIDENT"
    TAX_MODE = "TAX_MODE"
    SIZE = "SIZE"
    CATALOGUE = "CATALOGUE"
    EXCLUDED_INDUSTRY = "EXCLUDED_INDUSTRY"
    CREDIT = "CREDIT"
    SCORE = "SCORE"
    TECH_STAFF_ZERO = "TECH_STAFF_ZERO"
    LOCAL_LEGAL_PERSON = "LOCAL_LEGAL_PERSON"
    PREREQ = "PREREQ"
    AGE = "AGE"
    BASE_REVENUE = "BASE_REVENUE"
    REVENUE_CAP = "REVENUE_CAP"
    GROWTH = "GROWTH"
    VIOLATION = "VIOLATION"
    MISSING_DATA = "MISSING_DATA"
    EXPERT_JUDGEMENT = "EXPERT_JUDGEMENT"
    SCORE_RANGE = "SCORE_RANGE"
    TRANSFORMATION_BELOW_ONE = "TRANSFORMATION_BELOW_ONE"
    NEGATIVE_BASE = "NEGATIVE_BASE"
    NO_RD_EXPENSE = "NO_RD_EXPENSE"
    NO_DIRECT_ROUTE = "NO_DIRECT_ROUTE"

    @property
    def label_zh(self) -> str:
        """Short Chinese label."""
        return _REASON_LABELS[self]


_REASON_LABELS: dict[Reason, str] = {
    Reason.RESIDENT: "非境内注册居民企业",
    Reason.REG_AGE: "注册成立未满一年",
    Reason.NO_IP: "无核心自主知识产权",
    Reason.TECH_FIELD: "核心技术领域不符",
    Reason.TECH_STAFF: "科技人员占比不足",
    Reason.RD_RATIO: "研发费用占比不足",
    Reason.RD_DOMESTIC: "境内研发费用占比不足",
    Reason.HITECH_REVENUE: "高新技术产品（服务）收入占比不足",
    Reason.INNOVATION_SCORE: "创新能力评价未达 71 分",
    Reason.MAJOR_INCIDENT: "发生重大安全、质量事故或严重环境违法行为",
    Reason.TAX_MODE: "非查账征收",
    Reason.SIZE: "超出中小企业规模",
    Reason.CATALOGUE: "属于禁止、限制或淘汰类",
    Reason.EXCLUDED_INDUSTRY: "属于不适用加计扣除的行业",
    Reason.CREDIT: "存在失信、违法或经营异常记录",
    Reason.SCORE: "评价得分不足 60 分",
    Reason.TECH_STAFF_ZERO: "科技人员指标得分为 0",
    Reason.LOCAL_LEGAL_PERSON: "非本地独立法人",
    Reason.PREREQ: "未具备前置资质",
    Reason.AGE: "成立年限超过上限",
    Reason.BASE_REVENUE: "基期营业收入不足",
    Reason.REVENUE_CAP: "营业收入超过上限",
    Reason.GROWTH: "年均增长率不足",
    Reason.VIOLATION: "近年存在违法违规记录",
    Reason.MISSING_DATA: "数据缺失",
    Reason.EXPERT_JUDGEMENT: "需专家评审",
    Reason.SCORE_RANGE: "得分区间跨越及格线，需专家评审",
    Reason.TRANSFORMATION_BELOW_ONE: "年均成果转化数不足 1 项，需专家判定",
    Reason.NEGATIVE_BASE: "基期数值为负，需人工复核",
    Reason.NO_RD_EXPENSE: "无研发费用",
    Reason.NO_DIRECT_ROUTE: "不符合直通条件",
}


class Unit(StrEnum):
    """Unit of an actual value, a threshold or a remedy amount."""

    YUAN = "元"
    RATIO = "比例"
    PERSON = "人"
    ITEM = "件"
    POINT = "分"
    YEAR = "年"
    DATE = "日期"
    FLAG = "是/否"
    TEXT = "文本"


class Basis(StrEnum):
    """How a score part's range was obtained."""

    COMPUTED = "COMPUTED"  # band computed from the figures (range = the band's official points)
    EXPERT_RANGE = "EXPERT_RANGE"  # expert-only item, no expert input: range [0, max]
    EXPERT_GIVEN = "EXPERT_GIVEN"  # expert input fixed the points or the band
    SUM = "SUM"  # a part made of items


class Tier(StrEnum):
    """Tiers of the bureau's ladder, lowest first."""

    TSME = "TSME"
    HNTE = "HNTE"
    GAZELLE = "GAZELLE"

    @property
    def label_zh(self) -> str:
        """Chinese name."""
        return {"TSME": "科技型中小企业", "HNTE": "高新技术企业", "GAZELLE": "瞪羚企业"}[self.value]


@_fast_frozen_init
@dataclass(frozen=True)
class Remedy:
    """The smallest change that would make a failing condition (or score band) pass.

    Attributes:
        label_zh: what has to change, e.g. "研发费用".
        amount: how much, in ``unit`` (yuan rounded up to 0.01; persons / items rounded up), or
            ``None`` when the change is a date (``until``) or a status.
        unit: :class:`Unit` of ``amount``.
        increase: ``True`` when the figure must rise, ``False`` when it must fall.
        actionable: ``False`` for past figures or structural facts the enterprise cannot change by
            effort (size limits, incidents, dates): shown, but not coached as a target.
        until: earliest date from which the condition holds (waiting remedies), else ``None``.
    """

    label_zh: str
    amount: Decimal | int | None
    unit: Unit
    increase: bool = True
    actionable: bool = True
    until: dt.date | None = None


@_fast_frozen_init
@dataclass(frozen=True)
class ConditionResult:
    """Outcome of one official condition.

    Attributes:
        condition_id: spec id, e.g. ``"HT-C5"`` or ``"S-C2.sales"``.
        name_zh: Chinese name of the condition.
        verdict: :class:`Verdict`.
        reason: :class:`Reason` for FAIL / NEEDS_REVIEW, else ``None``.
        actual: value found (unit ``unit``), ``None`` when missing.
        threshold: rule value compared against (unit ``unit``).
        comparator: ``">="``, ``">"``, ``"<="``, ``"=="`` or ``"in"``.
        unit: :class:`Unit` of ``actual`` and ``threshold``.
        source: :class:`Source` of the rule.
        message_zh: Chinese explanation with figures.
        remedy: :class:`Remedy` for a FAIL, else ``None``.
        figures: the input figures used, by name (money yuan, ratios fractions).
    """

    condition_id: str
    name_zh: str
    verdict: Verdict
    reason: Reason | None
    actual: Decimal | int | bool | str | dt.date | None
    threshold: Decimal | int | bool | str | dt.date | None
    comparator: str
    unit: Unit
    source: Source
    message_zh: LazyText = LazyText()
    remedy: Remedy | None = None
    figures: Mapping[str, object] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """``True`` for PASS."""
        return self.verdict is Verdict.PASS

    @property
    def label(self) -> str:
        """``"PASS"``, ``"FAIL(CODE)"`` or ``"NEEDS_REVIEW(CODE)"``."""
        if self.verdict is Verdict.PASS or self.reason is None:
            return self.verdict.value
        return f"{self.verdict.value}({self.reason.value})"

    @property
    def coaching_text_zh(self) -> str:
        """The message followed by its source, e.g. "…；需再投入研发费用 54 万元（依据：国科发火…）"."""
        return f"{self.message_zh}（依据：{self.source.cite()}）"


@_fast_frozen_init
@dataclass(frozen=True)
class NextBand:
    """What it takes to reach the next band of a score part.

    Attributes:
        band: the next band's letter.
        points_min: lowest points of that band.
        points_max: highest points of that band.
        remedy: the smallest change reaching it, ``None`` when no figure can be named.
        message_zh: Chinese hint with figures.
    """

    band: str
    points_min: int
    points_max: int
    remedy: Remedy | None
    message_zh: LazyText = LazyText()


@_fast_frozen_init
@dataclass(frozen=True)
class ScorePart:
    """Points of one score part or item, as an integer range (spec §0 "Score ranges").

    Attributes:
        part_id: e.g. ``"A"``, ``"A3"``, ``"D1"``, ``"TECH_STAFF"``.
        name_zh: Chinese name.
        max_points: the official maximum.
        score_min: lowest points (int).
        score_max: highest points (int).
        band: band letter when a band table applies, else ``None``.
        basis: :class:`Basis`.
        actual: the measured value (fraction, count, average), ``None`` for expert-only items.
        source: :class:`Source`.
        message_zh: Chinese explanation.
        review: :class:`Reason` when an expert or a person must look (NEEDS_REVIEW), else ``None``.
        next_band: :class:`NextBand` or ``None`` (top band, or no figure can raise it); may be computed
            on first read (:class:`LazyValue`).
        children: sub-items of a part (A1…A5, C1…C4, D1, D2, the two R&D metrics).
    """

    part_id: str
    name_zh: str
    max_points: int
    score_min: int
    score_max: int
    band: str | None
    basis: Basis
    actual: Decimal | int | None
    source: Source
    message_zh: LazyText = LazyText()
    review: Reason | None = None
    next_band: LazyValue = LazyValue(None)
    children: tuple[ScorePart, ...] = ()

    @property
    def points_short(self) -> int:
        """Points below the part's maximum, on the conservative side: ``max_points - score_min``."""
        return self.max_points - self.score_min


@_fast_frozen_init
@dataclass(frozen=True)
class TierResult:
    """Evaluation of one tier.

    Attributes:
        tier: :class:`Tier`.
        verdict: :class:`Verdict` of the tier as a whole.
        reasons: reason codes behind a FAIL / NEEDS_REVIEW (all failing conditions, in order).
        route: how a PASS was reached: ``"CONDITIONS"``, ``"SCORE"`` or ``"DIRECT:<KIND>"``.
        conditions: every condition checked, in spec order.
        score_parts: score parts (empty for the gazelle tier).
        score_min: lowest total points, ``None`` when the tier has no score.
        score_max: highest total points.
        score_point: the quoted point (configurable, default the lower bound); never an official score.
        pass_score: the score needed, ``None`` when the tier has no score.
        rule_version: version of the rule parameters used.
        evaluation_date: date evaluated for (application / assessment date).
        notes_zh: further Chinese notes (dropped IP items, method used, fallbacks).
        dropped_ip: identifiers of IP items excluded (reused Class II items, …).
    """

    tier: Tier
    verdict: Verdict
    reasons: tuple[Reason, ...]
    route: str | None
    conditions: tuple[ConditionResult, ...]
    score_parts: tuple[ScorePart, ...]
    score_min: int | None
    score_max: int | None
    score_point: int | None
    pass_score: int | None
    rule_version: str
    evaluation_date: dt.date
    notes_zh: tuple[str, ...] = ()
    dropped_ip: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """E.g. ``"PASS"``, ``"PASS(DIRECT:RD_INSTITUTION)"``, ``"FAIL(SIZE)"``, ``"FAIL(RD_RATIO,NO_IP)"``."""
        if self.verdict is Verdict.PASS:
            if self.route and self.route.startswith("DIRECT:"):
                return f"PASS({self.route})"
            return "PASS"
        codes = ",".join(r.value for r in self.reasons)
        return f"{self.verdict.value}({codes})" if codes else self.verdict.value

    def condition(self, condition_id: str) -> ConditionResult:
        """The condition with ``condition_id``; raises ``KeyError`` when absent."""
        for cond in self.conditions:
            if cond.condition_id == condition_id:
                return cond
        raise KeyError(condition_id)

    def part(self, part_id: str) -> ScorePart:
        """The score part or item with ``part_id`` (searched recursively); raises ``KeyError``."""
        stack = list(self.score_parts)
        while stack:
            part = stack.pop(0)
            if part.part_id == part_id:
                return part
            stack.extend(part.children)
        raise KeyError(part_id)


@dataclass(frozen=True)
class Route:
    """A coaching suggestion checked against every condition of its tier (see :mod:`.feasibility`).

    Attributes:
        feasible: ``True`` when the changes in ``remedies`` break no condition of the tier.
        remedies: the changes to make together; the first is the suggestion itself or what replaces
            it (e.g. reclassifying existing staff instead of hiring); empty when no route exists.
        broken: Chinese names of the conditions the suggestion alone would break (empty if none).
        note_zh: Chinese sentence added to the coaching text, ``""`` when the suggestion stands as is.
    """

    feasible: bool
    remedies: tuple[Remedy, ...]
    broken: tuple[str, ...] = ()
    note_zh: str = ""


@_fast_frozen_init
@dataclass(frozen=True)
class CoachingItem:
    """One line of 精准辅导 for the next tier.

    Attributes:
        tier: the tier coached for.
        item_id: condition id or score part id.
        verdict: FAIL or NEEDS_REVIEW (for score parts: FAIL when points are short).
        text_zh: Chinese text with figures and the source.
        remedy: the smallest change, if one can be named; when the change would break another
            condition of the tier, the feasible replacement (e.g. reclassify staff), or the original
            marked not actionable when no route exists.
        points_short: for score parts, points below the part's maximum, else ``None``.
        routes: ``(item or hint id, Route)`` for every suggested change of figures in this line
            (the condition's remedy, or a score part's band hints), as checked against all
            conditions of the tier.
    """

    tier: Tier
    item_id: str
    verdict: Verdict
    text_zh: LazyText = LazyText()
    remedy: Remedy | None = None
    points_short: int | None = None
    routes: tuple[tuple[str, Route], ...] = ()

    @property
    def feasible(self) -> bool:
        """``False`` when some suggested change of this line has no route within the tier's rules."""
        return all(route.feasible for _, route in self.routes)


@_fast_frozen_init
@dataclass(frozen=True)
class Assessment:
    """All tiers for one enterprise on one date, with the next tier and the coaching list.

    Attributes:
        enterprise: enterprise name.
        evaluation_date: date assessed for.
        rule_version: rule parameters version.
        tsme: tech-SME :class:`TierResult`.
        hnte: HNTE :class:`TierResult`.
        gazelle: gazelle :class:`TierResult`.
        highest_tier_passed: highest tier whose verdict is PASS, or ``None``.
        next_tier: the tier to coach for, or ``None`` when every tier passes.
        coaching: :class:`CoachingItem` list for ``next_tier``.
    """

    enterprise: str
    evaluation_date: dt.date
    rule_version: str
    tsme: TierResult
    hnte: TierResult
    gazelle: TierResult
    highest_tier_passed: Tier | None
    next_tier: Tier | None
    coaching: tuple[CoachingItem, ...]

    def tier(self, tier: Tier) -> TierResult:
        """The :class:`TierResult` of ``tier``."""
        return {Tier.TSME: self.tsme, Tier.HNTE: self.hnte, Tier.GAZELLE: self.gazelle}[tier]


def combine_verdicts(conditions: tuple[ConditionResult, ...]) -> tuple[Verdict, tuple[Reason, ...]]:
    """FAIL if any condition fails (with all failing reasons), else NEEDS_REVIEW if any needs review
    (with those reasons), else PASS with no reasons."""
    fails: dict[Reason, None] = {}
    reviews: dict[Reason, None] = {}
    for c in conditions:
        if c.reason is not None:
            if c.verdict is _FAIL:
                fails[c.reason] = None
            elif c.verdict is _NEEDS_REVIEW:
                reviews[c.reason] = None
    if fails:
        return _FAIL, tuple(fails)
    if reviews:
        return _NEEDS_REVIEW, tuple(reviews)
    return _PASS, ()


def blocking_conditions(conditions: Iterable[ConditionResult]) -> list[str]:
    """The Chinese messages of failing conditions that neither effort nor waiting can change: a FAIL whose
    remedy is not actionable and names no date from which it would hold (a non-resident enterprise, HT-M
    art. 2). An enterprise with one can never qualify for the tier, so it is no candidate for it."""
    return [c.message_zh for c in conditions
            if c.verdict is Verdict.FAIL and c.remedy is not None and not c.remedy.actionable
            and c.remedy.until is None]


_PASS, _FAIL, _NEEDS_REVIEW = Verdict.PASS, Verdict.FAIL, Verdict.NEEDS_REVIEW
