"""Choosing a campaign's participants: candidates (what the user may choose), adding and removing them
by selection, by a whole filtered set or cultivation pool, or from an uploaded list of credit codes
(enterprises) or expert ids / names (experts) with a per-row report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from kechuang.common.imports import ImportFileError, RowProblem, read_table
from kechuang.common.uscc import is_valid_uscc, normalise
from kechuang.common.workflow import run_transition
from kechuang.core.choices import OrganisationKind
from kechuang.core.models import Organisation
from kechuang.market.choices import ExpertStatus
from kechuang.market.models import Expert
from kechuang.pairing.choices import CampaignStatus, ParticipantKind
from kechuang.pairing.models import PairingCampaign
from kechuang.pairing.services import refuse_if_visited

#: Headers an uploaded list may use, by what they hold.
CODE_HEADERS = ("统一社会信用代码", "社会信用代码", "信用代码", "uscc")
EXPERT_ID_HEADERS = ("专家编号", "编号", "id")
EXPERT_NAME_HEADERS = ("姓名", "专家姓名", "专家")
EXPERT_UNIT_HEADERS = ("工作单位", "单位")


def enterprise_candidates(campaign: PairingCampaign, user: Any) -> QuerySet:
    """Enterprises the user may see in the campaign's region (its subtree)."""
    return Organisation.objects.visible_to(user).filter(
        kind=OrganisationKind.ENTERPRISE, region__path__startswith=campaign.region.path).select_related("region")


def expert_candidates(campaign: PairingCampaign, user: Any) -> QuerySet:
    """Published experts who accept work (from anywhere: experts may serve other counties)."""
    return Expert.objects.filter(status=ExpertStatus.PUBLISHED, available=True).select_related(
        "organisation", "region")


def candidates(campaign: PairingCampaign, user: Any, kind: str) -> QuerySet:
    """:func:`enterprise_candidates` or :func:`expert_candidates` by :class:`ParticipantKind`."""
    if kind == ParticipantKind.ENTERPRISES:
        return enterprise_candidates(campaign, user)
    return expert_candidates(campaign, user)


def chosen(campaign: PairingCampaign, kind: str) -> QuerySet:
    """The campaign's current enterprises or experts."""
    return campaign.enterprises.all() if kind == ParticipantKind.ENTERPRISES else campaign.experts.all()


def _editable(campaign: PairingCampaign, user: Any) -> None:
    """Participants change only before publication; a computed plan is dropped (back to draft, in the
    campaign's history), since it no longer covers the participants."""
    if campaign.status == CampaignStatus.PUBLISHED:
        raise ValidationError("结对结果已发布，不能再调整参与名单；如需调整请先撤回发布")
    if campaign.status == CampaignStatus.COMPUTED:
        refuse_if_visited(campaign)
        campaign.pairings.all().delete()
        campaign.scores.all().delete()
        campaign.total_affinity = campaign.computed_affinity = None
        run_transition(campaign, "reopen", user, "参与名单变更，原方案作废")


@transaction.atomic
def add(campaign: PairingCampaign, user: Any, kind: str, chosen_qs: QuerySet) -> int:
    """Add the chosen records (narrowed to the candidates) to the campaign.

    Returns:
        How many were not participants before.

    Raises:
        ValidationError: the campaign is published.
    """
    ids = set(candidates(campaign, user, kind).filter(pk__in=chosen_qs.values("pk")).values_list("pk", flat=True))
    new = ids - set(chosen(campaign, kind).values_list("pk", flat=True))
    if new:
        _editable(campaign, user)
        getattr(campaign, kind).add(*new)
    return len(new)


@transaction.atomic
def remove(campaign: PairingCampaign, user: Any, kind: str, ids: list[int]) -> int:
    """Remove the given participants. Returns how many were removed."""
    gone = list(chosen(campaign, kind).filter(pk__in=ids).values_list("pk", flat=True))
    if gone:
        _editable(campaign, user)
        getattr(campaign, kind).remove(*gone)
    return len(gone)


@dataclass
class ListReport:
    """What an uploaded list named: the records found, and the rows not understood (row, column,
    message), with Excel row numbers."""

    file: str
    rows_read: int = 0
    found: list[Any] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    added: int = 0
    written: bool = False

    def summary(self) -> str:
        state = f"已加入 {self.added}" if self.written else "未加入任何记录"
        return (f"{self.file}：读取 {self.rows_read} 行，识别 {len(self.found)}，无法识别 {len(self.problems)}"
                f"（{state}）")


