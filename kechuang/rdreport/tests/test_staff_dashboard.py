"""The R&D reporting dashboard (stages, counts by county, deadline) and 一企一策 targets."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kechuang.rdreport import dashboard, targets
from kechuang.rdreport.choices import ReportStatus
from kechuang.rdreport.dashboard import Stage
from kechuang.rdreport.models import RdPlan, ReportingDeadline
from kechuang.rdreport.tests.staff_data import YEAR, make_report


def plan(enterprise, target_qian=None, year=YEAR):
    target = None if target_qian is None else Decimal(target_qian) * 1000
    return RdPlan.objects.create(enterprise=enterprise, year=year, target_expense=target)


def test_stages_of_the_year_and_counts_by_county(cast, orgs, regions):
    plan(orgs["acme_ltd"], 800)
    plan(orgs["park_ltd"], 500)  # planned, no report: 未开始
    make_report(orgs["acme_ltd"], cast["city"], ReportStatus.COUNTY_REVIEWED)
    make_report(orgs["rival_ltd"], cast["city"], ReportStatus.RETURNED)  # a report without a plan counts too
    make_report(orgs["park_ltd"], cast["city"], year=YEAR - 1)  # another year: not this year's report
    view = dashboard.overview(cast["city"], YEAR)
    stages = {r.enterprise.name: (r.stage, r.level) for r in view.rows}
    assert stages == {"通川甲公司": (Stage.WAITING, "待市级审核"), "宣汉乙公司": (Stage.RETURNED, ""),
                      "高新丙公司": (Stage.NOT_STARTED, "")}
    counts = {c.name: c.counts for c in view.counties}
    order = list(Stage)
    assert counts["通川区"][order.index(Stage.WAITING)] == 1
    assert counts["宣汉县"][order.index(Stage.RETURNED)] == 1
    assert counts["达州高新区"][order.index(Stage.NOT_STARTED)] == 1
    assert view.totals == [1, 0, 1, 1, 0] and view.total == 3


def test_a_county_officer_sees_only_its_county(client, cast, orgs):
    plan(orgs["acme_ltd"])
    plan(orgs["rival_ltd"])
    rival = make_report(orgs["rival_ltd"], cast["city"], ReportStatus.SUBMITTED)
    client.force_login(cast["tongchuan"])
    page = client.get(reverse("rdreport:dashboard") + f"?year={YEAR}").content.decode()
    assert "通川甲公司" in page and "宣汉乙公司" not in page
    assert [c.name for c in dashboard.overview(cast["tongchuan"], YEAR).counties] == ["通川区"]
    assert client.get(rival.get_absolute_url()).status_code == 404
    other = RdPlan.objects.get(enterprise=orgs["rival_ltd"])
    assert client.get(reverse("rdreport:target-edit", args=[other.pk])).status_code == 404
    client.force_login(cast["xuanhan"])
    page = client.get(reverse("rdreport:dashboard") + f"?year={YEAR}").content.decode()
    assert "宣汉乙公司" in page and "通川甲公司" not in page and "待县级预审" in page


def test_the_deadline_reminder_turns_red_within_a_week(client, cast, orgs, regions):
    today = timezone.localdate()
    ReportingDeadline.objects.create(region=regions["达州市"], year=YEAR, deadline=today + dt.timedelta(days=30))
    ReportingDeadline.objects.create(region=regions["宣汉县"], year=YEAR, deadline=today + dt.timedelta(days=7))
    client.force_login(cast["city"])
    page = client.get(reverse("rdreport:dashboard") + f"?year={YEAR}").content.decode()
    assert "剩余 30 天" in page and 'data-urgent="1"' not in page
    assert "剩余 7 天" in page  # 宣汉县's own deadline in the county table
    client.force_login(cast["xuanhan"])
    page = client.get(reverse("rdreport:dashboard") + f"?year={YEAR}").content.decode()
    assert 'data-urgent="1"' in page and "剩余 7 天" in page
    client.force_login(cast["rival"])
    page = client.get(reverse("rdreport:dashboard") + f"?year={YEAR}").content.decode()
    assert 'data-urgent="1"' in page
    past = dashboard.Deadline(today - dt.timedelta(days=2), today)
    assert past.urgent and past.text.endswith("（已过期 2 天）")


def test_an_enterprise_sees_its_own_report_deadline_and_target(client, cast, orgs):
    plan(orgs["acme_ltd"], 1200)
    plan(orgs["rival_ltd"], 900)
    make_report(orgs["acme_ltd"], cast["city"])
    client.force_login(cast["acme"])
    page = client.get(reverse("rdreport:dashboard")).content.decode()
    assert 'data-testid="own-report"' in page and "草稿" in page and "继续填报" in page
    assert "1200" in page and "83.3%" in page  # 1,000 of 1,200 千元
    assert "宣汉乙公司" not in page and "900" not in page
    for name in ("researcher", "expert", "outsider"):
        client.force_login(cast[name])
        assert client.get(reverse("rdreport:dashboard")).status_code == 403


def test_default_year_is_last_calendar_year(client, cast):
    client.force_login(cast["city"])
    page = client.get(reverse("rdreport:dashboard")).content.decode()
    assert f"{timezone.localdate().year - 1} 年度" in page


def test_targets_behind_list_and_export(client, cast, orgs):
    plan(orgs["acme_ltd"], 800)  # reports 1,000: reached
    plan(orgs["rival_ltd"], 2000)  # reports 1,000: behind
    plan(orgs["park_ltd"])  # no target and no report: behind (not started)
    make_report(orgs["acme_ltd"], cast["city"], ReportStatus.SUBMITTED)
    make_report(orgs["rival_ltd"], cast["city"])
    rows = {r.enterprise.name: r for r in targets.target_rows(cast["city"], YEAR)}
    assert rows["通川甲公司"].progress == Decimal("1.25") and not rows["通川甲公司"].behind
    assert rows["宣汉乙公司"].progress_text == "50.0%" and rows["宣汉乙公司"].behind
    assert rows["高新丙公司"].progress is None and rows["高新丙公司"].behind
    behind = [r.enterprise.name for r in targets.target_rows(cast["city"], YEAR, behind_only=True)]
    assert sorted(behind) == ["宣汉乙公司", "高新丙公司"]
    client.force_login(cast["city"])
    page = client.get(reverse("rdreport:targets") + f"?year={YEAR}&behind=1").content.decode()
    assert "宣汉乙公司" in page and "通川甲公司" not in page
    export = client.get(reverse("rdreport:targets") + f"?year={YEAR}&behind=1&export=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [c.value for c in sheet[1]][:4] == ["企业", "统一社会信用代码", "区域", "目标研发费用（千元）"]
    assert sheet.max_row == 3
    client.force_login(cast["xuanhan"])
    assert [r.enterprise.name for r in targets.target_rows(cast["xuanhan"], YEAR)] == ["宣汉乙公司"]


def test_staff_set_targets_with_history_enterprises_only_look(client, cast, orgs):
    client.force_login(cast["tongchuan"])
    response = client.post(reverse("rdreport:targets") + f"?year={YEAR}",
                           {"uscc": orgs["acme_ltd"].uscc.lower(), "target": "1500", "note": "新建中试线", "year": YEAR})
    assert response.status_code == 302
    plan_ = RdPlan.objects.get(enterprise=orgs["acme_ltd"], year=YEAR)
    assert plan_.target_expense == Decimal("1500000") and plan_.note == "新建中试线"
    page = client.post(reverse("rdreport:targets") + f"?year={YEAR}",
                       {"uscc": orgs["rival_ltd"].uscc, "target": "10", "year": YEAR}).content.decode()
    assert "无权修改" in page and not RdPlan.objects.filter(enterprise=orgs["rival_ltd"]).exists()
    client.post(reverse("rdreport:target-edit", args=[plan_.pk]), {"target": "1800", "note": "调整"})
    plan_.refresh_from_db()
    assert plan_.target_expense == Decimal("1800000")
    assert [h.history_user for h in plan_.history.all()] == [cast["tongchuan"], cast["tongchuan"]]
    assert "1500" in client.get(reverse("rdreport:target-edit", args=[plan_.pk])).content.decode()
    client.force_login(cast["acme"])
    assert "1800" in client.get(reverse("rdreport:targets") + f"?year={YEAR}").content.decode()
    assert client.post(reverse("rdreport:targets") + f"?year={YEAR}", {"uscc": orgs["acme_ltd"].uscc,
                                                                      "target": "1"}).status_code == 403
    assert client.get(reverse("rdreport:target-edit", args=[plan_.pk])).status_code == 403
    client.force_login(cast["rival"])
    assert client.get(reverse("rdreport:target-edit", args=[plan_.pk])).status_code == 404
