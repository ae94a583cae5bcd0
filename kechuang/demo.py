"""The demo composer: loads every app's demo data in order and says what it wrote.

Top-level (beside ``urls.py`` and ``api.py``) because it is the one place that knows every app; each app
keeps its own loader (``<app>/demo.py``). The ``kechuang demo`` management command (in ``core``, as Django
needs commands inside an app) calls :func:`load_everything`. Order matters: organisations and accounts
first, then the market (achievements, demands, experts), pairing campaigns over those experts, cultivation
figures and evaluations, and last the R&D reports, which read the cultivation figures.
"""

from __future__ import annotations

from collections.abc import Callable

from kechuang.common.demo import DEMO_PASSWORD
from kechuang.core.choices import OrganisationKind
from kechuang.core.demo import load_demo, login_table, outside_note
from kechuang.cultivation.demo import load_cultivation_demo
from kechuang.market.demo import load_market_demo
from kechuang.pairing.demo import load_pairing_demo
from kechuang.rdreport.demo import load_rd_demo


def load_everything(say: Callable[[str], None]) -> str:
    """Load the demo data of every app (each load only creates what is missing, so running twice
    duplicates nothing), telling ``say`` one line per part (Chinese, for the terminal).

    Returns:
        the closing summary line: organisations, demo accounts, achievements, demands and experts.
    """
    report = load_demo()
    labels = dict(OrganisationKind.choices)
    counts = "，".join(f"{labels[k]} {n}" for k, n in report.organisations.items())
    say(f"    行政区域 {report.regions} 个；组织机构：{counts}；联系人 {report.contacts} 人")
    if report.outside:
        say(f"    {outside_note(report.outside)}")
    say(f"    演示账号（密码均为 {DEMO_PASSWORD}）：")
    for line in login_table(report.users):
        say(f"      {line}")
    market = load_market_demo()
    load_pairing_demo()
    say(f"    技术市场：{market.describe()}")
    cultivated = load_cultivation_demo()
    if cultivated:
        say(f"    梯度培育：{cultivated} 家企业的多年度数据，近三个年度的评估结果")
    say(f"    研发投入：{load_rd_demo().describe()}")
    total = sum(report.organisations.values())
    achievements, demands, experts = market.totals
    return (f"演示数据已就绪：{total} 个组织机构，{len(report.users)} 个演示账号，"
            f"成果 {achievements} 项、需求 {demands} 项、专家 {experts} 人")
