"""The access-test mixin: one class per access-scoped model checks its whole matrix.

A test class inherits :class:`ScopedAccessChecks` and declares the model, how to build one record, who
owns it and the pages that show it::

    class TestDemandAccess(ScopedAccessChecks):
        model = Demand
        owners = ("acme",)                       # cast members whose organisation (or account) owns it
        urls = {"list": lambda r: reverse("market:demand-list"),
                "detail": lambda r: reverse("market:demand-detail", args=[r.pk]), ...}

        def make(self, orgs, cast, regions):     # the record, in REGION of the owners' organisation
            return Demand.objects.create(title="…", enterprise=orgs["acme_ltd"], region=regions["通川区"])

It inherits one test per check — scope (``visible_to``, ``can`` change / delete), list, detail, edit,
export, API list, API detail, admin history — each run for every member of the test cast
(:data:`CAST`, the users of ``kechuang/conftest.py`` plus an anonymous visitor). A check whose URL the
class does not declare is not collected (history: when the model is registered in the admin).

The expectation of every member comes from the model's declared :class:`~kechuang.common.access.AccessScope`
read with the cast's plain facts (``owners``, the record's region), independently of the code that
enforces it (:func:`kechuang.common.access.scope_q`, the views):

* detail and API detail: 200 when the member may view, 404 otherwise ("not yours" = "not there");
* edit: 200 when it may change, 403 when it may view only, 404 when it may not view;
* list, export and API list: 200 (or :attr:`ScopedAccessChecks.list_refused` for a role with no view on
  the model), the record shown exactly when the member may view it;
* admin history: 200 for the city administrator when it may view, any other answer but 200 for others;
* an anonymous visitor is sent to the login page (302) and refused by the API (401).

A model whose real behaviour differs declares it in ``exceptions`` — ``{(check, member): observed}`` —
with a comment why; the mismatch report names every (check, member) that differs at once.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client

from kechuang.common.access import CHANGE, DELETE, VIEW, AccessScope, can, scope_of
from kechuang.common.roles import ORGANISATION_ROLES, REGION_ROLES

#: The test cast: the named users of ``kechuang/conftest.py`` (city administrator of 达州市, county
#: officers of 通川区 and 宣汉县, statistics officer, enterprise users of acme_ltd (通川区) and rival_ltd
#: (宣汉县), researcher and expert of the university (通川区), an account with no role) and an anonymous
#: visitor.
CAST = ("city", "tongchuan", "xuanhan", "stats", "acme", "rival", "researcher", "expert", "outsider", "anonymous")
ANONYMOUS = "anonymous"

#: Checks that need a URL (the key in ``urls``) and the test method running each.
PAGE_CHECKS = {"list": "test_list", "detail": "test_detail", "edit": "test_edit", "export": "test_export",
               "api_list": "test_api_list", "api_detail": "test_api_detail"}


def _xlsx_text(content: bytes) -> str:
    """Every cell of every sheet of an xlsx file, as one text (for "is the record in the export")."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(str(value) for sheet in book.worksheets
                     for row in sheet.iter_rows(values_only=True) for value in row if value is not None)


