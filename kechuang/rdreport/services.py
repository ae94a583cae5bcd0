"""R&D reports between the database and the engine: validation (预审前置), cross-check context from the
data the platform already holds, error localisation, and the review workflow (三级联动).

The engine works in the form's units (千元); reports are stored in yuan. :func:`engine_report` and
:func:`stored_values` convert at that boundary, nowhere else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kechuang.common import review as review_kit
from kechuang.common.access import ADD, CHANGE, role_allows
from kechuang.common.workflow import run_transition
from kechuang.core.choices import OrganisationKind
from kechuang.engines.rdreport import (
    Finding,
    Localisation,
    Project,
    Report,
    ReportInputError,
    ReviewContext,
    RuleKind,
    RuleSet,
    Severity,
    Source,
    Unit,
    form_catalogue,
    internal_expenditure,
    localise_errors,
    rule_set,
    thousand_to_yuan,
    validate_report,
    yuan_to_thousand,
)
from kechuang.engines.rdreport.superdeduction import Category
from kechuang.rdreport.models import (
    CommentReply,
    RdPlan,
    RdReport,
    RegionalGdp,
    ReportingDeadline,
    ReviewComment,
)

FIRST_REPORT_YEAR = 2018
"""The first report year the platform takes: super-deduction rates are encoded from 2018 (§4.1)."""


def check_report_year(value: int | str) -> int:
    """``value`` as a report year: from :data:`FIRST_REPORT_YEAR` to the current year.

    Raises:
        ValidationError: not a year, or outside that range (Chinese message).
    """
    try:
        year = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"报告年度“{value}”无效") from exc
    last = timezone.localdate().year
    if not FIRST_REPORT_YEAR <= year <= last:
        raise ValidationError(f"报告年度应在 {FIRST_REPORT_YEAR}–{last} 年之间")
    return year


def rules_for(year: int) -> RuleSet:
    """The year's audit rules with the bureau's choice of warning rules (setting ``KECHUANG_RD_RULES``:
    rule id → on/off, e.g. ``{"R16": True, "R20": True}``; open decision 4).

    Raises:
        KeyError: the setting names a rule the rules file does not have.
    """
    choices = getattr(settings, "KECHUANG_RD_RULES", None) or {}
    rules = rule_set(year)
    return rules.configured(choices) if choices else rules


# ----------------------------------------------------------------------------------------------- units


def _is_money(unit: Unit) -> bool:
    return unit is Unit.MONEY


def engine_report(year: int, firm: Mapping[str, Any], projects: Iterable[Mapping[str, Any]]) -> Report:
    """Stored values (money in yuan) → the engine's :class:`Report` (money in 千元)."""
    catalogue = form_catalogue(year)

    def convert(values: Mapping[str, Any], items: Mapping[str, Any]) -> dict[str, Any]:
        out = {}
        for key, value in values.items():
            item = items.get(key)
            if item is not None and _is_money(item.unit) and value not in (None, ""):
                value = yuan_to_thousand(Decimal(str(value)))
            out[key] = value
        return out

    return Report(year, convert(firm, catalogue.firm_items),
                  tuple(Project(convert(p, catalogue.project_columns)) for p in projects))


MAX_THOUSAND_DIGITS = 12
"""Amounts stay below 10¹² 千元 (10¹⁵ yuan; the money columns hold 18 digits with 2 decimals)."""
MAX_COUNT = 10**9
"""Persons, person-months and counts stay below this."""


def _figure(item: Any, value: Any) -> Decimal:
    """A numeric form value read exactly, or ``ValidationError`` naming the item."""
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise ValidationError(f"{item.label_zh}：应为数字")
    try:
        number = Decimal(str(value).strip())
        if not number.is_finite():
            raise ArithmeticError
    except ArithmeticError as exc:
        raise ValidationError(f"{item.label_zh}：“{value}”不是有效的数字") from exc
    limit = MAX_THOUSAND_DIGITS if _is_money(item.unit) else 9
    if number and number.adjusted() >= limit:
        raise ValidationError(f"{item.label_zh}：数值过大")
    if number and (number.adjusted() < -3 or int(number.normalize().as_tuple().exponent) < -3):
        unit = "千元，即精确到元" if _is_money(item.unit) else item.unit_zh or "单位"
        raise ValidationError(f"{item.label_zh}：最多保留三位小数（{unit}）")
    return number


