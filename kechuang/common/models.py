"""The skeleton every access-scoped model stands on.

A scoped model inherits :class:`ScopedModel` (records narrowed by ``Model.objects.visible_to(user)``)
or, when its changes are kept in a history table, :class:`HistoricScopedModel`, and declares its
``access_scope`` (:class:`kechuang.common.access.AccessScope`, usually with one of the
:class:`~kechuang.common.access.Actions` presets)::

    class Contract(HistoricScopedModel):
        seller = models.ForeignKey(Organisation, ...)
        buyer = models.ForeignKey(Organisation, ...)
        access_scope = AccessScope(region="region", organisations=("seller", "buyer"),
                                   actions=Actions.OWNER_READS)

Both bases are abstract: they add no column and no table, so converting a model to them needs no
migration. A concrete subclass without an ``access_scope`` fails Django's system checks (``kechuang
check``), and :mod:`kechuang.common.testing` holds the access-test mixin each of them gets.
"""

from __future__ import annotations

from typing import Any, cast

from django.core import checks
from django.db import models
from simple_history.models import HistoricalRecords

from kechuang.common.access import AccessScope, ScopedQuerySet


def concrete_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The field ``name`` of ``model`` typed as a concrete field (``_meta.get_field`` may also answer a
    reverse relation, which has no verbose name or help text; callers name concrete fields)."""
    return cast("models.Field[Any, Any]", model._meta.get_field(name))


class ScopedModel(models.Model):
    """An abstract model whose records are reached through its ``access_scope``.

    Gives ``objects`` (a :class:`~kechuang.common.access.ScopedQuerySet` manager: ``visible_to(user,
    action)``) and checks that each concrete subclass declares an :class:`AccessScope`.
    """

    objects = ScopedQuerySet.as_manager()
    access_scope: AccessScope

    class Meta:
        abstract = True

    @classmethod
    def check(cls, **kwargs: Any) -> list[checks.CheckMessage]:
        """Django's model checks, plus: a concrete scoped model declares an ``AccessScope``
        (error ``kechuang.E001`` otherwise)."""
        errors = super().check(**kwargs)
        if not isinstance(getattr(cls, "access_scope", None), AccessScope):
            errors.append(checks.Error(f"{cls._meta.label} inherits ScopedModel but declares no access_scope",
                                       hint="declare access_scope = AccessScope(...)", obj=cls,
                                       id="kechuang.E001"))
        return errors


class _ConcreteHistory(HistoricalRecords):  # type: ignore[misc]  # simple_history ships no types
    """``HistoricalRecords(inherit=True)`` for every concrete subclass, but not for proxies: a proxy's rows
    are its concrete model's, whose history table already holds them (and a second history model for the
    proxy would need a table of its own)."""

    def finalize(self, sender: type[models.Model], **kwargs: Any) -> None:
        if sender._meta.proxy:
            return
        super().finalize(sender, **kwargs)


class HistoricScopedModel(ScopedModel):
    """A :class:`ScopedModel` whose every change is kept (django-simple-history: ``record.history``, one
    ``Historical<Model>`` table per concrete subclass, the same table a per-model ``HistoricalRecords()``
    declares)."""

    history = _ConcreteHistory(inherit=True)
    # set before a save, read by simple_history for the history row (annotations only, not columns)
    _change_reason: str
    _history_user: Any

    class Meta:
        abstract = True
