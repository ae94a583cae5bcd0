"""HNTE A5 bonus: standards, test methods and technical specifications (issue 11 item 23).

《高新技术企业认定管理工作指引》国科发火〔2016〕195号, 企业创新能力评价 知识产权 加分项: "企业参与编制国家
标准、行业标准、检测方法、技术规范的情况" (spec cultivation_rules.md §1.3 A5: "took part in drafting
national or industry standards, test methods, technical specifications"; recognized by the competent
national authority). The tech-SME direct route (SME-M 国科发政〔2017〕115号 第八条) is about *standards*
led by the firm only.
"""

from __future__ import annotations

import datetime as dt
import json

from kechuang.engines.cultivation import (
    BureauConfig,
    StandardKind,
    StandardLevel,
    StandardRecord,
    StandardRole,
    figures_from_json,
    figures_to_json,
)
from kechuang.engines.cultivation.hnte import score_ip, select_hnte_ip
from kechuang.engines.cultivation.tests.builders import APPLY, HNTE, reference
from kechuang.engines.cultivation.tsme import direct_routes

_DAY = dt.date(2023, 5, 1)


def _a5(*records: StandardRecord) -> tuple[int, int]:
    part = next(c for c in score_ip(select_hnte_ip(()), records, APPLY, HNTE).children if c.part_id == "A5")
    return part.score_min, part.score_max


def test_a5_counts_a_test_method_and_a_technical_specification() -> None:
    """HT-G 195号 A5: a recognized 检测方法 or 技术规范 earns the bonus [1, 2] like a national standard."""
    method = StandardRecord("某材料检测方法", StandardLevel.GROUP, StandardRole.PARTICIPATED, _DAY,
                            kind=StandardKind.TEST_METHOD)
    spec = StandardRecord("某设备技术规范", StandardLevel.LOCAL, StandardRole.PARTICIPATED, _DAY,
                          kind=StandardKind.TECHNICAL_SPECIFICATION)
    national = StandardRecord("GB/T 1", StandardLevel.NATIONAL, StandardRole.PARTICIPATED, _DAY)
    assert _a5(method) == (1, 2)
    assert _a5(spec) == (1, 2)
    assert _a5(national) == (1, 2)


def test_a5_still_needs_recognition_and_a_date_before_the_application() -> None:
    unrecognized = StandardRecord("某方法", StandardLevel.GROUP, StandardRole.LED, _DAY, recognized=False,
                                  kind=StandardKind.TEST_METHOD)
    later = StandardRecord("某规范", StandardLevel.INDUSTRY, StandardRole.LED, dt.date(2025, 7, 1),
                           kind=StandardKind.TECHNICAL_SPECIFICATION)
    group_standard = StandardRecord("T/XX 1", StandardLevel.GROUP, StandardRole.LED, _DAY)
    assert _a5(unrecognized) == (0, 0)
    assert _a5(later) == (0, 0)
    assert _a5(group_standard) == (0, 0)  # a group *standard* is neither national nor industry


def test_a_led_test_method_is_not_a_tech_sme_direct_route() -> None:
    """SME-M 第八条 direct route 4 names standards (international, national, industry) only."""
    method = StandardRecord("某检测方法", StandardLevel.NATIONAL, StandardRole.LED, _DAY,
                            kind=StandardKind.TEST_METHOD)
    firm = reference(standards=(method,), hnte_certificate=None)
    assert direct_routes(firm, APPLY, BureauConfig().parameters(2025).tsme) == ()
    led = StandardRecord("GB/T 2", StandardLevel.NATIONAL, StandardRole.LED, _DAY)
    routes = direct_routes(reference(standards=(led,), hnte_certificate=None), APPLY,
                           BureauConfig().parameters(2025).tsme)
    assert [code for code, _ in routes] == ["STANDARD"]


def test_the_kind_goes_through_the_json_format() -> None:
    method = StandardRecord("某检测方法", StandardLevel.GROUP, StandardRole.PARTICIPATED, _DAY,
                            kind=StandardKind.TEST_METHOD)
    document = figures_to_json(reference(standards=(method,)), APPLY)
    assert document["enterprise"]["standards"][0]["kind"] == "检测方法"
    back = figures_from_json(json.loads(json.dumps(document))).enterprise
    assert back.standards[0].kind is StandardKind.TEST_METHOD
    # old documents without the key read as standards
    del document["enterprise"]["standards"][0]["kind"]
    assert figures_from_json(document).enterprise.standards[0].kind is StandardKind.STANDARD
