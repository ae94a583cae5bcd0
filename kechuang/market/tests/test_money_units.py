"""One money unit per module on pages, forms and history rows (issue 11 item 12): the market in 万元, the
cultivation figures in 万元, R&D in 千元, regional GDP in 亿元; the API keeps yuan."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from kechuang.common.history import history_rows
from kechuang.market.models import Demand


def demand_post(orgs, regions, **money) -> dict:
    return {"title": "万元预算的需求", "enterprise": orgs["acme_ltd"].pk, "region": regions["通川区"].pk,
            "cooperation_mode": "transfer", "description": "", "keywords": "", **money}


def test_demand_form_takes_wan_yuan_as_the_page_shows(client, cast, orgs, regions, records):
    client.force_login(cast["acme"])
    form_page = client.get(reverse("market:demand-create")).content.decode()
    assert "预算上限（万元）" in form_page and "预算上限（元）" not in form_page
    response = client.post(reverse("market:demand-create"), demand_post(orgs, regions, budget_min="300",
                                                                        budget_max="450.5"))
    assert response.status_code == 302, response.content.decode()[:2000]
    demand = Demand.objects.get(title="万元预算的需求")
    assert (demand.budget_min, demand.budget_max) == (Decimal("3000000"), Decimal("4505000"))  # 300 万元, not 0.03
    detail = client.get(demand.get_absolute_url()).content.decode()
    assert "300–450.5 万元" in detail
    edit = client.get(reverse("market:demand-edit", args=[demand.pk])).content.decode()
    assert 'value="300"' in edit and 'value="450.5"' in edit and "3000000" not in edit


def test_history_rows_show_money_in_the_module_unit(client, cast, orgs, regions, records):
    demand = records["acme_demand"]  # budget 100000–500000 yuan
    demand.budget_max = Decimal("3000000")
    demand.save()
    changes = [c for row in history_rows(demand) for c in row.changes]
    assert ("预算上限（万元）", "50", "300") in changes
    achievement = records["uni_public"]
    achievement.asking_price = Decimal("350")
    achievement.save()
    assert ("转让价格（万元）", "80", "0.035") in [c for row in history_rows(achievement) for c in row.changes]


def test_history_of_yearly_figures_rd_targets_and_gdp_in_their_units(cast, orgs, regions):
    from kechuang.cultivation.models import AnnualFigures
    from kechuang.rdreport.models import RegionalGdp

    figures = AnnualFigures.objects.create(enterprise_id=orgs["acme_ltd"].pk, year=2024,
                                           sales_revenue=Decimal("55070000.00"))
    figures.sales_revenue = Decimal("3000000.00")
    figures.save()
    assert ("销售收入（营业收入）（万元）", "5507", "300") in [c for r in history_rows(figures) for c in r.changes]
    gdp = RegionalGdp.objects.create(region=regions["通川区"], year=2024, gdp=Decimal("123400000000"))
    gdp.gdp = Decimal("125000000000")
    gdp.save()
    assert ("地区生产总值（亿元）", "1234", "1250") in [c for r in history_rows(gdp) for c in r.changes]


def test_yearly_figures_form_shows_no_needless_decimals(cast, orgs):
    from kechuang.cultivation.forms import AnnualFiguresForm
    from kechuang.cultivation.models import AnnualFigures

    form = AnnualFiguresForm(instance=AnnualFigures(year=2024, sales_revenue=Decimal("3000000.00"),
                                                    total_revenue=Decimal("5507000.00"),
                                                    net_profit=Decimal("123.45")))
    assert (form["sales_revenue"].value(), form["total_revenue"].value(), form["net_profit"].value()) == \
        (Decimal("300"), Decimal("550.7"), Decimal("0.012345"))
    assert 'value="300"' in str(form["sales_revenue"])


def test_enterprise_rd_page_shows_thousand_yuan_beside_thousand_yuan(client, cast, orgs):
    from kechuang.rdreport.tests.staff_data import YEAR, good, make_report

    firm, projects = good()  # [7] 研究开发费用合计 1000 千元
    make_report(orgs["acme_ltd"], cast["city"], firm=firm, projects=projects)
    client.force_login(cast["acme"])
    page = client.get(reverse("rdreport:dashboard") + f"?year={YEAR}").content.decode()
    assert "研究开发费用合计（千元）" in page and "（元）" not in page
    assert ">1000<" in page and "1000000" not in page


def test_api_keeps_yuan(client, cast, orgs, regions, records):
    client.force_login(cast["acme"])
    created = client.post("/api/market/demands", {"title": "API 元预算", "enterprise_id": orgs["acme_ltd"].pk,
                                                  "budget_max": "300"}, content_type="application/json")
    assert created.status_code == 201, created.content
    assert Demand.objects.get(title="API 元预算").budget_max == Decimal("300")
    assert Decimal(str(created.json()["budget_max"])) == Decimal("300")
