"""Shared helpers for the matching tests (no conftest, so ``--noconftest`` runs work)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kechuang.engines.matchmaking.datasets import find_shared_data

#: A small demo corpus of the reference city's technology market (ids of both kinds).
DEMO_DOCS: dict[str | int, str] = {
    "a1": "连续玄武岩纤维及其复合材料的制备工艺，可用于桥梁加固和风电叶片",
    "a2": "富硒茶种植与加工技术，提高茶叶硒含量和品质",
    "a3": "卤水提锂新工艺：从富钾卤水中提取碳酸锂和氯化钾",
    "a4": "基于深度学习的天然气管道泄漏检测系统",
    "a5": "超细玻璃棉制备蓄电池AGM隔板的关键技术",
    1: "高含硫天然气净化与硫磺回收装置优化",
    2: "石墨烯改性锂离子电池负极材料",
    3: "人工智能辅助的农产品质量追溯平台",
}


def shared_data_or_skip() -> Path:
    """Return the shared data folder or skip the test with the reason."""
    found = find_shared_data()
    if found is None:
        pytest.skip(
            "shared/data (CSL records) not found: set KECHUANG_SHARED_DATA or place shared/ beside the repo"
        )
    return found
