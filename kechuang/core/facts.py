"""The public face of ``core`` for the other apps: what they may read besides ``core.models``,
``core.choices`` and ``core.services`` (the import rule, ``kechuang/common/tests/test_import_rules.py``).

* the industry sections of GB/T 4754-2017 (国民经济行业分类, 表 1): :data:`SECTIONS` (letter →
  (name, range of divisions)), :func:`section_of` (code → section letter) and :func:`section_name`;
* :func:`scope_root`: the region a user's dashboards are about (its own region; the city of its
  organisation; the only city for an unbound superuser; None when there are several cities);
* :class:`EnterpriseFilter`: the filter set (name or credit code, region subtree, industry section) every
  list of records hanging on an enterprise extends.

The names are defined in ``core.industry``, ``core.dashboard`` and ``core.filters``; only these are public.
"""

from __future__ import annotations

from kechuang.core.dashboard import scope_root
from kechuang.core.filters import EnterpriseFilter
from kechuang.core.industry import SECTIONS, section_name, section_of

__all__ = ["SECTIONS", "EnterpriseFilter", "scope_root", "section_name", "section_of"]
