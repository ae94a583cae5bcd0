"""Who may see and change what: the one place that decides.

Every registered model declares an :class:`AccessScope`: the lookup from the record to its region and to
its owning organisation(s), and which actions each role has (one of the named :class:`Actions` presets).
Everything else derives from :func:`scope_q`:

* ``Model.objects.visible_to(user, action)`` narrows any queryset (list pages, exports, API lists);
* :func:`get_for_user` fetches one record and answers 404 when it is outside the user's scope, so a
  guessed id leaks nothing;
* the ``rules`` object permissions (``core.change_organisation`` …) call :func:`can`.

Region-bound roles (city administrator, county officer, statistics officer) reach their region and
every region below it in the tree; organisation-bound roles (enterprise user, researcher, expert) reach
their own organisation's records (and records they own personally, such as an expert's profile). A
superuser reaches everything. Records in a public state (a published achievement) can be viewed by
every signed-in user; some fields of them (a demand's contact details, an expert's personal data) stay
restricted, decided by :func:`restricted_fields`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from kechuang.common.roles import ORGANISATION_ROLES, REGION_ROLES, Role

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ACTIONS = (VIEW, ADD, CHANGE, DELETE)

ActionTable = Mapping[str, frozenset[str]]


def _table(**roles: frozenset[str]) -> ActionTable:
    """A read-only role → actions table (keys are ``Role`` values)."""
    return MappingProxyType({getattr(Role, name.upper()): actions for name, actions in roles.items()})


class Actions:
    """Named role → actions presets, declared once here and named by the models' scopes.

    Every preset gives bureau staff the same rights over the records in their region (city administrator
    everything, county officer view/add/change, statistics officer view); they differ in what the
    organisation-bound roles (enterprise user, researcher, expert) may do on their own records. A role
    missing from a preset has no action on the model at all. :meth:`extend` derives a variant.

    Presets:
        STAFF_ONLY: staff only (campaigns, affinity matrices, GDP, deadlines, re-evaluation runs).
        OWNER_READS: staff, and the owning enterprise reads (matchmaking records, R&D plans).
        OWNER_EDITS: staff, the owning organisation's users read and change, researchers and experts read
            their own organisation (organisations and their contacts; the default).
        OWNER_KEEPS: staff, and the owning enterprise keeps the records itself (view, add, change, delete:
            cultivation figures, property, awards …); researchers and experts have no part.
        REVIEWED: staff review, the owning enterprise files and corrects (view, add, change; R&D reports,
            review comments and replies); nobody else.
        REGISTRY: staff, and enterprises and researchers register their own records (view, add, change,
            delete), experts read (achievements; demands with researchers reading only).
    """

    ALL = frozenset({VIEW, ADD, CHANGE, DELETE})
    FILE = frozenset({VIEW, ADD, CHANGE})
    READ = frozenset({VIEW})

    STAFF_ONLY: ActionTable = _table(city_admin=ALL, county_officer=FILE, statistics_officer=READ)
    OWNER_READS: ActionTable = _table(city_admin=ALL, county_officer=FILE, statistics_officer=READ,
                                      enterprise_user=READ)
    OWNER_EDITS: ActionTable = _table(city_admin=ALL, county_officer=FILE, statistics_officer=READ,
                                      enterprise_user=frozenset({VIEW, CHANGE}), researcher=READ, expert=READ)
    OWNER_KEEPS: ActionTable = _table(city_admin=ALL, county_officer=FILE, statistics_officer=READ,
                                      enterprise_user=ALL)
    REVIEWED: ActionTable = _table(city_admin=ALL, county_officer=FILE, statistics_officer=READ,
                                   enterprise_user=FILE)
    REGISTRY: ActionTable = _table(city_admin=ALL, county_officer=FILE, statistics_officer=READ,
                                   enterprise_user=ALL, researcher=ALL, expert=READ)

    @staticmethod
    def extend(preset: ActionTable, **roles: frozenset[str] | set[str]) -> ActionTable:
        """``preset`` with some roles' actions replaced, e.g.
        ``Actions.extend(Actions.STAFF_ONLY, enterprise_user={VIEW, ADD})`` (role names as in ``Role``,
        lower case)."""
        table = dict(preset)
        table.update(_table(**{name: frozenset(actions) for name, actions in roles.items()}))
        return MappingProxyType(table)


#: The preset a scope gets when it names none.
DEFAULT_ACTIONS: ActionTable = Actions.OWNER_EDITS


@dataclass(frozen=True)
class AccessScope:
    """How a model's records hang on the region tree and on organisations.

    Attributes:
        region: lookup from the record to its ``Region`` (e.g. ``"region"``, ``"enterprise__region"``).
        organisation: lookup from the record to the id of its owning organisation (``"pk"`` for an
            organisation itself, ``"enterprise"`` for a demand), or None when organisations own none.
        organisations: two or more such lookups, for records two organisations share (issuer and solver,
            buyer and seller: ``organisations=("seller", "buyer")``); the users of any of them reach the
            record. Give either ``organisation`` or ``organisations``; after construction
            ``organisations`` always holds every owner lookup (empty when none).
        actions: role → the actions it has on records in its scope.
        user: lookup from the record to the user who owns it personally (an expert's profile), or None.
        public: records every signed-in user may view (e.g. published ones), or None.
        owner_editable: for organisation-bound roles, the records they may change or delete (e.g.
            drafts only; staff are not limited by it), or None for no limit.
        owner_visible: for organisation-bound roles, the records they may view at all (e.g. pairings
            of published campaigns only), or None for no limit.
        restricted: field group name → (field names, rule(user, record) → may see them).
    """

    region: str
    organisation: str | None = None
    actions: Mapping[str, frozenset[str]] = field(default_factory=lambda: dict(DEFAULT_ACTIONS))
    organisations: tuple[str, ...] = ()
    user: str | None = None
    public: Q | None = None
    owner_editable: Q | None = None
    owner_visible: Q | None = None
    restricted: Mapping[str, tuple[tuple[str, ...], Callable[[Any, Any], bool]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Normalise the owner lookups into ``organisations``.

        Raises:
            ValueError: both ``organisation`` and ``organisations`` given, or an owner named twice.
        """
        if self.organisation and self.organisations:
            raise ValueError("give organisation or organisations, not both")
        owners = tuple(self.organisations) or ((self.organisation,) if self.organisation else ())
        if len(set(owners)) != len(owners):
            raise ValueError(f"an owning organisation is named twice: {owners}")
        object.__setattr__(self, "organisations", owners)


def scope_of(model: type[models.Model]) -> AccessScope:
    """The model's declared ``access_scope``.

    Raises:
        TypeError: the model declares none (a model without a scope must not be served to users).
    """
    scope = getattr(model, "access_scope", None)
    if not isinstance(scope, AccessScope):
        raise TypeError(f"{model.__name__} declares no access_scope")
    return scope


def role_allows(user: Any, model: type[models.Model], action: str) -> bool:
    """Whether the user's role has ``action`` on this model at all (inside its scope)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return action in scope_of(model).actions.get(user.role, frozenset())


def scope_q(user: Any, model: type[models.Model], action: str = VIEW) -> Q | None:
    """The filter selecting the records of ``model`` on which ``user`` may do ``action``.

    Returns:
        A ``Q`` (``Q()`` for everything) or None when the user may do it on nothing.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    scope = scope_of(model)
    own = _own_q(user, model, scope, action)
    if action == VIEW and scope.public is not None and getattr(user, "is_authenticated", False) \
            and user.is_active:
        return scope.public if own is None else own | scope.public
    return own


def _own_q(user: Any, model: type[models.Model], scope: AccessScope, action: str) -> Q | None:
    """The records reached through the user's region or organisation (not the public ones)."""
    if not role_allows(user, model, action):
        return None
    if user.is_superuser:
        return Q()
    if user.role in REGION_ROLES:
        if user.region_id is None:
            return None
        return Q(**{f"{scope.region}__path__startswith": user.region.path})
    if user.role in ORGANISATION_ROLES:
        parts: list[Q] = []
        if user.organisation_id is not None:
            parts.extend(Q(**{lookup: user.organisation_id}) for lookup in scope.organisations)
        if scope.user:
            parts.append(Q(**{scope.user: user.pk}))
        if not parts:
            return None
        q = parts[0]
        for part in parts[1:]:
            q |= part
        if action != VIEW and scope.owner_editable is not None:
            q &= scope.owner_editable
        if scope.owner_visible is not None:
            q &= scope.owner_visible
        return q
    return None


def is_region_staff(user: Any) -> bool:
    """Whether ``user`` is bureau staff bound to a region: city administrator, county officer or
    statistics officer (or a superuser) — the roles that see pools, dashboards and aggregates."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and (user.is_superuser or user.role in REGION_ROLES))


def may_import(user: Any) -> bool:
    """Whether ``user`` may bulk-import records (city administrator or county officer, or a superuser)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and (user.is_superuser or user.role in (Role.CITY_ADMIN, Role.COUNTY_OFFICER)))


