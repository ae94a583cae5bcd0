"""The speed-ups keep the results: texts built on first read, shared (cached) results, integer
arithmetic equal to the Fraction arithmetic it replaces."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.engines.cultivation import Assessment, Tier, Verdict, assess, evaluate_hnte
from kechuang.engines.cultivation.arithmetic import nth_root_floor, q_decimal, to_decimal
from kechuang.engines.cultivation.bench import make_enterprise_year
from kechuang.engines.cultivation.hnte import score_ip, score_management, select_hnte_ip
from kechuang.engines.cultivation.tests.builders import APPLY, HNTE, reference, replace_year


def _coached_firm() -> Assessment:
    firm = replace_year(
        reference(hnte_certificate=None), 2024, rd_expense_hnte_wan=48, rd_expense_hnte_domestic_wan=48
    )
    return assess(firm, APPLY)


def test_texts_are_built_on_first_read_and_kept() -> None:
    result = _coached_firm()
    cond = result.hnte.condition("HT-C5")
    assert not isinstance(cond.__dict__["_message_zh"], str)  # not built by the evaluation
    text = cond.message_zh
    assert text == "近三年研发费用占比 3.96%，低于 5%；需再投入研发费用 122 万元"
    assert cond.__dict__["_message_zh"] is text  # built once
    line = next(item for item in result.coaching if item.item_id == "HT-C5")
    assert line.text_zh == f"{text}（依据：{cond.source.cite()}）"


def test_deferred_hints_are_computed_on_read() -> None:
    result = assess(reference(), APPLY)
    part = result.tsme.part("RD1")
    hint = part.next_band
    assert hint is None or (hint.remedy is not None and part.next_band is hint)


def test_results_pickle_copy_and_compare_with_texts_built() -> None:
    result = _coached_firm()
    assert pickle.loads(pickle.dumps(result)) == result
    assert copy.deepcopy(result) == result
    assert dataclasses.replace(result.hnte, verdict=Verdict.FAIL).conditions == result.hnte.conditions
    flat = repr(dataclasses.asdict(result))
    assert "近三年研发费用占比 3.96%" in flat and "functools.partial" not in flat


def test_shared_results_equal_freshly_computed_ones() -> None:
    firm = reference()
    first = evaluate_hnte(firm, APPLY)
    for i in range(20):  # other enterprises fill the caches
        other, day = make_enterprise_year(11, i)
        assess(other, day)
    assert evaluate_hnte(firm, APPLY) == first
    fresh = dataclasses.replace(HNTE)  # a parameters object with an empty cache
    selection = select_hnte_ip(firm.ip_items)
    for expert in (None, firm.expert):
        assert score_ip(selection, firm.standards, APPLY, fresh, expert) == score_ip(
            selection, firm.standards, APPLY, HNTE, expert
        )
        assert score_management(firm.rd_management, fresh, expert) == score_management(
            firm.rd_management, HNTE, expert
        )
    assert pickle.loads(pickle.dumps(HNTE)) == HNTE and "_memo" not in HNTE.__dict__


def test_many_generated_assessments_are_consistent() -> None:
    for i in range(60):
        enterprise, day = make_enterprise_year(2025, i)
        result = assess(enterprise, day)
        assert result.tier(Tier.HNTE).verdict in Verdict
        for item in result.coaching:
            assert "依据：" in item.text_zh


@settings(max_examples=300, deadline=None, database=None)
@given(
    num=st.integers(min_value=0, max_value=10**15),
    den=st.integers(min_value=1, max_value=10**15),
    n=st.integers(min_value=1, max_value=5),
)
def test_nth_root_floor_is_the_exact_floor(num: int, den: int, n: int) -> None:
    # values up to 1e15: the root with 10 decimals fits the 28 digits of the Decimal context
    root = nth_root_floor(Fraction(num, den), n)
    scaled = Fraction(num, den) * 10 ** (10 * n)
    units = int(root.scaleb(10))
    assert units**n <= scaled < (units + 1) ** n


@settings(max_examples=300, deadline=None, database=None)
@given(
    num=st.integers(min_value=-(10**30), max_value=10**30),
    den=st.integers(min_value=1, max_value=10**20),
    k=st.integers(min_value=1, max_value=10**6),
)
def test_integer_ratio_to_decimal_matches_fraction(num: int, den: int, k: int) -> None:
    expected = to_decimal(Fraction(num, den))
    for got in (q_decimal(num, den), q_decimal(num * k, den * k)):  # reduced or not
        assert got == expected and str(got) == str(expected)


def test_decimal_inputs_keep_their_representation() -> None:
    assert str(q_decimal(1, 5)) == "0.2" and str(q_decimal(100, 50)) == "2"
    assert str(Decimal("0.05")) == "0.05"
