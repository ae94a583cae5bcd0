"""The market demo without the core demo, and ``kechuang demo`` printing the market counts (apart from
test_demo.py, whose tests share one loaded demo)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from kechuang.market.demo import load_market_demo
from kechuang.market.models import Achievement, Demand, Expert


def test_market_demo_needs_the_demo_organisations(db):
    with pytest.raises(LookupError):
        load_market_demo()


@pytest.mark.slow
def test_demo_command_prints_the_market_counts(db, capsys):
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    achievements, demands, experts = (model.objects.count() for model in (Achievement, Demand, Expert))
    assert f"技术市场：科技成果 {achievements} 项" in out and f"专家 {experts} 人" in out
    assert f"演示数据已就绪：210 个组织机构，7 个演示账号，成果 {achievements} 项、需求 {demands} 项、专家 {experts} 人" in out
