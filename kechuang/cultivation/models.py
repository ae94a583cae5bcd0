"""What the cultivation engine needs about an enterprise, and the evaluations it produced.

* :class:`CultivationProfile` — one per enterprise: facts that do not change by fiscal year (status
  flags, core technical field, certificates, R&D management evidence, expert judgements);
* :class:`AnnualFigures` — one per enterprise and fiscal year (企业年度数据);
* :class:`IntellectualProperty`, :class:`StandardDrafted`, :class:`Award`, :class:`RecognisedRdInstitution`,
  :class:`Incident` — the enterprise's lists;
* :class:`Evaluation` — one stored run of the engine (verdicts, score ranges, coaching, rule version,
  and the figures it saw), the latest per enterprise and evaluation year flagged ``is_latest``.

Money is ``Decimal`` yuan (the forms show 万元), persons yearly averages. Every registered record keeps
its history; evaluations are never changed once stored (a new run adds a row).
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from kechuang.common.access import AccessScope, Actions, ScopedQuerySet
from kechuang.common.models import HistoricScopedModel, ScopedModel
from kechuang.common.money import DecimalOptions
from kechuang.core.choices import OrganisationKind
from kechuang.core.models import Organisation, Region, User
from kechuang.cultivation.choices import (
    ACQUISITIONS,
    AWARD_LEVELS,
    INCIDENT_KINDS,
    INSTITUTION_LEVELS,
    IP_KINDS,
    STANDARD_KINDS,
    STANDARD_LEVELS,
    STANDARD_ROLES,
    TAX_MODES,
    TECH_FIELDS,
    TIERS,
    VERDICTS,
)

#: Who does what with cultivation data: staff over the enterprise's region, the enterprise itself
#: (its own figures and evaluations); researchers and experts have no part in it.
ENTERPRISE_SCOPE = AccessScope(region="enterprise__region", organisation="enterprise", actions=Actions.OWNER_KEEPS)

MONEY: DecimalOptions = {"max_digits": 16, "decimal_places": 2, "null": True, "blank": True}
PERSONS: DecimalOptions = {"max_digits": 9, "decimal_places": 2, "null": True, "blank": True,
           "validators": [MinValueValidator(0)]}


_ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


class CultivatedEnterpriseManager(_ScopedManager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=OrganisationKind.ENTERPRISE)


class CultivatedEnterprise(Organisation):
    """An enterprise seen from the cultivation module: the same row as ``Organisation``, with the access
    rules of cultivation data (staff over its region, the enterprise itself; not researchers or experts)."""

    objects: ClassVar[CultivatedEnterpriseManager] = CultivatedEnterpriseManager()
    access_scope = AccessScope(region="region", organisation="pk", actions=Actions.OWNER_KEEPS)

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = "培育企业"

    def get_absolute_url(self) -> str:
        return reverse("cultivation:enterprise", args=[self.pk])


def _enterprise_fk(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(Organisation, verbose_name="企业", on_delete=models.CASCADE,
                             related_name=related_name, limit_choices_to={"kind": OrganisationKind.ENTERPRISE})


class CultivationProfile(HistoricScopedModel):
    """The enterprise's facts for the three tiers that do not vary by fiscal year.

    Tri-state flags: ``None`` means "not known yet"; the engine answers NEEDS_REVIEW(MISSING_DATA) for
    a condition that needs an unknown flag rather than guessing.
    """

    enterprise = models.OneToOneField(Organisation, verbose_name="企业", on_delete=models.CASCADE,
                                      related_name="cultivation_profile", limit_choices_to={"kind": OrganisationKind.ENTERPRISE})
    establish_date = models.DateField("成立日期")
    is_resident_enterprise = models.BooleanField("居民企业", null=True, blank=True)
    registered_in_mainland = models.BooleanField("在中国境内（不含港澳台）注册", null=True, blank=True)
    is_local_legal_person = models.BooleanField("本地注册的独立法人", null=True, blank=True)
    tax_mode = models.CharField("企业所得税征收方式", max_length=16, choices=TAX_MODES, blank=True)
    tech_field = models.CharField("核心技术所属领域", max_length=32, choices=TECH_FIELDS, blank=True,
                                  help_text="《国家重点支持的高新技术领域》八大领域")
    in_restricted_catalogue = models.BooleanField("产品属于禁止、限制或淘汰类", null=True, blank=True)
    in_super_deduction_excluded_industry = models.BooleanField("属于不适用研发费用加计扣除的行业", null=True,
                                                               blank=True)
    incidents_checked = models.BooleanField(
        "已核查安全、质量、环境事故及科研失信记录", default=False,
        help_text="未核查时，相关条件判定为“待复核”")
    on_abnormal_operation_list = models.BooleanField("列入经营异常名录", null=True, blank=True)
    on_serious_violation_list = models.BooleanField("列入严重违法失信名单", null=True, blank=True)
    hnte_certificate_number = models.CharField("高新技术企业证书编号", max_length=32, blank=True)
    hnte_certificate_issue_date = models.DateField("高新技术企业证书发证日期", null=True, blank=True)
    hnte_certificate_valid_until = models.DateField("高新技术企业证书有效期至", null=True, blank=True,
                                                    editable=False)
    tsme_registration_number = models.CharField("科技型中小企业入库登记编号", max_length=32, blank=True)
    tsme_registration_year = models.PositiveSmallIntegerField("科技型中小企业入库年度", null=True, blank=True)
    # R&D management evidence, HNTE score part C (国科发火〔2016〕195号; C1–C4)
    rd_management_rules = models.BooleanField("制定研发项目立项、组织管理制度", default=False)
    rd_cost_accounting_system = models.BooleanField("建立研发投入核算体系", default=False)
    rd_auxiliary_ledger = models.BooleanField("编制研发费用辅助账", default=False)
    inhouse_rd_unit = models.BooleanField("设立内部研发机构", default=False)
    research_conditions = models.BooleanField("具备相应科研条件", default=False)
    industry_university_cooperation = models.BooleanField("与高校、科研院所开展产学研合作", default=False)
    transformation_incentive_rules = models.BooleanField("建立成果转化组织实施与激励奖励制度", default=False)
    open_innovation_platform = models.BooleanField("建立开放式创新创业平台", default=False)
    staff_training_rules = models.BooleanField("建立科技人员培养进修制度", default=False)
    skills_training = models.BooleanField("开展职工技能培训", default=False)
    talent_recruitment = models.BooleanField("优秀人才引进制度", default=False)
    performance_rewards = models.BooleanField("人才绩效评价奖励制度", default=False)
    expert_points = models.JSONField("专家评分（分）", default=dict, blank=True,
                                     help_text="评分项 → 专家给出的分数；未给出的项按分值区间计")
    expert_bands = models.JSONField("专家评档", default=dict, blank=True, help_text="评分项 → 专家评档（A–E）")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    access_scope = ENTERPRISE_SCOPE

    EVIDENCE_FIELDS = (
        "rd_management_rules", "rd_cost_accounting_system", "rd_auxiliary_ledger", "inhouse_rd_unit",
        "research_conditions", "industry_university_cooperation", "transformation_incentive_rules",
        "open_innovation_platform", "staff_training_rules", "skills_training", "talent_recruitment",
        "performance_rewards",
    )

    class Meta:
        verbose_name = verbose_name_plural = "培育档案"

    def __str__(self) -> str:
        return f"{self.enterprise} 培育档案"

    def clean(self) -> None:
        if bool(self.hnte_certificate_number) != bool(self.hnte_certificate_issue_date):
            raise ValidationError({"hnte_certificate_issue_date": "证书编号与发证日期须同时填写"})
        if bool(self.tsme_registration_number) != bool(self.tsme_registration_year):
            raise ValidationError({"tsme_registration_year": "入库登记编号与入库年度须同时填写"})

    def save(self, *args, **kwargs) -> None:
        """Keep the certificate's last day of validity (issue date + 3 years − 1 day, HT-M art. 13)."""
        from kechuang.engines.cultivation import HnteCertificate

        self.hnte_certificate_valid_until = (
            HnteCertificate(self.hnte_certificate_number, self.hnte_certificate_issue_date).valid_until
            if self.hnte_certificate_issue_date else None)
        super().save(*args, **kwargs)