def is_staff_of(user: Any, obj: models.Model) -> bool:
    """Whether ``user`` is city or county staff (or a superuser) whose region holds ``obj``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not user.is_superuser and user.role not in (Role.CITY_ADMIN, Role.COUNTY_OFFICER):
        return False
    return can(user, CHANGE, obj)


def reaches(user: Any, obj: models.Model) -> bool:
    """Whether ``user`` reaches ``obj`` through its own region or organisation — staff over the record's
    region, or its owner — and not merely because the record is public. Review comments and the
    names of the people who acted on a record are for them only (see ``common/history.py``)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    model = type(obj)
    if not isinstance(getattr(model, "access_scope", None), AccessScope):
        return bool(user.is_superuser)
    q = _own_q(user, model, scope_of(model), VIEW)
    return q is not None and model._default_manager.filter(q, pk=obj.pk).exists()


def restricted_fields(user: Any, obj: models.Model) -> set[str]:
    """The fields of ``obj`` that ``user`` must not see (blank them in pages, exports and API)."""
    hidden: set[str] = set()
    for names, rule in scope_of(type(obj)).restricted.values():
        if not (getattr(user, "is_superuser", False) or rule(user, obj)):
            hidden.update(names)
    return hidden


class ScopedQuerySet(models.QuerySet[Any]):
    """A queryset that can be narrowed to what one user may see or change."""

    def visible_to(self, user: Any, action: str = VIEW) -> ScopedQuerySet:
        """The records of this queryset on which ``user`` may do ``action`` (default: view)."""
        q = scope_q(user, self.model, action)
        return self.none() if q is None else self.filter(q)


