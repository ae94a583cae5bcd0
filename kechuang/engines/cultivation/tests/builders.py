"""Test data builders: a reference enterprise that passes every tier, and small helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from kechuang.engines.cultivation import (
    EnterpriseFigures,
    ExpertInput,
    FiscalYearFigures,
    HnteCertificate,
    IPItem,
    IPKind,
    TaxMode,
    TechField,
)
from kechuang.engines.cultivation.parameters import rule_parameters

APPLY = dt.date(2025, 6, 30)
"""Evaluation date used by the tests (fiscal years 2022–2024 form the HNTE window)."""

HNTE = rule_parameters(2025).hnte
TSME = rule_parameters(2025).tsme


def wan(value: str | int) -> Decimal:
    """万元 → yuan."""
    return Decimal(str(value)) * 10000


def ip(n: int, kind: IPKind = IPKind.SOFTWARE_COPYRIGHT, **kwargs: object) -> tuple[IPItem, ...]:
    """``n`` IP items of one kind."""
    return tuple(IPItem(f"{kind.name}-{i}", kind, **kwargs) for i in range(n))  # type: ignore[arg-type]


def year(y: int, **kwargs: object) -> FiscalYearFigures:
    """A figures row; money given in 万元 as str/int is converted for the money fields named ``*_wan``."""
    converted: dict[str, object] = {}
    for key, value in kwargs.items():
        if key.endswith("_wan"):
            converted[key[:-4]] = None if value is None else wan(value)  # type: ignore[arg-type]
        else:
            converted[key] = value
    return FiscalYearFigures(year=y, **converted)  # type: ignore[arg-type]


def reference_years() -> tuple[FiscalYearFigures, ...]:
    """2021–2024 figures of an enterprise that meets every tier."""
    return (
        year(2021, sales_revenue_wan=2000, net_assets_wan=1500, staff_total_avg=80, tech_staff_avg=20),
        year(
            2022,
            sales_revenue_wan=3000,
            net_assets_wan=2000,
            rd_expense_hnte_wan=180,
            rd_expense_hnte_domestic_wan=180,
            achievements_transformed=5,
            staff_total_avg=90,
            tech_staff_avg=25,
        ),
        year(
            2023,
            sales_revenue_wan=4000,
            net_assets_wan=2600,
            rd_expense_hnte_wan=240,
            rd_expense_hnte_domestic_wan=240,
            achievements_transformed=5,
            staff_total_avg=95,
            tech_staff_avg=28,
        ),
        year(
            2024,
            sales_revenue_wan=4800,
            net_assets_wan=3380,
            rd_expense_hnte_wan=288,
            rd_expense_hnte_domestic_wan=288,
            rd_expense_super_deduction_wan=300,
            achievements_transformed=5,
            staff_total_avg=100,
            tech_staff_avg=30,
            total_revenue_wan=4900,
            non_taxable_revenue_wan=100,
            hitech_revenue_wan=4000,
            total_assets_wan=6000,
            total_costs_and_expenses_wan=4000,
        ),
    )


def reference(**changes: object) -> EnterpriseFigures:
    """The reference enterprise (passes tech SME, HNTE and gazelle on :data:`APPLY`), with ``changes``."""
    base = EnterpriseFigures(
        name="达州示例科技有限公司",
        establish_date=dt.date(2018, 3, 1),
        years=reference_years(),
        is_resident_enterprise=True,
        registered_in_mainland=True,
        is_local_legal_person=True,
        tax_mode=TaxMode.ACTUAL_BOOKS,
        tech_field=TechField.ELECTRONIC_INFORMATION,
        in_restricted_catalogue=False,
        in_super_deduction_excluded_industry=False,
        ip_items=ip(1, IPKind.INVENTION_PATENT) + ip(3),
        incidents=(),
        on_abnormal_operation_list=False,
        on_serious_violation_list=False,
        hnte_certificate=HnteCertificate("GR202351000001", dt.date(2023, 11, 1)),
        expert=ExpertInput(points={"A1": 7, "A2": 7, "C1": 5, "C2": 5, "C3": 3, "C4": 3}),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def replace_year(enterprise: EnterpriseFigures, y: int, **changes: object) -> EnterpriseFigures:
    """Copy of ``enterprise`` with fields of year ``y`` changed (``*_wan`` keys in 万元)."""
    converted: dict[str, object] = {}
    for key, value in changes.items():
        if key.endswith("_wan"):
            converted[key[:-4]] = None if value is None else wan(value)  # type: ignore[arg-type]
        else:
            converted[key] = value
    rows = tuple(replace(r, **converted) if r.year == y else r for r in enterprise.years)  # type: ignore[arg-type]
    return replace(enterprise, years=rows)