class ScopedAccessChecks:
    """Mixin of the access matrix of one scoped model (see the module docstring).

    Class attributes a test class declares:
        model: the scoped model.
        owners: cast members who own the record (through their organisation or their own account).
        region_name: the region the record lies in (default 通川区, acme_ltd's and the university's county).
        urls: check name (``list``, ``detail``, ``edit``, ``export``, ``api_list``, ``api_detail``) →
            ``f(record) → URL`` (an export URL includes its query string).
        exceptions: ``(check, member) → observed`` where the product differs from the derivation, each
            with a comment why.
        list_refused: status a list page answers to a signed-in role with no view on the model (200: the
            page answers with nothing in it).

    And a method ``make(self, orgs, cast, regions) → record``.
    """

    model: ClassVar[type[models.Model]]
    owners: ClassVar[tuple[str, ...]] = ()
    region_name: ClassVar[str] = "通川区"
    urls: ClassVar[dict[str, Callable[[Any], str]]] = {}
    exceptions: ClassVar[dict[tuple[str, str], Any]] = {}
    list_refused: ClassVar[int] = 200

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A check whose page the model lacks is not collected (None); one a subclass declares again is
        # restored even when its parent had switched it off.
        for check, method in PAGE_CHECKS.items():
            setattr(cls, method, getattr(ScopedAccessChecks, method) if check in cls.urls else None)
        registered = admin.site.is_registered(cls.model)
        setattr(cls, "test_history", ScopedAccessChecks.test_history if registered else None)  # noqa: B010 - None: not collected

    def make(self, orgs: dict[str, Any], cast: dict[str, Any], regions: dict[str, Any]) -> models.Model:
        """Build the record under test (in :attr:`region_name`, owned by :attr:`owners`)."""
        raise NotImplementedError

    def marker(self, record: models.Model) -> str:
        """Text that shows the record in a list, an export or an API list (default: its ``str``)."""
        return str(record)

    # --- the derivation ---------------------------------------------------------------------------

    def may(self, member: str, action: str, record: models.Model, cast: dict[str, Any], regions: dict[str, Any]) -> bool:
        """Whether the declared scope lets ``member`` do ``action`` on ``record``, read from the scope's
        declarations and the cast's facts (not from :func:`kechuang.common.access.scope_q`)."""
        if member == ANONYMOUS:
            return False
        user = cast[member]
        scope: AccessScope = scope_of(self.model)

        def holds(q: Any) -> bool:
            return type(record)._default_manager.filter(q, pk=record.pk).exists()

        public = action == VIEW and scope.public is not None and user.is_active and holds(scope.public)
        if action not in scope.actions.get(user.role, frozenset()):
            return public
        if user.role in REGION_ROLES:
            own = regions[self.region_name].path.startswith(user.region.path)
        elif user.role in ORGANISATION_ROLES:
            own = member in self.owners
            if own and scope.owner_visible is not None:
                own = holds(scope.owner_visible)
            if own and action != VIEW and scope.owner_editable is not None:
                own = holds(scope.owner_editable)
        else:
            own = False
        return own or public

    def _status(self, check: str, member: str, record: Any, cast: dict[str, Any], regions: dict[str, Any]) -> int:
        """The status a page check expects."""
        api = check.startswith("api")
        if member == ANONYMOUS:
            return 401 if api else 302
        if check in ("list", "export", "api_list"):
            role_views = VIEW in scope_of(self.model).actions.get(cast[member].role, frozenset())
            return 200 if role_views or scope_of(self.model).public is not None else self.list_refused
        if not self.may(member, VIEW, record, cast, regions):
            return 404
        if check == "edit" and not self.may(member, CHANGE, record, cast, regions):
            return 403
        return 200

    def _compare(self, check: str, observed: dict[str, Any], expected: dict[str, Any]) -> None:
        for member in list(expected):
            if (check, member) in self.exceptions:
                expected[member] = self.exceptions[(check, member)]
        wrong = [f"  {member:<11} expected {expected[member]!r:<12} observed {observed[member]!r}"
                 for member in CAST if observed[member] != expected[member]]
        assert not wrong, f"{self.model.__name__} {check}: access differs from the declared scope\n" + "\n".join(wrong)

    # --- fixtures -----------------------------------------------------------------------------------

    @pytest.fixture
    def record(self, orgs: dict[str, Any], cast: dict[str, Any], regions: dict[str, Any]) -> models.Model:
        return self.make(orgs, cast, regions)

    def _client(self, client: Client, cast: dict[str, Any], member: str) -> Client:
        client.logout()
        if member != ANONYMOUS:
            client.force_login(cast[member])
        return client

    # --- scope checks (every model) -----------------------------------------------------------------

    def test_scope_view(self, record: models.Model, cast: dict[str, Any], regions: dict[str, Any]) -> None:
        """``Model.objects.visible_to(user)`` holds the record exactly for those who may view it."""
        scoped = self.model.objects  # type: ignore[attr-defined]  # a scoped model's manager (visible_to)
        observed = {m: m != ANONYMOUS and scoped.visible_to(cast[m]).filter(pk=record.pk).exists() for m in CAST}
        self._compare("scope_view", observed, {m: self.may(m, VIEW, record, cast, regions) for m in CAST})

    @pytest.mark.parametrize("action", [CHANGE, DELETE])
    def test_scope_change(
        self, record: models.Model, cast: dict[str, Any], regions: dict[str, Any], action: str
    ) -> None:
        """``can(user, action, record)`` answers exactly for those the scope lets change / delete it."""
        observed = {m: m != ANONYMOUS and can(cast[m], action, record) for m in CAST}
        self._compare(f"scope_{action}", observed, {m: self.may(m, action, record, cast, regions) for m in CAST})

    # --- page checks (the pages the model has) ------------------------------------------------------

    def _statuses(
        self, check: str, client: Client, cast: dict[str, Any], regions: dict[str, Any], record: models.Model,
        method: str = "get",
    ) -> None:
        url = self.urls[check](record)
        observed = {m: getattr(self._client(client, cast, m), method)(url).status_code for m in CAST}
        self._compare(check, observed, {m: self._status(check, m, record, cast, regions) for m in CAST})

    def _shown(
        self, check: str, client: Client, cast: dict[str, Any], regions: dict[str, Any], record: models.Model,
        text_of: Callable[[Any], str],
    ) -> None:
        url = self.urls[check](record)
        marker = self.marker(record)
        observed: dict[str, Any] = {}
        expected: dict[str, Any] = {}
        for m in CAST:
            response = self._client(client, cast, m).get(url)
            status = self._status(check, m, record, cast, regions)
            observed[m] = (response.status_code, response.status_code == 200 and marker in text_of(response))
            expected[m] = (status, status == 200 and self.may(m, VIEW, record, cast, regions))
        self._compare(check, observed, expected)

    def test_detail(
        self, client: Client, cast: dict[str, Any], regions: dict[str, Any], record: models.Model
    ) -> None:
        self._statuses("detail", client, cast, regions, record)

    def test_edit(
        self, client: Client, cast: dict[str, Any], regions: dict[str, Any], record: models.Model
    ) -> None:
        self._statuses("edit", client, cast, regions, record)

    def test_api_detail(
        self, client: Client, cast: dict[str, Any], regions: dict[str, Any], record: models.Model
    ) -> None:
        self._statuses("api_detail", client, cast, regions, record)

    def test_list(
        self, client: Client, cast: dict[str, Any], regions: dict[str, Any], record: models.Model
    ) -> None:
        self._shown("list", client, cast, regions, record, lambda r: r.content.decode())

    def test_export(
        self, client: Client, cast: dict[str, Any], regions: dict[str, Any], record: models.Model
    ) -> None:
        self._shown("export", client, cast, regions, record, lambda r: _xlsx_text(r.content))

    def test_api_list(
        self, client: Client, cast: dict[str, Any], regions: dict[str, Any], record: models.Model
    ) -> None:
        self._shown("api_list", client, cast, regions, record,
                    lambda r: json.dumps(r.json(), ensure_ascii=False))

    def test_history(
        self, client: Client, cast: dict[str, Any], regions: dict[str, Any], record: models.Model
    ) -> None:
        """The admin's history page: the city administrator's, inside its scope; nobody else's."""
        url = f"/admin/{self.model._meta.app_label}/{self.model._meta.model_name}/{record.pk}/history/"
        observed: dict[str, Any] = {}
        expected: dict[str, Any] = {}
        for m in CAST:
            status = self._client(client, cast, m).get(url).status_code
            observed[m] = status if status in (200, 404) else "refused"
            city = m != ANONYMOUS and cast[m].is_staff and self.may(m, VIEW, record, cast, regions)
            expected[m] = 200 if city else ("refused" if m == ANONYMOUS or not cast[m].is_staff else 404)
        self._compare("history", observed, expected)


def access_classes() -> dict[type[models.Model], list[type[ScopedAccessChecks]]]:
    """Every :class:`ScopedAccessChecks` class imported so far, by the model it checks."""
    found: dict[type[models.Model], list[type[ScopedAccessChecks]]] = {}
    stack = list(ScopedAccessChecks.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if "model" in cls.__dict__:
            found.setdefault(cls.model, []).append(cls)
    return found
