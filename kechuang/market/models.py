"""The three registries of the technology market: achievements, demands and experts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_fsm import FSMField, transition

from kechuang.common.access import (
    CHANGE,
    VIEW,
    AccessScope,
    Actions,
    can,
    is_staff_of,
    role_allows,
)
from kechuang.common.idcard import id_number_error
from kechuang.common.models import HistoricScopedModel
from kechuang.common.money import money_text
from kechuang.common.phones import PhoneField
from kechuang.core.choices import Role
from kechuang.core.models import Organisation, Region, User
from kechuang.market.choices import (
    ACHIEVEMENT_PUBLIC,
    DEMAND_PUBLIC,
    EXPERT_PUBLIC,
    AchievementKind,
    AchievementStatus,
    CooperationMode,
    DemandStatus,
    ExpertStatus,
    TransferMode,
)
from kechuang.market.patents import canonical_patent_number, patent_number_error
from kechuang.market.text import join_list, split_list, split_patents, title_key


class TechField(models.Model):
    """A technical field of the national list of high-tech fields supported by the state
    (《国家重点支持的高新技术领域》, annex of 国科发火〔2016〕32号): eight fields (code ``01``–``08``) and
    their sub-fields (``0101`` …)."""

    code = models.CharField("代码", max_length=8, unique=True)
    name = models.CharField("名称", max_length=50)
    parent = models.ForeignKey("self", verbose_name="上级领域", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")

    class Meta:
        verbose_name = verbose_name_plural = "技术领域"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id and self.parent is not None else self.name

    @property
    def top_code(self) -> str:
        return self.code[:2]


def _staff_only(user, obj) -> bool:
    return is_staff_of(user, obj)


def _is_reviewer(instance, user) -> bool:
    return is_staff_of(user, instance)


def _may_change(instance, user) -> bool:
    return can(user, CHANGE, instance)


def _owner_or_staff(owner_field: str):
    """Staff over the record, or a user of the owning organisation whose role may change such records
    (an expert affiliated with the owner may view, not withdraw)."""
    def allowed(instance, user) -> bool:
        if is_staff_of(user, instance):
            return True
        return (getattr(user, "organisation_id", None) == getattr(instance, f"{owner_field}_id")
                and role_allows(user, type(instance), CHANGE))
    return allowed


def validate_patent_numbers(value: str) -> None:
    """Refuse a list with any wrong patent application number, naming each."""
    errors = [e for e in (patent_number_error(n) for n in split_patents(value)) if e]
    if errors:
        raise ValidationError(errors, code="patent_number")


def validate_id_number(value: str) -> None:
    message = id_number_error(value)
    if message:
        raise ValidationError(message, code="id_number")


def validate_transfer_modes(value: str) -> None:
    bad = [m for m in split_list(value) if m not in TransferMode.values]
    if bad:
        raise ValidationError(f"转化方式无效：{'、'.join(bad)}", code="transfer_mode")


# --- achievements ---------------------------------------------------------------------------------

class Achievement(HistoricScopedModel):
    """A scientific and technological achievement offered for transfer (科技成果)."""

    title = models.CharField("成果名称", max_length=200)
    summary = models.TextField("成果简介", blank=True)
    keywords = models.CharField("关键词", max_length=500, blank=True, help_text="多个关键词用“；”分隔")
    field = models.ForeignKey(TechField, verbose_name="技术领域", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="achievements")
    discipline = models.CharField("学科", max_length=100, blank=True)
    trl = models.PositiveSmallIntegerField("技术就绪度", null=True, blank=True,
                                           validators=[MinValueValidator(1), MaxValueValidator(9)],
                                           help_text="TRL 1–9（GB/T 22900-2022）")
    kind = models.CharField("成果类型", max_length=16, choices=AchievementKind.choices,
                            default=AchievementKind.OTHER)
    patent_numbers = models.CharField("专利申请号", max_length=500, blank=True,
                                      validators=[validate_patent_numbers], help_text="多个申请号用“；”分隔")
    owner = models.ForeignKey(Organisation, verbose_name="成果所有方", on_delete=models.PROTECT,
                              related_name="achievements")
    inventors: models.ManyToManyField[Expert, Any] = models.ManyToManyField(
        "Expert", verbose_name="完成人（专家库）", blank=True, related_name="achievements")
    inventor_names = models.CharField("完成人", max_length=300, blank=True)
    transfer_modes = models.CharField("转化方式", max_length=100, blank=True,
                                      validators=[validate_transfer_modes])
    asking_price = models.DecimalField("转让价格（元）", max_digits=16, decimal_places=2, null=True, blank=True,
                                       validators=[MinValueValidator(Decimal("0"))])
    price_negotiable = models.BooleanField("面议", default=False)
    region = models.ForeignKey(Region, verbose_name="所在区域", on_delete=models.PROTECT,
                               related_name="achievements")
    status = FSMField("状态", max_length=16, choices=AchievementStatus.choices, default=AchievementStatus.DRAFT)
    source = models.CharField("数据来源", max_length=100, blank=True)
    source_ref = models.CharField("来源编号", max_length=100, blank=True)
    title_key = models.CharField(max_length=200, editable=False, db_index=True, default="")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    access_scope = AccessScope(
        region="region", organisation="owner", actions=Actions.REGISTRY,
        public=Q(status__in=ACHIEVEMENT_PUBLIC), owner_editable=Q(status=AchievementStatus.DRAFT),
    )

    class Meta:
        verbose_name = verbose_name_plural = "科技成果"
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "title_key"], name="achievement_unique_title_per_owner",
                                    violation_error_message="同一所有方已登记同名成果"),
            models.UniqueConstraint(fields=["source", "source_ref"], condition=~Q(source_ref=""),
                                    name="achievement_unique_source_ref",
                                    violation_error_message="同一来源编号的成果已登记"),
        ]
        indexes = [models.Index(fields=["status", "region"]), models.Index(fields=["field", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("market:achievement-detail", args=[self.pk])

    def clean(self) -> None:
        if self.asking_price is not None and self.price_negotiable:
            raise ValidationError({"asking_price": "已选择“面议”时不填写价格"})

    def normalise(self) -> None:
        """Derived and normalised values (title key, keyword and patent lists); run before any save,
        also before a bulk insert, which skips ``save``."""
        self.title_key = title_key(self.title)
        self.keywords = join_list(split_list(self.keywords))
        # Valid numbers take their normal form; a wrong one is kept as typed (the form refuses it), never lost.
        self.patent_numbers = join_list([n if patent_number_error(n) else canonical_patent_number(n)
                                         for n in split_patents(self.patent_numbers)])

    def save(self, *args, **kwargs) -> None:
        self.normalise()
        super().save(*args, **kwargs)
        sync_patents(self, [n for n in self.patent_list if not patent_number_error(n)])

    @property
    def keyword_list(self) -> list[str]:
        return split_list(self.keywords)

    @property
    def patent_list(self) -> list[str]:
        return split_patents(self.patent_numbers)

    @property
    def transfer_mode_labels(self) -> list[str]:
        labels = dict(TransferMode.choices)
        return [str(labels.get(m, m)) for m in split_list(self.transfer_modes)]

    @property
    def price_display(self) -> str:
        if self.price_negotiable:
            return "面议"
        if self.asking_price is None:
            return "—"
        return money_text(self.asking_price, "万元", with_unit=True)

    # Publication workflow. Each transition is saved by services.transition(), which records history.
    @transition(status, source=AchievementStatus.DRAFT, target=AchievementStatus.SUBMITTED, permission=_may_change)
    def submit(self) -> None:
        """提交审核"""

    @transition(status, source=[AchievementStatus.DRAFT, AchievementStatus.SUBMITTED],
                target=AchievementStatus.PUBLISHED, permission=_is_reviewer)
    def publish(self) -> None:
        """审核发布"""

    @transition(status, source=AchievementStatus.SUBMITTED, target=AchievementStatus.DRAFT, permission=_is_reviewer)
    def return_to_draft(self) -> None:
        """退回修改"""

    @transition(status, source=AchievementStatus.PUBLISHED, target=AchievementStatus.NEGOTIATING,
                permission=_is_reviewer)
    def start_negotiation(self) -> None:
        """进入洽谈"""

    @transition(status, source=AchievementStatus.NEGOTIATING, target=AchievementStatus.TRANSFERRED,
                permission=_is_reviewer)
    def mark_transferred(self) -> None:
        """确认已转化"""

    @transition(status, source=[AchievementStatus.DRAFT, AchievementStatus.SUBMITTED, AchievementStatus.PUBLISHED,
                                AchievementStatus.NEGOTIATING], target=AchievementStatus.WITHDRAWN,
                permission=_owner_or_staff("owner"))
    def withdraw(self) -> None:
        """撤回"""


class AchievementPatent(models.Model):
    """One patent application number of an achievement; unique, so no patent is registered twice."""

    number = models.CharField("专利申请号", max_length=20, unique=True)
    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="patents")

    class Meta:
        verbose_name = verbose_name_plural = "成果专利号"

    def __str__(self) -> str:
        return self.number


def sync_patents(achievement: Achievement, numbers: list[str]) -> None:
    """Make the achievement's patent rows equal ``numbers`` (canonical forms)."""
    achievement.patents.exclude(number__in=numbers).delete()
    existing = set(achievement.patents.values_list("number", flat=True))
    AchievementPatent.objects.bulk_create(
        [AchievementPatent(number=n, achievement=achievement) for n in numbers if n not in existing])


