"""The report page shows 107-1 codes by their meaning and year-months as 2025年1月 (issue 11, item 22)."""

from __future__ import annotations

from django.urls import reverse

from kechuang.rdreport.models import RdReport
from kechuang.rdreport.tests.conftest import page_data


def test_project_codes_and_year_months_read_in_chinese(client, cast, t20):
    firm, projects = t20
    projects[0].update({"source": "1", "cooperation_form": "2"})
    client.force_login(cast["acme"])
    client.post(reverse("rdreport:report-new") + "?year=2025", page_data(firm, projects, action="save", year="2025"))
    report = RdReport.objects.get()
    rows = client.get(report.get_absolute_url()).content.decode().split('data-testid="project-rows"')[1]
    rows = rows.split("</table>")[0]
    assert "<td>国家科技项目</td>" in rows and "<td>与境内高校合作</td>" in rows
    assert "<td>2024年1月</td>" in rows and "<td>2025年12月</td>" in rows
    assert ">202401<" not in rows and "<td>1</td><td>2</td>" not in rows