def get_for_user(
    queryset: models.QuerySet[Any] | type[models.Model], user: Any, pk: Any, action: str = VIEW
) -> Any:
    """Fetch one record and authorise ``action`` on it in one call (``user`` is ``request.user``; pages
    and the API require a signed-in user before calling).

    Raises:
        Http404: the record does not exist or lies outside the user's scope (the same answer, so a
            guessed id tells nothing).
        PermissionDenied: the user may see the record but not do ``action`` on it.
    """
    given: Any = queryset  # a scoped model (its ``objects``) or a ScopedQuerySet: both give visible_to
    qs = given.objects.all() if isinstance(queryset, type) else given
    try:
        obj = qs.visible_to(user, VIEW).get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("记录不存在或无权访问") from exc
    if action != VIEW and not can(user, action, obj):
        raise PermissionDenied("无权执行此操作")
    return obj


def can(user: Any, action: str, obj: models.Model) -> bool:
    """Whether ``user`` may do ``action`` on the saved record ``obj`` (one query)."""
    q = scope_q(user, type(obj), action)
    if q is None:
        return False
    return type(obj)._default_manager.filter(q, pk=obj.pk).exists()


def reaches_region(user: Any, region: Any, model: type[models.Model], action: str) -> bool:
    """Whether ``user`` may do ``action`` on records of ``model`` over the whole of ``region`` (and below):
    a region-bound role whose own region contains ``region`` (a city administrator its city and every
    county in it, a county officer its own county only), or a superuser."""
    if region is None or not role_allows(user, model, action):
        return False
    if user.is_superuser:
        return True
    return user.role in REGION_ROLES and user.region_id is not None and region.path.startswith(user.region.path)