class AnnualFigures(HistoricScopedModel):
    """One enterprise's figures for one fiscal (calendar) year; units as the engine's
    ``FiscalYearFigures`` (money yuan, persons yearly averages)."""

    enterprise = _enterprise_fk("annual_figures")
    year = models.PositiveSmallIntegerField("会计年度", validators=[MinValueValidator(1980), MaxValueValidator(2100)])
    staff_total_avg = models.DecimalField("职工总数（年平均，人）", **PERSONS,
                                          help_text="全年月平均人数之和 ÷ 12；兼职、临时聘用人员全年累计工作 183 天以上计入")
    tech_staff_avg = models.DecimalField("科技人员数（年平均，人）", **PERSONS)
    tsme_staff_total = models.DecimalField("职工总数（科技型中小企业口径，人）", **PERSONS,
                                           help_text="兼职、临时聘用人员全年累计工作 6 个月以上计入；留空则按上一口径")
    tsme_tech_staff = models.DecimalField("科技人员数（科技型中小企业口径，人）", **PERSONS)
    sales_revenue = models.DecimalField("销售收入（营业收入）", **MONEY, help_text="主营业务收入与其他业务收入之和")
    total_revenue = models.DecimalField("收入总额", **MONEY)
    non_taxable_revenue = models.DecimalField("不征税收入", **MONEY)
    hitech_revenue = models.DecimalField("高新技术产品（服务）收入", **MONEY, help_text="含技术性收入")
    total_costs_and_expenses = models.DecimalField("成本费用支出总额", **MONEY)
    total_assets = models.DecimalField("资产总额", **MONEY)
    net_assets = models.DecimalField("净资产", **MONEY)
    net_profit = models.DecimalField("净利润", **MONEY)
    rd_expense_hnte = models.DecimalField("研发费用总额（高新技术企业口径）", **MONEY)
    rd_expense_hnte_domestic = models.DecimalField("其中：境内研发费用", **MONEY)
    rd_expense_super_deduction = models.DecimalField("研发费用（加计扣除口径）", **MONEY)
    rd_expense_financial = models.DecimalField(
        "研发费用（利润表）", **MONEY,
        help_text="财务报表（利润表）“研发费用”项目；研发投入统计报表据此核对研究开发费用合计（审核关系 R19）")
    achievements_transformed = models.PositiveIntegerField("当年科技成果转化数（项）", null=True, blank=True,
                                                           validators=[MaxValueValidator(100_000)])
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    access_scope = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = verbose_name_plural = "企业年度数据"
        ordering = ["enterprise", "year"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="annual_figures_once_a_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year} 年度数据"

    def get_absolute_url(self) -> str:
        return reverse("cultivation:figures-edit", args=[self.enterprise_id, self.year])


class IntellectualProperty(HistoricScopedModel):
    """An IP item of the enterprise (知识产权), with the facts that decide whether it counts."""

    enterprise = _enterprise_fk("intellectual_property")
    identifier = models.CharField("编号", max_length=64, help_text="专利号、登记号等")
    kind = models.CharField("类别", max_length=32, choices=IP_KINDS)
    acquisition = models.CharField("获得方式", max_length=32, choices=ACQUISITIONS, default="SELF_DEVELOPED")
    in_force = models.BooleanField("有效", default=True)
    granted_in_china = models.BooleanField("在中国境内授权", default=True)
    owned_by_applicant = models.BooleanField("企业拥有所有权", default=True)
    related_to_main_products = models.BooleanField("对主要产品（服务）有核心支持作用", default=True)
    in_dispute = models.BooleanField("存在权属争议", default=False)
    used_in_previous_recognition = models.BooleanField("已用于以往高企认定", default=False)
    claimed_by_co_owner = models.BooleanField("已被共有人使用", default=False)

    access_scope = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = verbose_name_plural = "知识产权"
        ordering = ["enterprise", "id"]  # the order entered
        constraints = [models.UniqueConstraint(fields=["enterprise", "identifier"], name="ip_once_per_enterprise")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.identifier}"


class StandardDrafted(HistoricScopedModel):
    """A standard, test method or technical specification the enterprise led or took part in drafting
    (HNTE A5 counts all three: 国科发火〔2016〕195号)."""

    enterprise = _enterprise_fk("standards_drafted")
    title = models.CharField("标准名称", max_length=200)
    kind = models.CharField("类别", max_length=32, choices=STANDARD_KINDS, default="STANDARD",
                            help_text="标准、检测方法或技术规范（高企创新能力评价加分项均计入）")
    level = models.CharField("级别", max_length=16, choices=STANDARD_LEVELS)
    role = models.CharField("角色", max_length=16, choices=STANDARD_ROLES)
    date = models.DateField("发布日期")
    recognized = models.BooleanField("经国家有关部门认证", default=True)

    access_scope = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = verbose_name_plural = "主持或参与制定的标准"
        ordering = ["enterprise", "id"]  # the order entered

    def __str__(self) -> str:
        return self.title


class Award(HistoricScopedModel):
    """A science and technology award of the enterprise."""

    enterprise = _enterprise_fk("awards")
    title = models.CharField("奖项名称", max_length=200)
    level = models.CharField("级别", max_length=16, choices=AWARD_LEVELS)
    date = models.DateField("获奖日期")
    rank = models.PositiveSmallIntegerField("完成单位排名", default=1, validators=[MinValueValidator(1)])

    access_scope = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = verbose_name_plural = "科技奖励"
        ordering = ["enterprise", "id"]  # the order entered

    def __str__(self) -> str:
        return self.title


class RecognisedRdInstitution(HistoricScopedModel):
    """A recognised R&D institution of the enterprise (重点实验室、工程技术研究中心等)."""

    enterprise = _enterprise_fk("rd_institutions")
    name = models.CharField("机构名称", max_length=200)
    level = models.CharField("认定级别", max_length=16, choices=INSTITUTION_LEVELS)

    access_scope = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = verbose_name_plural = "认定的研发机构"
        ordering = ["enterprise", "id"]  # the order entered

    def __str__(self) -> str:
        return self.name


class Incident(HistoricScopedModel):
    """An incident or credit breach (重大安全、质量事故，严重环境违法，科研失信等)."""

    enterprise = _enterprise_fk("incidents")
    date = models.DateField("发生日期")
    kind = models.CharField("类别", max_length=32, choices=INCIDENT_KINDS)
    description = models.CharField("说明", max_length=200, blank=True)

    access_scope = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = verbose_name_plural = "事故与失信记录"
        ordering = ["enterprise", "id"]  # the order entered

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class EvaluationSource(models.TextChoices):
    BATCH = "batch", "年度批量评估"
    PAGE = "page", "页面评估"
    API = "api", "接口评估"


class Evaluation(ScopedModel):
    """One stored run of the cultivation engine for one enterprise.

    The summary columns (verdicts, labels, score ranges, pool flags) serve the lists and pools; the whole
    result (``result``, the JSON of :func:`kechuang.engines.cultivation.codec.assessment_to_json`) and the
    figures it saw (``figures``) make the run reproducible. ``rule_version`` names the rule parameters.
    """

    enterprise = _enterprise_fk("evaluations")
    year = models.PositiveSmallIntegerField("评估年度", db_index=True)
    evaluation_date = models.DateField("评估基准日")
    rule_version = models.CharField("规则版本", max_length=64)
    highest_tier = models.CharField("已达到的最高梯度", max_length=16, choices=TIERS, blank=True)
    next_tier = models.CharField("下一梯度", max_length=16, choices=TIERS, blank=True)
    tsme_verdict = models.CharField("科技型中小企业", max_length=16, choices=VERDICTS)
    tsme_label = models.CharField("科技型中小企业结论代码", max_length=200)
    tsme_score_min = models.SmallIntegerField("科技型中小企业得分下限", null=True)
    tsme_score_max = models.SmallIntegerField("科技型中小企业得分上限", null=True)
    hnte_verdict = models.CharField("高新技术企业", max_length=16, choices=VERDICTS)
    hnte_label = models.CharField("高新技术企业结论代码", max_length=200)
    hnte_score_min = models.SmallIntegerField("创新能力得分下限", null=True)
    hnte_score_max = models.SmallIntegerField("创新能力得分上限", null=True)
    hnte_conditions_failed = models.PositiveSmallIntegerField("高企不符合条件数", default=0)
    gazelle_verdict = models.CharField("瞪羚企业", max_length=16, choices=VERDICTS)
    gazelle_label = models.CharField("瞪羚企业结论代码", max_length=200)
    tsme_registered = models.BooleanField("评估时已入库科技型中小企业", default=False)
    hnte_certified = models.BooleanField("评估时持有有效高企证书", default=False)
    near_hnte = models.BooleanField("高企后备", default=False)
    hnte_blocked = models.CharField(
        "不能申报高企的原因", max_length=200, blank=True,
        help_text="不因投入或等待而改变的不符合项（如非境内注册的居民企业）；有值时不列入高企后备")
    coaching_count = models.PositiveSmallIntegerField("辅导事项数", default=0)
    result = models.JSONField("评估结果")
    figures = models.JSONField("评估所用数据")
    config = models.JSONField("局方配置", default=dict)
    source = models.CharField("来源", max_length=8, choices=EvaluationSource.choices, default=EvaluationSource.BATCH)
    is_latest = models.BooleanField("该年度最新结果", default=True, db_index=True)
    created_by = models.ForeignKey(User, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField("评估时间", auto_now_add=True)

    access_scope = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = verbose_name_plural = "梯度评估结果"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["year", "is_latest"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year} 年度评估"

    def get_absolute_url(self) -> str:
        return reverse("cultivation:evaluation-detail", args=[self.pk])


class EvaluationRun(ScopedModel):
    """Re-evaluating every enterprise of a region for one year from the page, one chunk per request
    (:func:`kechuang.cultivation.services.advance_run`), so the page shows the progress while it runs.

    ``cursor`` is the last enterprise id evaluated; ``done`` of ``total`` enterprises are finished.
    """

    class Status(models.TextChoices):
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "未完成"

    region = models.ForeignKey(Region, verbose_name="区域", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("评估年度")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.RUNNING)
    total = models.PositiveIntegerField("企业数", default=0)
    done = models.PositiveIntegerField("已评估", default=0)
    skipped = models.PositiveIntegerField("跳过", default=0)
    cursor = models.PositiveBigIntegerField("进度位置", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    created_by = models.ForeignKey(User, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    access_scope = AccessScope(region="region", actions=Actions.extend(Actions.STAFF_ONLY, city_admin=Actions.FILE))

    class Meta:
        verbose_name = verbose_name_plural = "区域重新评估"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.region} {self.year} 年度重新评估"

    @property
    def percent(self) -> int:
        """Share finished, 0–100."""
        return 100 if not self.total else min(100, self.done * 100 // self.total)