def stored_values(year: int, values: Mapping[str, Any], *, project: bool = False) -> dict[str, Any]:
    """Form values (money in 千元) → stored values (money as yuan strings, blanks dropped). Numbers are
    bounded (:data:`MAX_THOUSAND_DIGITS`), at most 3 decimals; negative or fractional persons are kept
    for the audit rules (R21) to report. Codes must be in their code list; text at most 200 characters.

    Raises:
        ValidationError: a value that cannot be stored (names the item, in Chinese).
        KeyError: an item key the year's form does not have.
    """
    catalogue = form_catalogue(year)
    items = catalogue.project_columns if project else catalogue.firm_items
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value in (None, ""):
            continue
        item = items[key]
        if item.unit is Unit.TEXT:
            if not isinstance(value, str) or len(value) > 200:
                raise ValidationError(f"{item.label_zh}：应为不超过 200 字的文字")
            out[key] = value.strip()
            continue
        number = _figure(item, value)
        if _is_money(item.unit):
            out[key] = format(thousand_to_yuan(number).quantize(Decimal("0.01")), "f")
        elif item.unit is Unit.CODE:
            codes = catalogue.code_lists.get(item.code_list) if item.code_list else None
            if number != number.to_integral_value() or (codes is not None and int(number) not in codes.values):
                raise ValidationError(f"{item.label_zh}：代码“{value}”不在代码表中")
            out[key] = int(number)
        elif item.unit is Unit.YEAR_MONTH or (number == number.to_integral_value() and item.unit.integer):
            out[key] = int(number)
        else:
            out[key] = format(number.normalize(), "f") if number else "0"
    return out


def shown_values(year: int, values: Mapping[str, Any], *, project: bool = False) -> dict[str, Any]:
    """Stored values → form values (money in 千元), for the edit form's initial data."""
    catalogue = form_catalogue(year)
    items = catalogue.project_columns if project else catalogue.firm_items
    out = {}
    for key, value in values.items():
        item = items.get(key)
        if item is not None and _is_money(item.unit) and value not in (None, ""):
            value = yuan_to_thousand(Decimal(str(value))).normalize()
            value = format(value, "f")
        out[key] = value
    return out


# ----------------------------------------------------------------------------------------------- context


def review_context(report: RdReport) -> ReviewContext:
    """What the platform already holds about the enterprise, for the cross-checks:

    * last year's report (X01);
    * 营业收入 (sales revenue), 职工总数, the super-deduction R&D expense and the income statement's
      研发费用 of the same fiscal year from the cultivation figures (X03, R19a, X02, R19b), converted to 千元;
    * high-tech status: a certificate valid on any day of the report year (R17, R18);
    * super-deduction eligibility: not taxed by assessment and not in an excluded industry (§4.2).
    Unknown facts stay ``None`` and the checks needing them do not run.
    """
    from kechuang.cultivation.facts import enterprise_year

    previous = RdReport.objects.filter(enterprise_id=report.enterprise_id, year=report.year - 1).first()
    facts = enterprise_year(report.enterprise_id, report.year)

    def thousand(value: Decimal | None) -> Decimal | None:
        # the statistics forms hold whole yuan (千元 to 3 decimals); financial figures may carry fen
        return None if value is None else yuan_to_thousand(value.quantize(Decimal(1), ROUND_HALF_UP))

    return ReviewContext(
        previous=engine_report(previous.year, previous.firm, previous.projects) if previous else None,
        operating_revenue=thousand(facts.revenue),
        is_hnte=facts.hnte_valid_during(report.year) if facts.has_profile else None,
        tax_category=Category.GENERAL,
        super_deduction_eligible=facts.super_deduction_eligible,
        super_deduction_base=thousand(facts.super_deduction_base),
        average_employees=facts.staff,
        financial_rd_expense=thousand(facts.rd_expense_financial),
    )