# =========================================================================================================
# Workflow steps: who may do which step (issue 12 item 3; kept in one block, below the scopes).
#
# A step is a workflow transition or a review act (answering a comment) on one record. Its rule names
# the roles that may do it and the scope action they need on the record; the record's own state (which
# steps its status allows) stays on the model. Rules are declared per model label, so this module imports
# no app. django-fsm transitions take ``permission=step_guard("<step>")``.
# =========================================================================================================


@dataclass(frozen=True)
class StepRule:
    """Who may do one step on a record.

    Attributes:
        roles: the roles that may do it (None: any role having ``action`` on the record).
        action: the scope action the user needs on the record (:func:`can`).
        region_staff: city or county staff whose region holds the record (:func:`is_staff_of`),
            whatever ``roles`` says.
        superuser: whether a superuser may do it regardless of role.
        when: name of a boolean attribute of the record that must be true (its own state rule, e.g.
            ``"editable"``: the record is back with its owner), or None.
    """

    roles: frozenset[str] | None = None
    action: str = CHANGE
    region_staff: bool = False
    superuser: bool = True
    when: str | None = None


RETURN_STEP = "return_report"
"""The step that sends a reviewed record back to its owner (see :func:`may_return`)."""

STEP_RULES: Mapping[str, Mapping[str, StepRule]] = {
    # R&D reports (研发投入统计): 报送 → 县级预审 → 市级审核 → 报送统计部门; 退回 by the level it waits at.
    "rdreport.RdReport": {
        # the enterprise itself, or city / county staff on its behalf (no account, a paper form)
        "submit": StepRule(frozenset({Role.ENTERPRISE_USER, Role.CITY_ADMIN, Role.COUNTY_OFFICER})),
        "county_review": StepRule(frozenset(), region_staff=True),
        "city_review": StepRule(frozenset({Role.CITY_ADMIN})),
        "deliver": StepRule(frozenset({Role.CITY_ADMIN, Role.STATISTICS_OFFICER}), action=VIEW),
        # answering a reviewer's comment: the enterprise's own users while the report is with them;
        # reviewers write comments, they do not answer them
        "reply": StepRule(frozenset({Role.ENTERPRISE_USER}), superuser=False, when="editable"),
    },
}


def step_rule(model: type[models.Model] | models.Model, step: str) -> StepRule:
    """The declared rule of ``step`` on ``model``.

    Raises:
        LookupError: no rule is declared (a step without a rule is never allowed by accident).
    """
    label = model._meta.label
    try:
        return STEP_RULES[label][step]
    except KeyError as exc:
        raise LookupError(f"no step rule {step!r} for {label}") from exc


def may_step(user: Any, obj: models.Model, step: str) -> bool:
    """Whether ``user`` may do ``step`` on ``obj`` now, by :data:`STEP_RULES` (role, scope, state flag).
    Whether the record's status allows the step at all is the workflow's business (django-fsm)."""
    if step == RETURN_STEP:
        return may_return(obj, user)
    rule = step_rule(obj, step)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if rule.when is not None and not getattr(obj, rule.when):
        return False
    if rule.region_staff and is_staff_of(user, obj):
        return True
    if not (user.is_superuser and rule.superuser):
        allowed = role_allows(user, type(obj), rule.action) if rule.roles is None else user.role in rule.roles
        if not allowed:
            return False
    return can(user, rule.action, obj)


def step_guard(step: str) -> Callable[[Any, Any], bool]:
    """A django-fsm ``permission`` callable ``(record, user) → bool`` for ``step`` (:func:`may_step`)."""

    def guard(obj: Any, user: Any) -> bool:
        return may_step(user, obj, step)

    guard.__name__ = f"may_{step}"
    guard.__doc__ = f"Whether the user may do {step!r} (kechuang.common.access.STEP_RULES)."
    return guard


def may_return(obj: Any, user: Any, field: str = "status") -> bool:
    """Return for correction: whoever may pass the record on from the state it waits in (the reviewer of
    that level) may send it back instead. Reads the forward transitions django-fsm offers from the
    current state, the return itself excluded."""
    getter = getattr(obj, f"get_available_{field}_transitions")
    return any(t.name != RETURN_STEP and t.has_perm(obj, user) for t in getter())
