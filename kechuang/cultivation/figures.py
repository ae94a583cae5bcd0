"""Between the database and the engine: an enterprise's records ⇄ ``EnterpriseFigures``.

:func:`figures_of` reads what the platform holds about one enterprise into the engine's input;
:func:`save_figures` writes engine figures (from a JSON file, the demo) into the records, replacing the
enterprise's lists. Both directions are one mapping, so a round trip keeps every figure (tested).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from kechuang.core.models import Organisation
from kechuang.cultivation.choices import engine_value
from kechuang.cultivation.models import (
    AnnualFigures,
    Award,
    CultivationProfile,
    Incident,
    IntellectualProperty,
    RecognisedRdInstitution,
    StandardDrafted,
)
from kechuang.engines.cultivation import (
    Acquisition,
    AwardLevel,
    AwardRecord,
    EnterpriseFigures,
    ExpertInput,
    FiscalYearFigures,
    HnteCertificate,
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
from kechuang.engines.cultivation import Incident as IncidentRecord

YEAR_FIELDS = tuple(name for name in FiscalYearFigures.__dataclass_fields__ if name != "year")
IP_FLAGS = ("in_force", "granted_in_china", "owned_by_applicant", "related_to_main_products", "in_dispute",
            "used_in_previous_recognition", "claimed_by_co_owner")
PROFILE_FLAGS = ("is_resident_enterprise", "registered_in_mainland", "is_local_legal_person",
                 "in_restricted_catalogue", "in_super_deduction_excluded_industry", "on_abnormal_operation_list",
                 "on_serious_violation_list")
#: What :func:`figures_of` reads; pass to ``prefetch_related`` when reading many enterprises.
PREFETCH = ("annual_figures", "intellectual_property", "standards_drafted", "awards", "rd_institutions",
            "incidents")


class MissingProfile(ValueError):
    """The enterprise has no cultivation profile (its registration date is unknown)."""


def year_figures(row: AnnualFigures) -> FiscalYearFigures:
    """One ``AnnualFigures`` row as the engine's ``FiscalYearFigures`` (same names and units)."""
    return FiscalYearFigures(year=row.year, **{name: getattr(row, name) for name in YEAR_FIELDS})


def figures_of(enterprise: Organisation) -> EnterpriseFigures:
    """Everything the platform holds about ``enterprise`` as the engine's input.

    Uses the prefetched lists when the organisation was fetched with ``prefetch_related(*PREFETCH)`` and
    ``select_related("cultivation_profile")``.

    Raises:
        MissingProfile: the enterprise has no :class:`CultivationProfile`.
    """
    try:
        profile = enterprise.cultivation_profile
    except CultivationProfile.DoesNotExist as exc:
        raise MissingProfile(f"{enterprise.name}：尚未建立培育档案（缺少成立日期等基本信息）") from exc
    return figures_from_records(
        enterprise.name, enterprise.uscc, profile, enterprise.annual_figures.all(),
        ip_items=enterprise.intellectual_property.all(), standards=enterprise.standards_drafted.all(),
        awards=enterprise.awards.all(), institutions=enterprise.rd_institutions.all(),
        incidents=enterprise.incidents.all())


def figures_from_records(
    name: str,
    uscc: str | None,
    profile: CultivationProfile,
    rows: Iterable[AnnualFigures],
    *,
    ip_items: Iterable[IntellectualProperty] = (),
    standards: Iterable[StandardDrafted] = (),
    awards: Iterable[Award] = (),
    institutions: Iterable[RecognisedRdInstitution] = (),
    incidents: Iterable[Incident] = (),
) -> EnterpriseFigures:
    """The engine's input from model instances, saved or not (the public self-assessment builds them from
    the enterprise's own forms without saving): one mapping for the platform and the form. Incidents count
    only when ``profile.incidents_checked``."""
    certificate = None
    if profile.hnte_certificate_issue_date:
        certificate = HnteCertificate(profile.hnte_certificate_number, profile.hnte_certificate_issue_date)
    registration = None
    if profile.tsme_registration_number and profile.tsme_registration_year:
        registration = TsmeRegistration(profile.tsme_registration_number, profile.tsme_registration_year)
    flags = {flag: getattr(profile, flag) for flag in PROFILE_FLAGS}
    checked: tuple[IncidentRecord, ...] | None = None
    if profile.incidents_checked:
        checked = tuple(IncidentRecord(i.date, IncidentKind[i.kind], i.description) for i in incidents)
    return EnterpriseFigures(
        name=name,
        establish_date=profile.establish_date,
        years=tuple(year_figures(row) for row in rows),
        uscc=uscc,
        tax_mode=engine_value(TaxMode, profile.tax_mode),
        tech_field=engine_value(TechField, profile.tech_field),
        ip_items=tuple(
            IPItem(ip.identifier, IPKind[ip.kind], Acquisition[ip.acquisition],
                   **{flag: getattr(ip, flag) for flag in IP_FLAGS})
            for ip in ip_items),
        rd_management=RdManagementEvidence(**{field: getattr(profile, field)
                                              for field in CultivationProfile.EVIDENCE_FIELDS}),
        standards=tuple(StandardRecord(s.title, StandardLevel[s.level], StandardRole[s.role], s.date, s.recognized,
                                       StandardKind[s.kind]) for s in standards),
        awards=tuple(AwardRecord(a.title, AwardLevel[a.level], a.date, a.rank) for a in awards),
        rd_institutions=tuple(RdInstitution(r.name, InstitutionLevel[r.level]) for r in institutions),
        incidents=checked,
        hnte_certificate=certificate,
        tsme_registration=registration,
        expert=ExpertInput(bands=dict(profile.expert_bands or {}), points=dict(profile.expert_points or {})),
        **flags,
    )