# ----------------------------------------------------------------------------------------------- validation


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding as stored with the report and shown on its pages."""
    return {
        "rule_id": finding.rule_id, "rule_key": finding.rule_key, "severity": finding.severity.value,
        "message_zh": finding.message_zh, "fields": list(finding.fields),
        "source": f"{finding.source.document} {finding.source.rule}",
        "project_index": finding.project_index,
    }


REQUIRED_FIRM_ITEMS = ("rd_personnel_total", "rd_expense_total")
"""107-2 items that must be filled in (0 when there is none): the totals [1] and [7] every rule starts from."""
REQUIRED_PROJECT_COLUMNS = ("name", "personnel", "person_months", "expense")
"""107-1 columns every project row must fill in (0 when there is none)."""
REQUIRED_RULE = "必填"
REQUIRED_SOURCE = Source(
    document="国家统计局一套表 107-1/107-2 表式", article="rd_statistics.md §5.1", rule="必填项", confidence="M",
    note="platform choice: the engine reads a blank cell as 0, so a blank total or project figure is refused "
         "as not filled in instead of being checked as 0")


def missing_required(firm: Mapping[str, Any], projects: Iterable[Mapping[str, Any]]) -> list[tuple[int | None, str]]:
    """The required items left blank: ``(None, item key)`` for 107-2, ``(row index, column key)`` for 107-1
    (see :data:`REQUIRED_FIRM_ITEMS`, :data:`REQUIRED_PROJECT_COLUMNS`). A value of 0 is filled in."""
    missing: list[tuple[int | None, str]] = [(None, k) for k in REQUIRED_FIRM_ITEMS if firm.get(k) in (None, "")]
    for index, row in enumerate(projects):
        missing += [(index, k) for k in REQUIRED_PROJECT_COLUMNS
                    if row.get(k) in (None, "") or (k == "name" and not str(row.get(k)).strip())]
    return missing


def _required_findings(year: int, missing: list[tuple[int | None, str]],
                       projects: Sequence[Mapping[str, Any]]) -> list[Finding]:
    catalogue = form_catalogue(year)
    findings = []
    for index, key in missing:
        if index is None:
            item = catalogue.firm_items[key]
            message = f"{item.label_zh}：必填（没有请填 0）"
            rule_key = f"{REQUIRED_RULE}:{key}"
        else:
            item = catalogue.project_columns[key]
            name = str(projects[index].get("name") or "").strip()
            message = f"第{index + 1}个项目{f'“{name}”' if name else ''}：{item.label_zh}必填" + (
                "" if key == "name" else "（没有请填 0）")
            rule_key = f"{REQUIRED_RULE}:projects[{index}].{key}"
        findings.append(Finding(rule_id=REQUIRED_RULE, rule_key=rule_key, severity=Severity.ERROR,
                                kind=RuleKind.FORM, message_zh=message, fields=(key,), source=REQUIRED_SOURCE,
                                project_index=index))
    return findings


def _read_as_zero(finding: Finding, missing: set[tuple[int | None, str]], aggregates: Mapping[str, Any]) -> bool:
    """Whether ``finding`` judged a blank required item as 0 (then only the 必填 message stands)."""
    for key in finding.fields:
        if (finding.project_index, key) in missing:
            return True
        column = getattr(aggregates.get(key), "column", None)
        if finding.project_index is None and column and any(k == column for i, k in missing if i is not None):
            return True
    return False


def check(year: int, firm: Mapping[str, Any], projects: Sequence[Mapping[str, Any]],
          report: RdReport | None = None, only: set[str] | None = None) -> list[Finding]:
    """Validate stored values (money in yuan) of a report of ``year`` with every enabled rule, the
    cross-checks included when ``report`` (for its enterprise's context) is given. ``only``: the form
    rules a table validation found broken; then just those and the cross-checks are evaluated.

    A required item left blank (:func:`missing_required`) is an error saying 必填, and the findings of
    rules that would have read it as 0 are left out (they come back once it is filled in).

    Raises:
        ReportInputError: a value the engine cannot read (names the item).
    """
    context = review_context(report) if report is not None and report.enterprise_id else None
    rules = rules_for(year)
    if only is not None:
        only = set(only) | {r.key for r in rules.enabled_rules if r.kind is RuleKind.CROSS_CHECK}
    findings = validate_report(engine_report(year, firm, projects), context, rules, only=only)
    missing = missing_required(firm, projects)
    if not missing:
        return findings
    blank = set(missing)
    kept = [f for f in findings if not _read_as_zero(f, blank, rules.aggregates)]
    return _required_findings(year, missing, list(projects)) + kept


def refresh(report: RdReport, only: set[str] | None = None) -> list[Finding]:
    """Validate ``report`` and keep the result on it (findings, counts, totals); does not save.
    ``only``: as for :func:`check`."""
    findings = check(report.year, report.firm, report.projects, report, only)
    report.findings = [finding_json(f) for f in findings]
    report.error_count = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = [f for f in findings if f.severity is Severity.WARNING]
    report.warning_count = len(warnings)
    report.unexplained_count = sum(1 for f in warnings if not (report.explanations or {}).get(f.rule_key, "").strip())
    report.rd_expense_total = Decimal(str(report.firm.get("rd_expense_total") or 0))
    persons = Decimal(str(report.firm.get("rd_personnel_total") or 0))
    report.rd_personnel_total = int(persons) if persons >= 0 and persons == persons.to_integral_value() else 0
    engine = engine_report(report.year, report.firm, report.projects)
    report.internal_expenditure = thousand_to_yuan(internal_expenditure(engine, rules_for(report.year)))
    return findings


def localisation(report: RdReport) -> Localisation | None:
    """The fewest fields whose correction can satisfy every error rule (Fellegi–Holt), or None when the
    report breaks no error rule."""
    if not report.error_count or missing_required(report.firm or {}, report.projects or []):
        return None  # blank required items first: the localisation would read them as 0
    return localise_errors(engine_report(report.year, report.firm, report.projects), None, rules_for(report.year))


@transaction.atomic
def save_content(report: RdReport, firm: Mapping[str, Any], projects: Sequence[Mapping[str, Any]],
                 explanations: Mapping[str, str], user: Any, *, only: set[str] | None = None) -> RdReport:
    """Store what the user entered (money in 千元 → yuan), validate it and save (history records who).
    ``only``: the form rules a table validation of the same values found broken (bulk import), as for
    :func:`check`.

    Raises:
        ValidationError: the report is no longer editable, or a value cannot be read.
    """
    if report.pk and not report.editable:
        raise ValidationError(f"报表状态为“{report.get_status_display()}”，不能修改")
    report.firm = stored_values(report.year, firm)
    report.projects = [stored_values(report.year, p, project=True) for p in projects]
    report.explanations = {k: v.strip() for k, v in explanations.items() if v and v.strip()}
    try:
        refresh(report, only)
    except ReportInputError as exc:
        raise ValidationError(exc.message_zh) from exc
    report._history_user = user
    report.save()
    return report


def submit(report: RdReport, user: Any) -> RdReport:
    """Submit after a fresh validation: errors block it; every warning needs a written explanation.

    Raises:
        ValidationError: errors, or warnings without explanation (the message counts them).
        PermissionDenied: not allowed for this user or state.
    """
    refresh(report)
    if report.error_count:
        raise ValidationError(f"报表有 {report.error_count} 处错误，须修改后才能报送")
    if report.unexplained_count:
        raise ValidationError(f"有 {report.unexplained_count} 条预警尚未填写说明，填写后才能报送")
    report.submitted_at = timezone.now()
    return run_transition(report, "submit", user)


# ----------------------------------------------------------------------------------------------- review


def comment_label(report: RdReport, key: str) -> str:
    """The label of a field key a comment or a change names: the 107-2 item's label, or 项目 n + the
    column's name for a 107-1 cell ``projects[i].column``; the key itself when the form lacks it."""
    catalogue = form_catalogue(report.year)
    if key in catalogue.firm_items:
        return catalogue.firm_items[key].label_zh
    if key.startswith("projects["):
        index, _, column = key[len("projects["):].partition("].")
        name = catalogue.project_columns[column].name_zh if column in catalogue.project_columns else column
        return f"项目 {int(index) + 1 if index.isdigit() else index} {name}"
    return key


def _snapshot(report: RdReport) -> dict[str, Any]:
    return {"firm": report.firm, "projects": report.projects}


def _flatten(report: RdReport, snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """A snapshot as field key → value in 千元 (every 107-2 item, then each row's columns)."""
    catalogue = form_catalogue(report.year)
    firm = shown_values(report.year, snapshot.get("firm") or {})
    flat = {key: firm.get(key) for key in catalogue.firm_items}
    for index, row in enumerate(snapshot.get("projects") or []):
        shown = shown_values(report.year, row, project=True)
        flat.update({f"projects[{index}].{key}": shown.get(key) for key in catalogue.project_columns})
    return flat


def _known_field(report: RdReport, key: str) -> bool:
    return key in form_catalogue(report.year).firm_items or key.startswith("projects[")


REVIEW = review_kit.Review(comment_model=ReviewComment, reply_model=CommentReply, snapshot=_snapshot,
                           flatten=_flatten, label=comment_label, known_field=_known_field)
"""R&D reports on the review kit (:mod:`kechuang.common.review`)."""

REVIEW_STEPS = ("county_review", "city_review", "deliver")
"""The steps that pass a report on (县级预审, 市级审核, 报送统计部门); ``return_report`` sends it back."""


def review(report: RdReport, user: Any, name: str, comment: str = "") -> RdReport:
    """Pass the report on (county pre-review, city review, delivery to statistics), with an optional
    comment kept with the report.

    Raises:
        ValidationError: not a review step.
        PermissionDenied: not allowed for this user or state.
    """
    if name not in REVIEW_STEPS:
        raise ValidationError(f"未知的审核操作：{name}")
    return REVIEW.advance(report, user, name, comment)


def return_report(report: RdReport, user: Any, comments: list[tuple[str, str]]) -> RdReport:
    """Return the report for correction with comments (``(field, text)``, field "" for the whole report;
    :meth:`kechuang.common.review.Review.return_with_comments`).

    Raises:
        ValidationError: no comment given, or a field the form does not have.
        PermissionDenied: not allowed for this user or state.
    """
    return REVIEW.return_with_comments(report, user, comments)


def review_step(report: RdReport, user: Any, name: str, comment: str = "",
                field_comments: Iterable[tuple[str, str]] = ()) -> RdReport:
    """One review step as the page and the API ask for it: ``return_report`` returns with ``comment``
    (about the whole report) and ``field_comments`` (``(field, text)``); any other name passes the report
    on by :func:`review` with ``comment``.

    Raises:
        ValidationError: an unknown step, or a return without a comment.
        PermissionDenied: not allowed for this user or state.
    """
    if name == review_kit.RETURN_STEP:
        return return_report(report, user, [("", comment), *field_comments])
    return review(report, user, name, comment)


REPLY_MAX = review_kit.REPLY_MAX
"""Characters of one reply (the column holds 1000)."""


def may_reply(report: RdReport, user: Any) -> bool:
    """Whether ``user`` may answer the report's comments now (``STEP_RULES["rdreport.RdReport"]["reply"]``:
    the enterprise's own users while the report is a draft or returned)."""
    return REVIEW.may_reply(report, user)


def reply_to_comment(comment: ReviewComment, user: Any, text: str) -> CommentReply:
    """Answer a reviewer's comment (e.g. a request for evidence) with text; who and when are stored, and
    earlier replies stay (each reply is a new row). Files are not taken yet: they come with the
    attachment service.

    Raises:
        ValidationError: empty text, or longer than :data:`REPLY_MAX` characters (Chinese message).
        PermissionDenied: the user may not answer for this report, or the report is not with the enterprise.
    """
    return cast(CommentReply, REVIEW.reply(comment, user, text))  # the kit answers with its reply_model


def labelled_comments(report: RdReport) -> list[ReviewComment]:
    """The report's comments (oldest first) with their replies, each with ``field_label``
    (:func:`comment_label`)."""
    return cast(list[ReviewComment], REVIEW.labelled_comments(report))  # the kit's comment_model


def changes_since_return(report: RdReport) -> list[review_kit.Change]:
    """What changed since the report was last returned, compared by value: each ``(label, old, new)``
    with money in 千元."""
    return REVIEW.changes_since_return(report)


# ----------------------------------------------------------------------------------------------- start


class ReportExists(ValidationError):
    """The enterprise already has a report of that year (``report``: the one it has)."""

    def __init__(self, report: RdReport) -> None:
        super().__init__({"year": ["该企业该年度的报表已存在"]})
        self.report = report


def new_report(user: Any, enterprise_id: Any, year: Any) -> RdReport:
    """An enterprise's report of ``year``, not saved yet (the first save is :func:`save_content`): the
    enterprise user's own organisation when ``enterprise_id`` is empty; staff name the enterprise.

    Raises:
        PermissionDenied: the role may not start reports.
        ValidationError: no year, not a report year (:func:`check_report_year`), or no enterprise named
            (a staff user), by field.
        ReportExists: the enterprise has a report of that year.
        Http404: the enterprise is outside the user's scope.
    """
    from kechuang.cultivation.facts import enterprise_for

    if not role_allows(user, RdReport, ADD):
        raise PermissionDenied("无权新建研发投入统计报表")
    if year in (None, ""):
        raise ValidationError({"year": ["必填"]})
    try:
        year = check_report_year(year)
    except ValidationError as exc:
        raise ValidationError({"year": exc.messages}) from exc
    enterprise_id = enterprise_id or user.organisation_id
    if not enterprise_id:
        raise ValidationError({"enterprise": ["必填：请从企业页面为某一企业新建报表"]})
    enterprise = enterprise_for(user, enterprise_id)
    existing = RdReport.objects.filter(enterprise=enterprise, year=year).first()
    if existing is not None:
        raise ReportExists(existing)
    return RdReport(enterprise=enterprise, year=year)


# ----------------------------------------------------------------------------------------------- targets


@transaction.atomic
def set_target(enterprise: Any, year: int, target: Decimal | None, note: str, user: Any) -> RdPlan:
    """Put ``enterprise`` in the plan (一企一策) of ``year`` with ``target`` (yuan, None for no target) and
    ``note``, or change its plan; the history records who.

    Raises:
        PermissionDenied: the user may not change this enterprise's plans.
        ValidationError: a negative target, or an organisation that is not an enterprise.
    """
    if enterprise.kind != OrganisationKind.ENTERPRISE:
        raise ValidationError("只有企业可以列入一企一策")
    if not (role_allows(user, RdPlan, ADD) and role_allows(user, RdPlan, CHANGE)):
        raise PermissionDenied("无权设置研发目标")
    if target is not None and target < 0:
        raise ValidationError("目标研发费用不能为负数")
    plan = RdPlan.objects.filter(enterprise=enterprise, year=year).first() or RdPlan(enterprise=enterprise,
                                                                                       year=year)
    plan.target_expense = target
    plan.note = note.strip()
    plan._history_user = user
    plan.full_clean()
    plan.save()
    return plan


# ----------------------------------------------------------------------------------------------- GDP


@transaction.atomic
def set_gdp(region: Any, year: int, gdp: Decimal | None, user: Any) -> RegionalGdp | None:
    """Enter (or change) the GDP of ``region`` in ``year`` in yuan; None removes it. History records who.

    Raises:
        PermissionDenied: the user may not enter this region's GDP
            (:func:`kechuang.rdreport.aggregates.may_set_gdp`).
        ValidationError: a negative GDP.
    """
    from kechuang.rdreport.aggregates import may_set_gdp

    if not may_set_gdp(user, region):
        raise PermissionDenied("无权录入该区域的地区生产总值")
    held = RegionalGdp.objects.filter(region=region, year=year).first()
    if gdp is None:
        if held is not None:
            held._history_user = user
            held.delete()
        return None
    if gdp < 0:
        raise ValidationError("地区生产总值不能为负数")
    row = held or RegionalGdp(region=region, year=year)
    if row.gdp == gdp:
        return row
    row.gdp = gdp
    row._history_user = user
    row.full_clean()
    row.save()
    return row


def deadline_for(report_or_enterprise: Any, year: int) -> dt.date | None:
    """The deadline of ``year``'s report for an enterprise: the nearest region up its tree with one."""
    enterprise = getattr(report_or_enterprise, "enterprise", report_or_enterprise)
    region = enterprise.region
    deadlines = {d.region_id: d.deadline for d in ReportingDeadline.objects.filter(year=year)}
    while region is not None:
        if region.pk in deadlines:
            return deadlines[region.pk]
        region = region.parent
    return None