# --- demands --------------------------------------------------------------------------------------


def _may_see_demand_contact(user, demand) -> bool:
    """City and county staff over the demand, the enterprise itself, and organisations the bureau has
    put in contact with it (``contact_shared_with``)."""
    if is_staff_of(user, demand):
        return True
    org = getattr(user, "organisation_id", None)
    return org is not None and (org == demand.enterprise_id
                                or demand.contact_shared_with.filter(pk=org).exists())


class Demand(HistoricScopedModel):
    """An enterprise's technology demand (技术需求)."""

    title = models.CharField("需求名称", max_length=200)
    description = models.TextField("需求描述", blank=True)
    field = models.ForeignKey(TechField, verbose_name="技术领域", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="demands")
    keywords = models.CharField("关键词", max_length=500, blank=True, help_text="多个关键词用“；”分隔")
    enterprise = models.ForeignKey(Organisation, verbose_name="需求企业", on_delete=models.PROTECT,
                                   related_name="demands")
    budget_min = models.DecimalField("预算下限（元）", max_digits=16, decimal_places=2, null=True, blank=True,
                                     validators=[MinValueValidator(Decimal("0"))])
    budget_max = models.DecimalField("预算上限（元）", max_digits=16, decimal_places=2, null=True, blank=True,
                                     validators=[MinValueValidator(Decimal("0"))])
    deadline = models.DateField("截止日期", null=True, blank=True)
    cooperation_mode = models.CharField("合作方式", max_length=32, choices=CooperationMode.choices,
                                        default=CooperationMode.JOINT_DEVELOPMENT)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = PhoneField("联系电话", max_length=30, blank=True)
    contact_email = models.EmailField("联系邮箱", blank=True)
    contact_shared_with = models.ManyToManyField(Organisation, verbose_name="已对接单位（可见联系方式）", blank=True,
                                                 related_name="shared_demands")
    region = models.ForeignKey(Region, verbose_name="所在区域", on_delete=models.PROTECT, related_name="demands")
    status = FSMField("状态", max_length=16, choices=DemandStatus.choices, default=DemandStatus.DRAFT)
    source = models.CharField("数据来源", max_length=100, blank=True)
    source_ref = models.CharField("来源编号", max_length=100, blank=True)
    title_key = models.CharField(max_length=200, editable=False, db_index=True, default="")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    access_scope = AccessScope(
        region="region", organisation="enterprise",
        actions=Actions.extend(Actions.REGISTRY, researcher=Actions.READ),
        public=Q(status__in=DEMAND_PUBLIC), owner_editable=Q(status=DemandStatus.DRAFT),
        restricted={"contact": (("contact_name", "contact_phone", "contact_email"), _may_see_demand_contact)},
    )

    class Meta:
        verbose_name = verbose_name_plural = "技术需求"
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "title_key"], name="demand_unique_title_per_enterprise",
                                    violation_error_message="该企业已登记同名需求"),
            models.CheckConstraint(condition=Q(budget_min__isnull=True) | Q(budget_max__isnull=True)
                                   | Q(budget_min__lte=models.F("budget_max")), name="demand_budget_range",
                                   violation_error_message="预算下限不能高于上限"),
        ]
        indexes = [models.Index(fields=["status", "region"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("market:demand-detail", args=[self.pk])

    def normalise(self) -> None:
        """Derived and normalised values; run before any save, also before a bulk insert."""
        self.title_key = title_key(self.title)
        self.keywords = join_list(split_list(self.keywords))

    def save(self, *args, **kwargs) -> None:
        self.normalise()
        super().save(*args, **kwargs)

    @property
    def keyword_list(self) -> list[str]:
        return split_list(self.keywords)

    @property
    def budget_display(self) -> str:
        def wan(v: Decimal | None) -> str:
            return money_text(v, "万元")
        if self.budget_min is None and self.budget_max is None:
            return "面议"
        if self.budget_min is not None and self.budget_max is not None:
            return f"{wan(self.budget_min)}–{wan(self.budget_max)} 万元"
        return f"{'≥' if self.budget_min is not None else '≤'} {wan(self.budget_min or self.budget_max)} 万元"

    def submission_problems(self, today: date) -> list[str]:
        """Why the demand may not be submitted or published on ``today`` (Chinese messages; [] when it may):
        a deadline already past. A draft may keep any deadline; the check is on submission."""
        if self.deadline is not None and self.deadline < today:
            return [f"截止日期 {self.deadline:%Y-%m-%d} 已过，请修改截止日期（或留空）后再提交或发布"]
        return []

    @transition(status, source=DemandStatus.DRAFT, target=DemandStatus.SUBMITTED, permission=_may_change)
    def submit(self) -> None:
        """提交审核"""

    @transition(status, source=[DemandStatus.DRAFT, DemandStatus.SUBMITTED], target=DemandStatus.PUBLISHED,
                permission=_is_reviewer)
    def publish(self) -> None:
        """审核发布"""

    @transition(status, source=DemandStatus.SUBMITTED, target=DemandStatus.DRAFT, permission=_is_reviewer)
    def return_to_draft(self) -> None:
        """退回修改"""

    @transition(status, source=DemandStatus.PUBLISHED, target=DemandStatus.MATCHED, permission=_is_reviewer)
    def mark_matched(self) -> None:
        """标记已对接"""

    @transition(status, source=[DemandStatus.DRAFT, DemandStatus.SUBMITTED, DemandStatus.PUBLISHED,
                                DemandStatus.MATCHED], target=DemandStatus.CLOSED,
                permission=_owner_or_staff("enterprise"))
    def close(self) -> None:
        """关闭需求"""


# --- experts --------------------------------------------------------------------------------------


def _may_see_personal_data(user, expert) -> bool:
    """City staff (the city administrator over the expert's region) and the expert themself."""
    if getattr(user, "pk", None) is not None and user.pk == expert.user_id:
        return True
    return getattr(user, "role", "") == Role.CITY_ADMIN and can(user, CHANGE, expert)


class Expert(HistoricScopedModel):
    """An expert of the expert registry (专家库)."""

    name = models.CharField("姓名", max_length=50)
    organisation = models.ForeignKey(Organisation, verbose_name="工作单位", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="experts")
    title = models.CharField("职称", max_length=50, blank=True)
    tech_fields = models.CharField("技术领域", max_length=200, blank=True,
                              help_text="技术领域代码，多个用“；”分隔，如 0402；0603")
    keywords = models.CharField("研究方向关键词", max_length=500, blank=True, help_text="多个关键词用“；”分隔")
    biography = models.TextField("个人简介", blank=True)
    region = models.ForeignKey(Region, verbose_name="所在区域", on_delete=models.PROTECT, related_name="experts")
    available = models.BooleanField("可接受对接", default=True)
    max_load = models.PositiveSmallIntegerField("同时服务企业/评审上限", default=3,
                                                validators=[MinValueValidator(1), MaxValueValidator(50)])
    phone = PhoneField("手机号码", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    id_number = models.CharField("身份证号码", max_length=18, blank=True, validators=[validate_id_number])
    avoid_organisations = models.ManyToManyField(Organisation, verbose_name="申明回避单位", blank=True,
                                                 related_name="avoided_by",
                                                 help_text="评审、结对时须回避的单位（利益冲突申明）")
    user = models.OneToOneField(User, verbose_name="平台账号", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="expert_profile")
    status = FSMField("状态", max_length=16, choices=ExpertStatus.choices, default=ExpertStatus.DRAFT)
    source = models.CharField("数据来源", max_length=100, blank=True)
    source_ref = models.CharField("来源编号", max_length=100, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    access_scope = AccessScope(
        region="region", user="user",
        actions=Actions.extend(Actions.OWNER_EDITS, enterprise_user=Actions.READ, expert={VIEW, CHANGE}),
        public=Q(status__in=EXPERT_PUBLIC),
        restricted={"personal": (("phone", "email", "id_number"), _may_see_personal_data)},
    )

    class Meta:
        verbose_name = verbose_name_plural = "专家"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["name", "organisation"], name="expert_unique_name_per_organisation",
                                    violation_error_message="该单位已登记同名专家"),
        ]
        indexes = [models.Index(fields=["status", "region"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("market:expert-detail", args=[self.pk])

    def normalise(self) -> None:
        """Normalised list fields and ID number; run before any save, also before a bulk insert."""
        self.keywords = join_list(split_list(self.keywords))
        self.tech_fields = join_list(split_list(self.tech_fields))
        self.id_number = self.id_number.strip().upper()

    def save(self, *args, **kwargs) -> None:
        self.normalise()
        super().save(*args, **kwargs)

    @property
    def field_codes(self) -> list[str]:
        return split_list(self.tech_fields)

    @property
    def field_names(self) -> list[str]:
        names = dict(TechField.objects.filter(code__in=self.field_codes).values_list("code", "name"))
        return [names.get(code, code) for code in self.field_codes]

    @property
    def keyword_list(self) -> list[str]:
        return split_list(self.keywords)

    @transition(status, source=[ExpertStatus.DRAFT, ExpertStatus.WITHDRAWN], target=ExpertStatus.SUBMITTED,
                permission=_may_change)
    def submit(self) -> None:
        """提交入库申请"""

    @transition(status, source=[ExpertStatus.DRAFT, ExpertStatus.SUBMITTED], target=ExpertStatus.PUBLISHED,
                permission=_is_reviewer)
    def publish(self) -> None:
        """审核入库"""

    @transition(status, source=ExpertStatus.SUBMITTED, target=ExpertStatus.DRAFT, permission=_is_reviewer)
    def return_to_draft(self) -> None:
        """退回修改"""

    @transition(status, source=[ExpertStatus.PUBLISHED, ExpertStatus.SUBMITTED], target=ExpertStatus.WITHDRAWN,
                permission=lambda instance, user: is_staff_of(user, instance) or user.pk == instance.user_id)
    def withdraw(self) -> None:
        """退出专家库"""