def enterprises_with_figures(queryset: Any) -> Any:
    """``queryset`` of organisations with what :func:`figures_of` reads fetched in a few queries."""
    return queryset.select_related("cultivation_profile").prefetch_related(*PREFETCH)


def save_records(figures: EnterpriseFigures) -> tuple[CultivationProfile, list[AnnualFigures], dict[str, list[Any]]]:
    """``figures`` as unsaved model instances (no enterprise set): the profile, the yearly rows and the
    lists by the prefixes of the profile page (``ip``, ``standards``, ``awards``, ``institutions``,
    ``incidents``). The inverse of :func:`figures_from_records`; :func:`save_figures` writes them."""
    profile = CultivationProfile(establish_date=figures.establish_date)
    for name in PROFILE_FLAGS:
        setattr(profile, name, getattr(figures, name))
    profile.tax_mode = figures.tax_mode.name if figures.tax_mode else ""
    profile.tech_field = figures.tech_field.name if figures.tech_field else ""
    profile.incidents_checked = figures.incidents is not None
    for name in CultivationProfile.EVIDENCE_FIELDS:
        setattr(profile, name, getattr(figures.rd_management, name))
    certificate, registration = figures.hnte_certificate, figures.tsme_registration
    profile.hnte_certificate_number = certificate.number if certificate else ""
    profile.hnte_certificate_issue_date = certificate.issue_date if certificate else None
    profile.tsme_registration_number = registration.number if registration else ""
    profile.tsme_registration_year = registration.year if registration else None
    profile.expert_points = dict(figures.expert.points)
    profile.expert_bands = dict(figures.expert.bands)
    rows = [AnnualFigures(year=row.year, **{name: getattr(row, name) for name in YEAR_FIELDS})
            for row in figures.years]
    lists: dict[str, list[Any]] = {
        "ip": [IntellectualProperty(identifier=ip.identifier, kind=ip.kind.name, acquisition=ip.acquisition.name,
                                    **{flag: getattr(ip, flag) for flag in IP_FLAGS}) for ip in figures.ip_items],
        "standards": [StandardDrafted(title=s.title, kind=s.kind.name, level=s.level.name, role=s.role.name,
                                      date=s.date, recognized=s.recognized) for s in figures.standards],
        "awards": [Award(title=a.title, level=a.level.name, date=a.date, rank=a.rank) for a in figures.awards],
        "institutions": [RecognisedRdInstitution(name=r.name, level=r.level.name) for r in figures.rd_institutions],
        "incidents": [Incident(date=i.date, kind=i.kind.name, description=i.description)
                      for i in figures.incidents or ()],
    }
    return profile, rows, lists


@transaction.atomic
def save_figures(enterprise: Organisation, figures: EnterpriseFigures) -> CultivationProfile:
    """Write ``figures`` as ``enterprise``'s profile, yearly rows and lists (all or nothing).

    The profile and the yearly rows of the years given are created or updated (history records the
    change); the lists (IP, standards, awards, institutions, incidents) are replaced. ``figures.name``
    and ``figures.uscc`` are not written: the organisation keeps its registered name and code.

    Returns:
        The saved :class:`CultivationProfile`.
    """
    record, rows, lists = save_records(figures)
    profile, _ = CultivationProfile.objects.get_or_create(
        enterprise=enterprise, defaults={"establish_date": figures.establish_date})
    for field in CultivationProfile._meta.concrete_fields:
        if field.name not in ("id", "enterprise", "updated_at", "hnte_certificate_valid_until"):
            setattr(profile, field.attname, getattr(record, field.attname))
    profile.save()
    for row in rows:
        AnnualFigures.objects.update_or_create(
            enterprise=enterprise, year=row.year, defaults={name: getattr(row, name) for name in YEAR_FIELDS})
    for model in (IntellectualProperty, StandardDrafted, Award, RecognisedRdInstitution, Incident):
        model.objects.filter(enterprise=enterprise).delete()
    for items in lists.values():
        for item in items:
            item.enterprise = enterprise
        if items:
            bulk_create_with_history(items, type(items[0]))
    return profile
