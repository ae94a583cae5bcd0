"""The rule kit: one Source, dated parameters, the shared verdict vocabulary, CEL, and their users."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from kechuang.engines.cultivation import hnte, results
from kechuang.engines.cultivation import sources as cultivation_sources
from kechuang.engines.cultivation.tests.builders import reference
from kechuang.engines.rdreport import Report, audit_rules, superdeduction, validator
from kechuang.engines.rdreport import sources as rdreport_sources
from kechuang.engines.rulekit import (
    DatedParameter,
    Finding,
    InForce,
    NotInForce,
    Severity,
    Source,
    Verdict,
    cel,
)

D = dt.date
ACT = Source("某法", "第一条", "H")
NOTICE = Source("某公告", "第二条", "M", note="从 10 月 1 日起")


def test_one_source_one_vocabulary_for_every_engine() -> None:
    assert cultivation_sources.Source is rdreport_sources.Source is Source
    assert results.Verdict is Verdict and audit_rules.Severity is Severity
    # Stored strings do not change: the database and result JSON hold them.
    assert [v.value for v in (Verdict.PASS, Verdict.FAIL, Verdict.NEEDS_REVIEW)] == ["PASS", "FAIL", "NEEDS_REVIEW"]
    assert [s.value for s in Severity] == ["E", "W", "I"] and Severity.WARNING.label_zh == "警告"


def test_source_cites_and_reads_json() -> None:
    assert cultivation_sources.ht_m("第十一条第（五）项").cite() == "国科发火〔2016〕32号第十一条第（五）项"
    assert cultivation_sources.sme("第六条").cite() == "国科发政〔2017〕115号第六条；国科火字〔2022〕67号"
    rd = Source.from_json({"document": "107-2", "section": "§5.2", "rule": "R04", "confidence": "M"}, "R04")
    assert (rd.article, rd.rule, rd.cite()) == ("§5.2", "R04", "107-2§5.2 R04")
    with pytest.raises(ValueError, match="confidence"):
        Source.from_json({"document": "x", "article": "y", "confidence": "X"}, "R1")
    with pytest.raises(ValueError, match="lacks 'document'"):
        Source.from_json({"article": "y", "confidence": "H"}, "R1")


def test_dated_parameter_gives_the_value_in_force_and_its_source() -> None:
    rate = DatedParameter("rate", [InForce(D(2022, 10, 1), Decimal(1), NOTICE), InForce(D(2018, 1, 1), Decimal("0.75"), ACT)])
    assert rate.value_on(D(2022, 9, 30)) == (Decimal("0.75"), ACT)
    assert rate.value_on(D(2022, 10, 1)) == (Decimal(1), NOTICE)
    assert rate.value_on(D(2040, 1, 1)) == (Decimal(1), NOTICE)
    with pytest.raises(NotInForce):
        rate.value_on(D(2017, 12, 31))
    assert rate.periods(D(2022, 1, 1), D(2022, 12, 31)) == (
        (D(2022, 1, 1), D(2022, 9, 30), Decimal("0.75"), ACT),
        (D(2022, 10, 1), D(2022, 12, 31), Decimal(1), NOTICE),
    )


def test_dated_parameter_refuses_overlaps_and_answers_nothing_after_an_end() -> None:
    with pytest.raises(ValueError, match="two values"):
        DatedParameter("x", [InForce(D(2020, 1, 1), 1, ACT), InForce(D(2020, 1, 1), 2, ACT)])
    with pytest.raises(ValueError, match="overlaps"):
        DatedParameter("x", [InForce(D(2020, 1, 1), 1, ACT, end=D(2021, 6, 1)), InForce(D(2021, 1, 1), 2, ACT)])
    ended = DatedParameter("x", [InForce(D(2020, 1, 1), 1, ACT, end=D(2020, 12, 31))])
    assert ended.value_on(D(2020, 12, 31)) == (1, ACT)
    with pytest.raises(NotInForce):
        ended.value_on(D(2021, 1, 1))
    with pytest.raises(NotInForce):
        ended.periods(D(2020, 6, 1), D(2021, 6, 1))


def test_superdeduction_rates_are_dated_parameters() -> None:
    general = superdeduction.RATES[superdeduction.Category.GENERAL]
    value, source = general.value_on(D(2022, 11, 15))
    assert value == 1 and source.rule == superdeduction.NOTICE_2022_28 and source.confidence == "M"
    assert general.value_on(D(2022, 9, 30))[0] == Decimal("0.75")
    ic = superdeduction.RATES[superdeduction.Category.IC_MACHINE_TOOL]
    assert ic.value_on(D(2027, 12, 31))[0] == Decimal("1.2") and ic.value_on(D(2028, 1, 1))[0] == 1
    assert superdeduction.rate(2022, "general", on=D(2022, 10, 1)).capitalised == 2


def test_finding_blocks_on_error_only() -> None:
    error = Finding(rule_id="S1", severity=Severity.ERROR, message_zh="缺少", source=ACT)
    assert error.blocking and not replace(error, severity=Severity.WARNING).blocking


def test_rdreport_findings_are_kit_findings() -> None:
    findings = validator.validate_report(Report(2025, {"rd_personnel_total": 1, "rd_personnel_female": 5}))
    assert findings and all(isinstance(f, Finding) for f in findings)
    assert any(f.severity is Severity.ERROR and f.blocking for f in findings)


def test_cel_compile_step_is_exact_decimal() -> None:
    program = cel.cel_program("a * 3 == b")
    # celpy takes Decimal activations here (the kit's exact arithmetic); its annotations name only its own types
    assert bool(program.evaluate({"a": Decimal("0.1"), "b": Decimal("0.3")}))  # type: ignore[dict-item]
    with pytest.raises(cel.ExpressionError):
        cel.parse("a / b")


def test_near_pass_is_decided_by_the_engine_with_the_pass_score_in_force() -> None:
    result = hnte.evaluate_hnte(reference(), D(2025, 6, 30))
    assert result.pass_score == 71
    review = replace(result, verdict=Verdict.NEEDS_REVIEW,
                     conditions=tuple(replace(c, verdict=Verdict.PASS, reason=None) for c in result.conditions),
                     score_max=75)
    assert hnte.near_pass(review)
    assert not hnte.near_pass(replace(review, pass_score=76))
    assert not hnte.near_pass(replace(review, verdict=Verdict.PASS))
