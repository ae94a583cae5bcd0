"""The shared access kit: the model skeleton, the named action presets, scopes with two or more owning
organisations, and the guard that every access-scoped model has its access-matrix test class."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from kechuang.common.access import VIEW, AccessScope, Actions, can, scope_q
from kechuang.common.models import HistoricScopedModel, ScopedModel
from kechuang.common.testing import ScopedAccessChecks, access_classes
from kechuang.core.choices import Role


def scoped_models() -> list[type[models.Model]]:
    """Every installed model (proxies included) that declares an access scope."""
    return [m for m in apps.get_models() if isinstance(getattr(m, "access_scope", None), AccessScope)]


def import_access_tests() -> None:
    """Import every app's ``tests/test_access*.py`` so their ScopedAccessChecks classes are known."""
    for config in apps.get_app_configs():
        if not config.name.startswith("kechuang."):
            continue
        try:
            package = importlib.import_module(f"{config.name}.tests")
        except ModuleNotFoundError:
            continue
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.startswith("test_access"):
                importlib.import_module(f"{package.__name__}.{info.name}")


# --- the guard --------------------------------------------------------------------------------------------

def test_every_scoped_model_has_an_access_matrix_class():
    """A model with an access scope and no ScopedAccessChecks class fails here: declare one in its app's
    tests/test_access_matrix.py (model, make(), owners, urls)."""
    import_access_tests()
    covered = access_classes()
    missing = sorted(m._meta.label for m in scoped_models() if m not in covered)
    assert not missing, "access-scoped models without a ScopedAccessChecks test class: " + ", ".join(missing)


def test_every_scoped_model_stands_on_the_skeleton():
    """Each concrete scoped model inherits ScopedModel (the proxy CultivatedEnterprise through Organisation)."""
    assert [m._meta.label for m in scoped_models() if not issubclass(m, ScopedModel)] == []
    assert len(scoped_models()) >= 26


def test_the_guard_sees_the_classes():
    import_access_tests()
    classes = [cls for found in access_classes().values() for cls in found]
    assert all(issubclass(cls, ScopedAccessChecks) and cls.__name__.startswith("Test") for cls in classes)


# --- the skeleton -------------------------------------------------------------------------------------------

def test_history_is_kept_by_the_skeleton_not_for_proxies():
    from kechuang.core.models import Organisation
    from kechuang.cultivation.models import CultivatedEnterprise, Evaluation

    assert Organisation.history.model.__name__ == "HistoricalOrganisation"
    assert Organisation.history.model._meta.db_table == "core_historicalorganisation"
    assert not hasattr(CultivatedEnterprise._meta, "simple_history_manager_attribute")
    assert not issubclass(Evaluation, HistoricScopedModel) and not hasattr(Evaluation, "history")
    with_history = {m._meta.label for m in scoped_models() if hasattr(m._meta, "simple_history_manager_attribute")}
    assert with_history == {m._meta.label for m in scoped_models()
                            if issubclass(m, HistoricScopedModel) and not m._meta.proxy}


@isolate_apps("kechuang.common")
def test_a_scoped_model_without_a_scope_fails_the_system_check():
    class Unscoped(ScopedModel):
        class Meta:
            app_label = "common"

    class Scoped(ScopedModel):
        access_scope = AccessScope(region="region", actions=Actions.STAFF_ONLY)

        class Meta:
            app_label = "common"

    assert [e.id for e in Unscoped.check()] == ["kechuang.E001"]
    assert "kechuang.E001" not in [e.id for e in Scoped.check()]


# --- presets ------------------------------------------------------------------------------------------------

def test_presets_give_staff_the_same_rights_and_differ_for_owners():
    presets = [Actions.STAFF_ONLY, Actions.OWNER_READS, Actions.OWNER_EDITS, Actions.OWNER_KEEPS, Actions.REVIEWED,
               Actions.REGISTRY]
    for preset in presets:
        assert preset[Role.CITY_ADMIN] == Actions.ALL and preset[Role.COUNTY_OFFICER] == Actions.FILE
        assert preset[Role.STATISTICS_OFFICER] == Actions.READ
    assert Role.ENTERPRISE_USER not in Actions.STAFF_ONLY
    assert Actions.OWNER_READS[Role.ENTERPRISE_USER] == Actions.READ
    assert Actions.OWNER_KEEPS[Role.ENTERPRISE_USER] == Actions.ALL and Role.RESEARCHER not in Actions.OWNER_KEEPS
    assert Actions.REGISTRY[Role.RESEARCHER] == Actions.ALL and Actions.REGISTRY[Role.EXPERT] == Actions.READ


def test_extend_derives_a_variant_and_leaves_the_preset_alone():
    variant = Actions.extend(Actions.STAFF_ONLY, enterprise_user={VIEW, "add"})
    assert variant[Role.ENTERPRISE_USER] == frozenset({VIEW, "add"})
    assert Role.ENTERPRISE_USER not in Actions.STAFF_ONLY
    with pytest.raises(TypeError):
        Actions.STAFF_ONLY[Role.EXPERT] = Actions.READ
    with pytest.raises(AttributeError):
        Actions.extend(Actions.STAFF_ONLY, nobody=Actions.READ)


# --- two or more owning organisations -----------------------------------------------------------------------

class SharedPairing:
    """A pairing seen as a record two organisations share (the enterprise and the expert's organisation),
    the shape of a contract between seller and buyer: plain class, the real table behind it."""

    access_scope = AccessScope(region="campaign__region", organisations=("enterprise", "expert__organisation"),
                               actions=Actions.extend(Actions.OWNER_READS, researcher=Actions.READ))


@pytest.fixture
def shared(orgs, cast, regions):
    from kechuang.market.models import Expert
    from kechuang.pairing.models import Pairing, PairingCampaign

    campaign = PairingCampaign.objects.create(name="共享记录", region=regions["通川区"])
    expert = Expert.objects.create(name="王教授", organisation=orgs["uni"], region=regions["通川区"])
    return Pairing.objects.create(campaign=campaign, enterprise=orgs["acme_ltd"], expert=expert)


@pytest.mark.parametrize("member,sees", [("acme", True), ("researcher", True), ("rival", False), ("expert", False),
                                         ("tongchuan", True), ("xuanhan", False), ("outsider", False)])
def test_users_of_any_owner_reach_a_shared_record(shared, cast, member, sees):
    from kechuang.pairing.models import Pairing

    q = scope_q(cast[member], SharedPairing, VIEW)
    assert (q is not None and Pairing.objects.filter(q, pk=shared.pk).exists()) == sees


def test_owner_lookups_are_one_list():
    assert AccessScope(region="region", organisation="enterprise").organisations == ("enterprise",)
    assert AccessScope(region="region", organisations=("seller", "buyer")).organisations == ("seller", "buyer")
    assert AccessScope(region="region").organisations == ()
    with pytest.raises(ValueError):
        AccessScope(region="region", organisation="seller", organisations=("seller", "buyer"))
    with pytest.raises(ValueError):
        AccessScope(region="region", organisations=("seller", "seller"))


def test_a_single_owner_scope_is_unchanged(cast, orgs):
    """The one-owner form still reaches exactly its organisation (regression guard of the normalisation)."""
    from kechuang.core.models import Organisation

    assert can(cast["acme"], "change", orgs["acme_ltd"]) and not can(cast["acme"], "change", orgs["rival_ltd"])
    assert set(Organisation.objects.visible_to(cast["researcher"])) == {orgs["uni"]}
