"""The platform keeps a standard's kind (标准 / 检测方法 / 技术规范) so that HNTE A5 counts test methods
and technical specifications (国科发火〔2016〕195号; issue 11 item 23)."""

from __future__ import annotations

import datetime as dt

from kechuang.cultivation.figures import figures_of, save_figures
from kechuang.engines.cultivation import (
    StandardKind,
    StandardLevel,
    StandardRecord,
    StandardRole,
    evaluate_hnte,
)
from kechuang.engines.cultivation.tests.builders import APPLY, reference


def test_a_test_method_saved_on_the_platform_earns_the_a5_bonus(orgs, db):
    org = orgs["acme_ltd"]
    method = StandardRecord("某材料检测方法", StandardLevel.GROUP, StandardRole.PARTICIPATED, dt.date(2023, 5, 1),
                            kind=StandardKind.TEST_METHOD)
    save_figures(org, reference(name=org.name, standards=(method,)))
    org.refresh_from_db()
    figures = figures_of(org)
    assert figures.standards[0].kind is StandardKind.TEST_METHOD
    assert org.standards_drafted.get().get_kind_display() == "检测方法"
    assert evaluate_hnte(figures, APPLY).part("A5").score_max == 2