def _column(headers: list[str], names: tuple[str, ...]) -> str | None:
    wanted = {n.lower() for n in names}
    return next((h for h in headers if h.strip().lower() in wanted), None)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _read_enterprises(campaign, user, headers, rows, report: ListReport) -> None:
    column = _column(headers, CODE_HEADERS)
    if column is None:
        raise ImportFileError(f"{report.file}：没有“统一社会信用代码”列（表头须为 {'、'.join(CODE_HEADERS[:3])} 之一）")
    pool = enterprise_candidates(campaign, user)
    visible = Organisation.objects.visible_to(user)
    for number, cells in rows:
        code = normalise(_text(cells.get(column)))
        if not code:
            report.problems.append(RowProblem(number, column, "未填写统一社会信用代码"))
        elif not is_valid_uscc(code):
            report.problems.append(RowProblem(number, column, f"“{code}”不是有效的统一社会信用代码"))
        elif (found := pool.filter(uscc=code).first()) is not None:
            report.found.append(found)
        elif (other := visible.filter(uscc=code).first()) is not None:
            where = "不是企业" if other.kind != OrganisationKind.ENTERPRISE else f"不在本活动组织区域（{campaign.region.name}）内"
            report.problems.append(RowProblem(number, column, f"{code}（{other.name}）{where}"))
        else:
            report.problems.append(RowProblem(number, column, f"未找到信用代码为 {code} 的企业（未登记或不在您的管辖范围内）"))


def _read_experts(campaign, user, headers, rows, report: ListReport) -> None:
    id_column, name_column = _column(headers, EXPERT_ID_HEADERS), _column(headers, EXPERT_NAME_HEADERS)
    unit_column = _column(headers, EXPERT_UNIT_HEADERS)
    if id_column is None and name_column is None:
        raise ImportFileError(f"{report.file}：没有“专家编号”或“姓名”列")
    pool = expert_candidates(campaign, user)
    for number, cells in rows:
        ident, name = _text(cells.get(id_column)) if id_column else "", _text(cells.get(name_column)) if name_column else ""
        unit = _text(cells.get(unit_column)) if unit_column else ""
        if ident:
            found = pool.filter(pk=int(ident)).first() if ident.isdigit() and len(ident) <= 12 else None
            if found is None:
                report.problems.append(RowProblem(number, id_column or "", f"专家编号 {ident} 不存在，或该专家未入库、不接受对接"))
            else:
                report.found.append(found)
            continue
        if not name:
            report.problems.append(RowProblem(number, name_column or id_column or "", "未填写专家编号或姓名"))
            continue
        matches = list(pool.filter(name=name, **({"organisation__name": unit} if unit else {}))[:3])
        if len(matches) == 1:
            report.found.append(matches[0])
        elif matches:
            report.problems.append(RowProblem(number, name_column or "", f"同名专家 {name} 不止一人，请填写工作单位或专家编号"))
        else:
            report.problems.append(RowProblem(number, name_column or "", f"未找到已入库、接受对接的专家 {name}"
                                              + (f"（{unit}）" if unit else "")))


@transaction.atomic
def add_from_list(campaign: PairingCampaign, user: Any, kind: str, source: BinaryIO, name: str,
                  valid_only: bool = False) -> ListReport:
    """Add the enterprises (by 统一社会信用代码) or experts (by 专家编号, or 姓名 with optional 工作单位)
    an uploaded xlsx or csv names, read by the project's upload reader. All or nothing: with any row not
    understood nothing is added unless ``valid_only``.

    Raises:
        ImportFileError: the file cannot be read or has no usable column (Chinese message naming it).
        ValidationError: the campaign is published.
    """
    headers, rows, count = read_table(source, name)
    report = ListReport(file=name, rows_read=count)
    reader = _read_enterprises if kind == ParticipantKind.ENTERPRISES else _read_experts
    reader(campaign, user, headers, rows, report)
    if report.problems and not valid_only:
        return report
    model = Organisation if kind == ParticipantKind.ENTERPRISES else Expert
    report.added = add(campaign, user, kind, model.objects.filter(pk__in=[r.pk for r in report.found]))
    report.written = True
    return report
