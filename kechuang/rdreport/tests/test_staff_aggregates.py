"""R&D expenditure by county and industry, regional R&D intensity (T21), and GDP entry."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from django.urls import reverse

from kechuang.rdreport import aggregates
from kechuang.rdreport.choices import ReportStatus
from kechuang.rdreport.models import RdReport, RegionalGdp
from kechuang.rdreport.tests.staff_data import YEAR, make_report

YI = Decimal(10) ** 8


def test_expenditure_by_county_and_industry_counts_submitted_or_later(cast, orgs, regions):
    make_report(orgs["acme_ltd"], cast["city"], ReportStatus.SUBMITTED)  # 1,000 千元, internal 1,000 − 200 − 50 − 20
    make_report(orgs["rival_ltd"], cast["city"], ReportStatus.DELIVERED, scale=3)
    make_report(orgs["park_ltd"], cast["city"], ReportStatus.RETURNED)  # returned: not counted
    RegionalGdp.objects.create(region=regions["通川区"], year=YEAR, gdp=Decimal("73") * 10**6)
    counties, total = aggregates.by_county(cast["city"], YEAR)
    rows = {a.label: a for a in counties}
    assert rows["通川区"].reports == 1 and rows["通川区"].rd_expense == Decimal("1000000")
    assert rows["通川区"].internal == Decimal("730000")  # [7] − [14] − [10] − [11] + [20] in yuan
    assert rows["通川区"].intensity == Decimal("0.01") and rows["通川区"].intensity_text == "1.00%"
    assert rows["宣汉县"].rd_expense == Decimal("3000000") and rows["宣汉县"].intensity is None
    assert rows["达州高新区"].reports == 0
    assert total.reports == 2 and total.rd_expense == Decimal("4000000") and total.gdp is None
    industries = {a.label: a.rd_expense for a in aggregates.by_industry(cast["city"], YEAR)}
    assert industries == {"C 制造业": Decimal("4000000")}
    counties, total = aggregates.by_county(cast["xuanhan"], YEAR)
    assert [a.label for a in counties] == ["宣汉县"] and total.rd_expense == Decimal("3000000")


def test_t21_city_intensity_is_one_percent(cast, orgs, regions):
    """T21: city R&D internal expenditure 25 亿, GRP 2,500 亿 → 1.00 %."""
    for name in ("acme_ltd", "rival_ltd"):
        make_report(orgs[name], cast["city"], ReportStatus.DELIVERED)
    # the reports' internal expenditure as the engine derived it, set to 10 亿 + 15 亿 = 25 亿
    RdReport.objects.filter(enterprise=orgs["acme_ltd"]).update(internal_expenditure=10 * YI)
    RdReport.objects.filter(enterprise=orgs["rival_ltd"]).update(internal_expenditure=15 * YI)
    RegionalGdp.objects.create(region=regions["达州市"], year=YEAR, gdp=2500 * YI)
    _, total = aggregates.by_county(cast["city"], YEAR)
    assert total.internal == 25 * YI
    assert total.intensity == Decimal("0.01") and total.intensity_text == "1.00%"


def test_t21_through_reports_saved_by_the_services(cast, orgs, regions):
    """The same case with figures entered as a report: internal = [7] − [14] − [10] − [11] + [20]."""
    # 2,500,000 千元 = 25 亿: [7] 2,500,000, no external, depreciation or amortization, [20] 0
    firm = {"rd_personnel_total": "100", "rd_expense_total": "2500000", "labour_cost": "1500000",
            "direct_inputs": "1000000", "funds_enterprise": "2500000"}
    projects = [{"name": "大型研发项目", "personnel": "100", "person_months": "1200", "expense": "2500000"}]
    make_report(orgs["acme_ltd"], cast["city"], ReportStatus.DELIVERED, firm=firm, projects=projects)
    RegionalGdp.objects.create(region=regions["达州市"], year=YEAR, gdp=2500 * YI)
    _, total = aggregates.by_county(cast["city"], YEAR)
    assert total.internal == 25 * YI and total.intensity_text == "1.00%"


def test_aggregates_page_with_its_chart(client, cast, orgs, regions):
    make_report(orgs["acme_ltd"], cast["city"], ReportStatus.CITY_REVIEWED)
    RegionalGdp.objects.create(region=regions["达州市"], year=YEAR, gdp=2500 * YI)
    client.force_login(cast["stats"])
    page = client.get(reverse("rdreport:aggregates") + f"?year={YEAR}").content.decode()
    assert 'data-testid="by-county"' in page and "vendor/echarts-5.6.0.min.js" in page and "cdn" not in page
    chart = json.loads(re.search(r'id="chart-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert chart["names"][:3] == ["通川区", "达川区", "宣汉县"] and chart["names"][-1] == "达州东部经开区"
    assert chart["rd_expense"][0] == 100.0 and chart["total_intensity"] == 0.0  # 100 万元; 73 万 / 2,500 亿
    assert "已报送，待县级预审" in page  # the statuses that count are said
    for name in ("acme", "researcher"):
        client.force_login(cast[name])
        assert client.get(reverse("rdreport:aggregates")).status_code == 403


def test_gdp_page_city_enters_every_county_a_county_only_its_own(client, cast, regions):
    url = reverse("rdreport:gdp") + f"?year={YEAR}"
    city, tongchuan, xuanhan = regions["达州市"], regions["通川区"], regions["宣汉县"]
    client.force_login(cast["city"])
    page = client.get(url).content.decode()
    assert "达州市" in page and "宣汉县" in page and "万源市" in page
    client.post(url, {"year": YEAR, f"gdp_{city.pk}": "2600", f"gdp_{xuanhan.pk}": "512.5"})
    assert RegionalGdp.objects.get(region=city, year=YEAR).gdp == 2600 * YI
    assert RegionalGdp.objects.get(region=xuanhan, year=YEAR).gdp == Decimal("51250000000")
    client.force_login(cast["tongchuan"])
    page = client.get(url).content.decode()
    assert "通川区" in page and "宣汉县" not in page
    assert client.post(url, {"year": YEAR, f"gdp_{xuanhan.pk}": "1"}).status_code == 404
    client.post(url, {"year": YEAR, f"gdp_{tongchuan.pk}": "440"})
    row = RegionalGdp.objects.get(region=tongchuan, year=YEAR)
    assert row.gdp == 440 * YI and row.history.first().history_user == cast["tongchuan"]
    assert RegionalGdp.objects.get(region=xuanhan, year=YEAR).gdp == Decimal("51250000000")
    client.post(url, {"year": YEAR, f"gdp_{tongchuan.pk}": "-3"})
    assert RegionalGdp.objects.get(region=tongchuan, year=YEAR).gdp == 440 * YI
    client.post(url, {"year": YEAR, f"gdp_{tongchuan.pk}": ""})  # cleared: removed
    assert not RegionalGdp.objects.filter(region=tongchuan, year=YEAR).exists()
    client.force_login(cast["stats"])
    page = client.get(url).content.decode()
    assert "512.5" in page and "您只能查看" in page
    assert client.post(url, {"year": YEAR, f"gdp_{city.pk}": "1"}).status_code == 403
    for name in ("acme", "researcher", "outsider"):
        client.force_login(cast[name])
        assert client.get(url).status_code == 403
