"""Demo cultivation data: figures for every demo enterprise over several fiscal years, and evaluations of
three years, spread so that every tier and the usual kinds of failure appear (created once, never reset).

The figures come from the engine benchmark's generator (:func:`make_enterprise_year`), which draws
realistic enterprises of every size with band edges, missing figures, reused IP, incidents and
certificates; each is moved in time so that its last fiscal year is the year before the newest demo
evaluation year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from kechuang.common.demo import DEMO_SOURCE
from kechuang.core.choices import OrganisationKind
from kechuang.core.models import Organisation
from kechuang.cultivation.figures import save_figures
from kechuang.cultivation.models import CultivationProfile
from kechuang.cultivation.services import evaluate_year
from kechuang.engines.cultivation import EnterpriseFigures, TsmeRegistration
from kechuang.engines.cultivation.arithmetic import add_years
from kechuang.engines.cultivation.bench import make_enterprise_year

DEMO_SEED = 2026


def shifted(figures: EnterpriseFigures, years: int) -> EnterpriseFigures:
    """``figures`` moved ``years`` years in time (every date and fiscal year)."""

    def day(value: dt.date) -> dt.date:
        return add_years(value, years)

    registration = figures.tsme_registration
    return replace(
        figures,
        establish_date=day(figures.establish_date),
        years=tuple(replace(row, year=row.year + years) for row in figures.years),
        standards=tuple(replace(s, date=day(s.date)) for s in figures.standards),
        awards=tuple(replace(a, date=day(a.date)) for a in figures.awards),
        incidents=None if figures.incidents is None else tuple(replace(i, date=day(i.date))
                                                               for i in figures.incidents),
        hnte_certificate=replace(figures.hnte_certificate, issue_date=day(figures.hnte_certificate.issue_date))
        if figures.hnte_certificate else None,
        tsme_registration=TsmeRegistration(registration.number, registration.year + years) if registration else None,
    )


def demo_figures(index: int, last_fiscal_year: int) -> EnterpriseFigures:
    """Demo enterprise ``index``'s figures with ``last_fiscal_year`` as its last fiscal year."""
    figures, evaluation_date = make_enterprise_year(DEMO_SEED, index)
    return shifted(figures, last_fiscal_year - (evaluation_date.year - 1))


def load_cultivation_demo(newest_year: int | None = None) -> int:
    """Give every demo enterprise without a profile its figures and evaluate the three years up to
    ``newest_year`` (default: the current year). Returns the number of enterprises given figures."""
    newest_year = newest_year or dt.date.today().year
    enterprises = list(Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, source=DEMO_SOURCE,
                                                   cultivation_profile__isnull=True).order_by("pk"))
    if not enterprises:
        return 0
    for index, enterprise in enumerate(enterprises):
        save_figures(enterprise, demo_figures(index, newest_year - 1))
    demo = Organisation.objects.filter(pk__in=[e.pk for e in enterprises])
    for year in range(newest_year - 2, newest_year + 1):
        evaluate_year(year, demo)
    return len(enterprises)


def has_demo() -> bool:
    """Whether demo cultivation data are loaded."""
    return CultivationProfile.objects.filter(enterprise__source=DEMO_SOURCE).exists()
