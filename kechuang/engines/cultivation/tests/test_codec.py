"""The JSON codec: round trips, every kind of input problem named by its path, the worked cases through
JSON, and the example document in docs/."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import fields, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.engines.cultivation import (
    AssessmentInput,
    BureauConfig,
    CodecError,
    EnterpriseFigures,
    ExpertInput,
    InstitutionLevel,
    IPKind,
    ProblemCode,
    RdInstitution,
    ScorePoint,
    Tier,
    Verdict,
    assess,
    assessment_to_json,
    codec,
    expert_problems,
    figures_from_json,
    figures_to_json,
    load_assessment_input,
    parse_json,
    tier_result_to_json,
)
from kechuang.engines.cultivation.bench import make_enterprise_year
from kechuang.engines.cultivation.tests.builders import APPLY, ip, reference, year
from kechuang.engines.cultivation.tests.test_worked_cases import tsme_firm

REPO = Path(__file__).resolve().parents[4]
EXAMPLE = REPO / "docs" / "examples" / "assess_example.json"


def through_json(enterprise: EnterpriseFigures, day: dt.date | None = APPLY) -> AssessmentInput:
    """figures_to_json → json.dumps → parse_json (exact) → figures_from_json."""
    text = json.dumps(figures_to_json(enterprise, day), ensure_ascii=False)
    return figures_from_json(parse_json(text))


def document(**enterprise_changes: Any) -> dict[str, Any]:
    """The reference enterprise as a parsed document, with top-level keys of the enterprise replaced."""
    data = json.loads(json.dumps(figures_to_json(reference(), APPLY)))
    data["enterprise"].update(enterprise_changes)
    return data


def problems(data: Any, **kwargs: Any) -> list[tuple[str, ProblemCode]]:
    with pytest.raises(CodecError) as caught:
        figures_from_json(data, **kwargs)
    assert caught.value.problems, "CodecError without problems"
    return [(p.path, p.code) for p in caught.value.problems]


# ----------------------------------------------------------------------------------------------- round trips


def test_reference_enterprise_round_trips_through_json_text() -> None:
    read = through_json(reference())
    assert read.enterprise == reference()
    assert read.evaluation_date == APPLY
    assert read.config == BureauConfig()
    assert read.evaluation_date_defaulted is False


@settings(max_examples=200, deadline=None, database=None)
@given(seed=st.integers(min_value=0, max_value=10**6), index=st.integers(min_value=0, max_value=10**6))
def test_generated_enterprise_years_round_trip(seed: int, index: int) -> None:
    enterprise, day = make_enterprise_year(seed, index)
    read = through_json(enterprise, day)
    assert read.enterprise == enterprise
    assert read.evaluation_date == day


def test_round_trip_keeps_every_enumeration_and_record_kind() -> None:
    seen: set[str] = set()
    for index in range(400):  # the bench mix has certificates, incidents, standards, awards, institutions
        enterprise, day = make_enterprise_year(11, index)
        data = figures_to_json(enterprise, day)["enterprise"]
        seen.update(key for key in data if data[key] not in (None, [], ()))
        assert through_json(enterprise, day).enterprise == enterprise
    assert {
        "hnte_certificate",
        "tsme_registration",
        "incidents",
        "standards",
        "awards",
        "rd_institutions",
    } <= seen


def test_money_is_written_as_plain_decimal_strings_in_yuan() -> None:
    enterprise = replace(
        reference(), years=(year(2024, sales_revenue=Decimal("1E+8"), net_profit=Decimal("-0.50")),)
    )
    row = figures_to_json(enterprise)["enterprise"]["years"][0]
    assert row["sales_revenue"] == "100000000"
    assert row["net_profit"] == "-0.50"
    assert row["non_taxable_revenue"] == "0"
    assert figures_from_json(figures_to_json(enterprise)).enterprise == enterprise


def test_enumerations_are_written_by_chinese_value_and_read_by_value_or_member_name() -> None:
    data = figures_to_json(reference())["enterprise"]
    assert data["tax_mode"] == "查账征收" and data["tech_field"] == "电子信息"
    assert data["ip_items"][0]["kind"] == "发明专利" and data["ip_items"][0]["acquisition"] == "自主研发"
    by_name = document(tax_mode="ACTUAL_BOOKS", tech_field="electronic_information")
    by_name["enterprise"]["ip_items"][0]["kind"] = "INVENTION_PATENT"
    assert figures_from_json(by_name).enterprise == reference()


def test_json_numbers_are_read_exactly_when_parsed_as_decimal() -> None:
    data = parse_json(
        '{"evaluation_date": "2025-06-30", "enterprise": {"name": "甲", "establish_date": '
        '"2020-01-01", "years": [{"year": 2024, "tech_staff_avg": 11.9, "sales_revenue": 0.1}]}}'
    )
    row = figures_from_json(data).enterprise.years[0]
    assert row.tech_staff_avg == Decimal("11.9") and row.sales_revenue == Decimal("0.1")


def test_evaluation_date_defaults_to_30_june_after_the_last_fiscal_year() -> None:
    read = through_json(reference(), None)
    assert read.evaluation_date == dt.date(2025, 6, 30)
    assert read.evaluation_date_defaulted is True


def test_config_choices_round_trip_and_override_the_base() -> None:
    config = BureauConfig(rule_year=2025, score_point=ScorePoint.MIDPOINT)
    data = figures_to_json(reference(), APPLY, config)
    assert data["config"] == {"rule_year": 2025, "score_point": "MIDPOINT"}
    assert figures_from_json(data).config == config
    base = BureauConfig(tsme_exclude_super_deduction_industries=True)
    assert figures_from_json(data, base_config=base).config == replace(
        base, rule_year=2025, score_point=ScorePoint.MIDPOINT
    )
    assert "config" not in figures_to_json(reference(), APPLY, BureauConfig())


def test_config_fields_the_deployment_sets_cannot_be_written() -> None:
    with pytest.raises(ValueError, match="parameters_file"):
        figures_to_json(reference(), APPLY, BureauConfig(parameters_file=Path("x.json")))


def test_field_tables_cover_every_dataclass_field() -> None:
    # A new field on a figures class must be added to the codec (and docs/assess_input.md).
    for cls, table in codec.fields._FIELDS.items():
        assert set(table) == {f.name for f in fields(cls)}, cls.__name__
    config_fields = set(codec.fields._CONFIG_FIELDS) | set(codec.fields._CONFIG_DEPLOYMENT_ONLY)
    assert config_fields == {f.name for f in fields(BureauConfig)}


# ----------------------------------------------------------------------------------------------- problems


@pytest.mark.parametrize(
    ("change", "path", "code"),
    [
        (
            lambda d: d["enterprise"]["years"][2].update(rd_expense_hnte="12万"),
            "enterprise.years[2].rd_expense_hnte",
            ProblemCode.INVALID_NUMBER,
        ),
        (
            lambda d: d["enterprise"]["years"][2].update(rd_expense_hnte=1.5),
            "enterprise.years[2].rd_expense_hnte",
            ProblemCode.FLOAT,
        ),
        (
            lambda d: d["enterprise"]["years"][0].update(sales_revenue="-1"),
            "enterprise.years[0].sales_revenue",
            ProblemCode.NEGATIVE,
        ),
        (
            lambda d: d["enterprise"]["years"][0].update(sales_revenue=Decimal("NaN")),
            "enterprise.years[0].sales_revenue",
            ProblemCode.INVALID_NUMBER,
        ),
        (
            lambda d: d["enterprise"]["years"][0].update(sales_revenue=True),
            "enterprise.years[0].sales_revenue",
            ProblemCode.WRONG_TYPE,
        ),
        (
            lambda d: d["enterprise"]["years"][0].update(rd_expens_hnte="1"),
            "enterprise.years[0].rd_expens_hnte",
            ProblemCode.UNKNOWN_FIELD,
        ),
        (
            lambda d: d["enterprise"]["years"][0].update(achievements_transformed=-1),
            "enterprise.years[0].achievements_transformed",
            ProblemCode.OUT_OF_RANGE,
        ),
        (
            lambda d: d["enterprise"]["years"][0].update(achievements_transformed="3"),
            "enterprise.years[0].achievements_transformed",
            ProblemCode.WRONG_TYPE,
        ),
        (
            lambda d: d["enterprise"]["years"][1].update(year=2021),
            "enterprise.years[1].year",
            ProblemCode.DUPLICATE_YEAR,
        ),
        (lambda d: d["enterprise"]["years"][1].pop("year"), "enterprise.years[1].year", ProblemCode.REQUIRED),
        (lambda d: d["enterprise"].update(years={}), "enterprise.years", ProblemCode.WRONG_TYPE),
        (lambda d: d["enterprise"].pop("name"), "enterprise.name", ProblemCode.REQUIRED),
        (lambda d: d["enterprise"].update(name="  "), "enterprise.name", ProblemCode.EMPTY),
        (
            lambda d: d["enterprise"].update(establish_date="2018/03/01"),
            "enterprise.establish_date",
            ProblemCode.INVALID_DATE,
        ),
        (
            lambda d: d["enterprise"].update(establish_date="2018-02-30"),
            "enterprise.establish_date",
            ProblemCode.INVALID_DATE,
        ),
        (
            lambda d: d["enterprise"].update(tax_mode="核定"),
            "enterprise.tax_mode",
            ProblemCode.INVALID_CHOICE,
        ),
        (
            lambda d: d["enterprise"].update(is_resident_enterprise="是"),
            "enterprise.is_resident_enterprise",
            ProblemCode.WRONG_TYPE,
        ),
        (lambda d: d["enterprise"].update(ip_items=None), "enterprise.ip_items", ProblemCode.NOT_NULL),
        (
            lambda d: d["enterprise"]["ip_items"][3].update(kind="专利"),
            "enterprise.ip_items[3].kind",
            ProblemCode.INVALID_CHOICE,
        ),
        (
            lambda d: d["enterprise"]["ip_items"][0].update(in_force=None),
            "enterprise.ip_items[0].in_force",
            ProblemCode.NOT_NULL,
        ),
        (
            lambda d: d["enterprise"]["rd_management"].update(rd_rules=True),
            "enterprise.rd_management.rd_rules",
            ProblemCode.UNKNOWN_FIELD,
        ),
        (
            lambda d: d["enterprise"]["hnte_certificate"].pop("issue_date"),
            "enterprise.hnte_certificate.issue_date",
            ProblemCode.REQUIRED,
        ),
        (
            lambda d: d["enterprise"].update(incidents=[{"date": "2025-01-01", "kind": "火灾"}]),
            "enterprise.incidents[0].kind",
            ProblemCode.INVALID_CHOICE,
        ),
        (
            lambda d: d["enterprise"]["expert"]["points"].update(A9=3),
            "enterprise.expert.points.A9",
            ProblemCode.UNKNOWN_FIELD,
        ),
        (
            lambda d: d["enterprise"]["expert"]["points"].update(A1=9),
            "enterprise.expert.points.A1",
            ProblemCode.OUT_OF_RANGE,
        ),
        (
            lambda d: d["enterprise"]["expert"]["points"].update(C=-1),
            "enterprise.expert.points.C",
            ProblemCode.OUT_OF_RANGE,
        ),
        (
            lambda d: d["enterprise"]["expert"].update(bands={"A1": "F"}),
            "enterprise.expert.bands.A1",
            ProblemCode.INVALID_CHOICE,
        ),
        (
            lambda d: d["enterprise"]["expert"].update(bands={"A3": "B"}),
            "enterprise.expert.bands.A3",
            ProblemCode.UNKNOWN_FIELD,
        ),
        (lambda d: d.update(evaluation_date="30.06.2025"), "evaluation_date", ProblemCode.INVALID_DATE),
        (lambda d: d.update(unit="万元"), "unit", ProblemCode.UNKNOWN_FIELD),
        (lambda d: d.update(format_version=2), "format_version", ProblemCode.UNSUPPORTED_VERSION),
        (lambda d: d.pop("enterprise"), "enterprise", ProblemCode.REQUIRED),
        (
            lambda d: d.update(config={"score_point": "HIGH"}),
            "config.score_point",
            ProblemCode.INVALID_CHOICE,
        ),
        (
            lambda d: d.update(config={"parameters_file": "/etc/passwd"}),
            "config.parameters_file",
            ProblemCode.NOT_ALLOWED,
        ),
        (lambda d: d.update(config={"rule_year": "2025"}), "config.rule_year", ProblemCode.WRONG_TYPE),
        (
            lambda d: d["enterprise"].update({"企业名称": "甲"}),
            'enterprise["企业名称"]',
            ProblemCode.UNKNOWN_FIELD,
        ),
    ],
)
def test_each_problem_names_its_path_and_kind(change: Any, path: str, code: ProblemCode) -> None:
    data = document()
    change(data)
    found = problems(data)
    assert (path, code) in found, found


def test_problems_carry_the_chinese_message_of_their_kind() -> None:
    data = document()
    data["enterprise"]["years"][2]["rd_expense_hnte"] = "abc"
    data["enterprise"]["years"][2]["rd_expens_hnte"] = "1"
    data["enterprise"].pop("establish_date")
    with pytest.raises(CodecError) as caught:
        figures_from_json(data)
    by_path = {p.path: p for p in caught.value.problems}
    assert by_path["enterprise.years[2].rd_expense_hnte"].message_zh.startswith("不是有效的金额（元）")
    assert by_path["enterprise.years[2].rd_expens_hnte"].message_zh == "未知字段（是否为 rd_expense_hnte？）"
    assert by_path["enterprise.establish_date"].message_zh == "必填"
    assert by_path["enterprise.establish_date"].to_json() == {
        "path": "enterprise.establish_date",
        "code": "REQUIRED",
        "message_zh": "必填",
    }
    assert "enterprise.establish_date：必填" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_all_problems_are_collected_in_document_order() -> None:
    data = document()
    data["enterprise"]["years"][0]["sales_revenue"] = 100.5
    data["enterprise"]["years"][3]["hitech_revenue"] = "-3"
    data["enterprise"]["ip_items"][1]["kind"] = "商标权"
    data["enterprise"]["tax_mode"] = None  # allowed: unknown
    data["evaluation_date"] = "2025-13-01"
    assert problems(data) == [
        ("evaluation_date", ProblemCode.INVALID_DATE),
        ("enterprise.years[0].sales_revenue", ProblemCode.FLOAT),
        ("enterprise.years[3].hitech_revenue", ProblemCode.NEGATIVE),
        ("enterprise.ip_items[1].kind", ProblemCode.INVALID_CHOICE),
    ]


def test_keys_given_twice_are_reported() -> None:
    text = json.dumps(figures_to_json(reference(), APPLY), ensure_ascii=False)
    text = text.replace('"name": "达州示例科技有限公司"', '"name": "甲", "name": "乙"', 1)
    assert problems(parse_json(text)) == [("enterprise.name", ProblemCode.DUPLICATE_KEY)]


def test_config_is_refused_when_the_caller_fixes_the_choices() -> None:
    data = figures_to_json(reference(), APPLY, BureauConfig(score_point=ScorePoint.UPPER))
    assert problems(data, allow_config=False) == [("config", ProblemCode.NOT_ALLOWED)]


def test_no_date_and_no_years_requires_the_date() -> None:
    data = figures_to_json(replace(reference(), years=()))
    assert problems(data) == [("evaluation_date", ProblemCode.REQUIRED)]


def test_documents_that_are_not_json_or_not_objects_are_reported_at_the_root() -> None:
    with pytest.raises(CodecError) as caught:
        load_assessment_input('{"enterprise": ')
    (problem,) = caught.value.problems
    assert (problem.path, problem.code) == ("$", ProblemCode.INVALID_JSON)
    assert "第 1 行" in problem.message_zh
    assert problems([1, 2]) == [("$", ProblemCode.WRONG_TYPE)]
    with pytest.raises(CodecError):
        load_assessment_input(b"\xff\xfe{}")


def test_plain_json_loads_floats_are_refused_with_a_clear_message() -> None:
    data = json.loads(
        '{"evaluation_date": "2025-06-30", "enterprise": {"name": "甲", '
        '"establish_date": "2020-01-01", "years": [{"year": 2024, "sales_revenue": 1000.0}]}}'
    )
    with pytest.raises(CodecError) as caught:
        figures_from_json(data)
    (problem,) = caught.value.problems
    assert problem.path == "enterprise.years[0].sales_revenue"
    assert "不接受浮点数" in problem.message_zh


def test_load_reads_a_path_a_text_and_bytes_with_a_byte_order_mark(tmp_path: Path) -> None:
    text = json.dumps(figures_to_json(reference(), APPLY), ensure_ascii=False)
    target = tmp_path / "input.json"
    target.write_text("\ufeff" + text, encoding="utf-8")
    expected = AssessmentInput(reference(), APPLY)
    assert load_assessment_input(target) == expected
    assert load_assessment_input(str(target)) == expected
    assert load_assessment_input(text) == expected
    assert load_assessment_input(("\ufeff" + text).encode("utf-8")) == expected
    with pytest.raises(OSError):
        load_assessment_input(tmp_path / "missing.json")


# ----------------------------------------------------------------------------------------------- worked cases


def _t03_firm() -> EnterpriseFigures:
    # Last-year revenue 25,000 万 (3 % band); R&D 1,920 of 60,000 (3.2 %), 55 % of it inside China.
    rows = tuple(
        replace(
            row,
            sales_revenue=Decimal(sales) * 10000,
            rd_expense_hnte=Decimal(640) * 10000,
            rd_expense_hnte_domestic=Decimal(352) * 10000,
        )
        for row, sales in zip(reference().years[1:], (17500, 17500, 25000), strict=True)
    )
    return reference(years=reference().years[:1] + rows)


WORKED: dict[str, tuple[EnterpriseFigures, dict[tuple[str, str | None], str]]] = {
    "T01": (
        reference(
            years=(
                year(2022, sales_revenue_wan=3200, rd_expense_hnte_wan=240, rd_expense_hnte_domestic_wan=240),
                year(2023, sales_revenue_wan=4000, rd_expense_hnte_wan=240, rd_expense_hnte_domestic_wan=240),
                year(2024, sales_revenue_wan=4800, rd_expense_hnte_wan=240, rd_expense_hnte_domestic_wan=220),
            )
        ),
        {("HNTE", "HT-C5"): "PASS", ("HNTE", "HT-C5b"): "PASS"},
    ),
    "T03": (_t03_firm(), {("HNTE", "HT-C5"): "PASS", ("HNTE", "HT-C5b"): "FAIL(RD_DOMESTIC)"}),
    "T10-71": (
        reference(expert=ExpertInput(points={"A": 24, "B": 20, "C": 15, "D": 12})),
        {("HNTE", "HT-C7"): "PASS"},
    ),
    "T10-70": (
        reference(expert=ExpertInput(points={"A": 24, "B": 20, "C": 14, "D": 12})),
        {("HNTE", "HT-C7"): "FAIL(INNOVATION_SCORE)", ("HNTE", None): "FAIL(INNOVATION_SCORE)"},
    ),
    "T12": (tsme_firm(staff=80, tech=20, revenue=5000, rd=300, ip_items=ip(3)), {("TSME", None): "PASS"}),
    "T13": (
        tsme_firm(staff=80, tech=7, revenue=5000, rd=350, ip_items=ip(1, IPKind.INVENTION_PATENT)),
        {("TSME", None): "FAIL(TECH_STAFF_ZERO)", ("TSME", "S-C5.score"): "PASS"},
    ),
    "T16": (
        tsme_firm(
            staff=100,
            tech=20,
            revenue=5000,
            rd=100,
            ip_items=ip(3),
            rd_institutions=(RdInstitution("四川省玄武岩纤维工程技术研究中心", InstitutionLevel.PROVINCIAL),),
        ),
        {("TSME", None): "PASS(DIRECT:RD_INSTITUTION)", ("TSME", "S-C5.score"): "FAIL(SCORE)"},
    ),
}


@pytest.mark.parametrize("case", sorted(WORKED))
def test_worked_case_gives_the_same_verdicts_through_json(case: str) -> None:
    enterprise, expected = WORKED[case]
    original = assess(enterprise, APPLY)
    read = through_json(enterprise)
    assert read.enterprise == enterprise
    again = read.assess()
    for tier in Tier:
        assert again.tier(tier).label == original.tier(tier).label
        assert [c.label for c in again.tier(tier).conditions] == [
            c.label for c in original.tier(tier).conditions
        ]
    assert assessment_to_json(again) == assessment_to_json(original)
    for (tier_code, condition_id), label in expected.items():
        result = again.tier(Tier(tier_code))
        assert (result.label if condition_id is None else result.condition(condition_id).label) == label


# ----------------------------------------------------------------------------------------------- output


def test_assessment_json_is_plain_json_with_the_documented_keys() -> None:
    result = assess(WORKED["T03"][0], APPLY)
    data = json.loads(json.dumps(assessment_to_json(result), ensure_ascii=False))
    assert data["tiers"]["TSME"]["label"] == "FAIL(SIZE)"  # 25,000 万 of sales is above the SME limit
    assert data["highest_tier_passed"] is None and data["highest_tier_passed_zh"] is None
    assert data["next_tier"] == "HNTE"
    assert data["next_tier_zh"] == "高新技术企业"
    hnte = data["tiers"]["HNTE"]
    assert hnte["label"] == "FAIL(RD_DOMESTIC)"
    assert hnte["reasons"] == [{"code": "RD_DOMESTIC", "label_zh": "境内研发费用占比不足"}]
    cond = next(c for c in hnte["conditions"] if c["condition_id"] == "HT-C5b")
    assert cond["actual"] == "0.55" and cond["threshold"] == "0.60" and cond["unit"] == "比例"
    assert cond["comparator"] == ">="
    assert cond["source"]["cite"].startswith("国科发火〔2016〕32号")
    assert cond["remedy"]["unit"] == "元" and Decimal(cond["remedy"]["amount"]) > 0
    assert cond["remedy"]["increase"] is True and cond["remedy"]["until"] is None
    assert "境内研发费用" in cond["message_zh"]
    part = next(p for p in hnte["score_parts"] if p["part_id"] == "A")
    assert {c["part_id"] for c in part["children"]} == {"A1", "A2", "A3", "A4", "A5"}
    assert set(part) >= {"score_min", "score_max", "band", "basis", "review", "next_band", "points_short"}
    assert data["coaching"] and data["coaching"][0]["tier"] == "HNTE"
    assert data["coaching"][0]["item_id"] == "HT-C5b" and "依据" in data["coaching"][0]["text_zh"]
    assert tier_result_to_json(result.hnte) == assessment_to_json(result)["tiers"]["HNTE"]


def test_assessment_json_serializes_for_many_generated_enterprises() -> None:
    for index in range(150):
        enterprise, day = make_enterprise_year(5, index)
        result = assess(enterprise, day)
        data = json.loads(json.dumps(assessment_to_json(result), ensure_ascii=False))
        for tier in Tier:
            assert data["tiers"][tier.value]["label"] == result.tier(tier).label
        assert len(data["coaching"]) == len(result.coaching)


def test_next_band_hint_is_written_with_its_remedy() -> None:
    result = assess(WORKED["T10-70"][0], APPLY)
    stack = [p for p in tier_result_to_json(result.hnte)["score_parts"]]
    hints = []
    while stack:
        part = stack.pop()
        if part["next_band"] is not None:
            hints.append(part["next_band"])
        stack.extend(part["children"])
    assert hints
    assert all({"band", "points_min", "points_max", "message_zh", "remedy"} == set(h) for h in hints)


# ----------------------------------------------------------------------------------------------- docs example


def test_example_document_in_docs_loads_and_assesses() -> None:
    if not EXAMPLE.parent.parent.is_dir():
        pytest.skip("docs/ is not part of this checkout (installed package): nothing to check")
    read = load_assessment_input(EXAMPLE)
    result = read.assess()
    assert result.tsme.verdict is Verdict.PASS
    assert result.highest_tier_passed is Tier.TSME and result.next_tier is Tier.HNTE
    # docs/assess_input.md describes it as 270,437.24 yuan of R&D short of the high-tech ratio
    assert result.hnte.label == "FAIL(RD_RATIO)"
    remedy = result.hnte.condition("HT-C5").remedy
    assert remedy is not None and remedy.amount == Decimal("270437.24")
    assert result.coaching
    assert parse_json(EXAMPLE.read_bytes())["enterprise"]["name"] == read.enterprise.name
    assert (
        figures_from_json(figures_to_json(read.enterprise, read.evaluation_date)).enterprise
        == read.enterprise
    )


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("1e999999999", "绝对值应小于"),  # would take minutes to expand in exact arithmetic
        ('"999999999999999999999999999999"', "绝对值应小于"),
        ('"0.0000001"', "最多 6 位小数"),
        ("1e-999999999", "最多 6 位小数"),
    ],
)
def test_amounts_beyond_the_bounds_are_refused_at_once(number: str, message: str) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace('"17806420.15"', number)
    with pytest.raises(CodecError) as caught:
        load_assessment_input(text)
    assert caught.value.problems[0].path == "enterprise.years[0].sales_revenue"
    assert message in caught.value.problems[0].message_zh


@pytest.mark.parametrize("text", ["[" * 100000 + "]" * 100000, '{"enterprise": ' + "1" * 5000 + "}"])
def test_pathological_json_is_an_input_problem(text: str) -> None:
    with pytest.raises(CodecError) as caught:
        load_assessment_input(text)
    assert caught.value.problems[0].code is ProblemCode.INVALID_JSON


def test_expert_judgements_outside_a_document_are_checked_like_inside() -> None:
    assert expert_problems({"A1": 6}, {"A2": "B"}, 2025) == []
    assert [p.path for p in expert_problems({"A1": 99}, {}, 2025)] == ["points.A1"]
    assert {p.path for p in expert_problems({"Q9": 1}, {"A1": "Z"}, 2025)} == {"points.Q9", "bands.A1"}
