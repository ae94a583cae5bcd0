"""Regions, organisations, accounts and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import cast

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from kechuang.common.access import AccessScope, Actions
from kechuang.common.models import HistoricScopedModel
from kechuang.common.phones import PhoneField
from kechuang.core.choices import INSTITUTION_KINDS, OrganisationKind, RegionLevel, Role
from kechuang.core.validators import validate_division_code, validate_industry_code, validate_uscc


def region_path(parent_path: str | None, pk: int) -> str:
    """Materialised path of a region: its ancestors' ids and its own, e.g. ``/1/2/`` (a subtree is a
    ``path__startswith``)."""
    return f"{parent_path or '/'}{pk}/"


class RegionQuerySet(models.QuerySet):
    def subtree(self, region: Region) -> RegionQuerySet:
        """``region`` and every region below it."""
        return self.filter(path__startswith=region.path)

    def assignable_by(self, user) -> RegionQuerySet:
        """Regions a user may put records in: a staff member's own region subtree; for an
        organisation-bound user only its organisation's region (so a record cannot escape the review
        of its own county); everything for a superuser."""
        if user.is_superuser:
            return self.all()
        if user.region_id is not None:
            return self.subtree(user.region)
        if user.organisation_id is not None:
            return self.filter(pk=user.organisation.region_id)
        return self.none()


class Region(models.Model):
    """A node of the region tree: province → city → county-level division → park.

    ``code`` is the GB/T 2260 division code; parks have none.
    """

    code = models.CharField(
        "行政区划代码", max_length=6, unique=True, null=True, blank=True, validators=[validate_division_code]
    )
    name = models.CharField("名称", max_length=50)
    level = models.CharField("层级", max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级区域", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("路径", max_length=255, editable=False, db_index=True, default="")
    neighbour = models.BooleanField("邻近协作区", default=False,
                                    help_text="匹配时排在本市之后、其他地区之前（如万达开川渝统筹发展示范区）")
    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "行政区域"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_in_parent",
                                    violation_error_message="同一上级区域下已有同名区域"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """Save and keep the materialised paths of this region and its descendants right."""
        with transaction.atomic():
            super().save(*args, **kwargs)
            parent = self.parent if self.parent_id else None
            path = region_path(parent.path if parent is not None else None, self.pk)
            if path != self.path:
                old = self.path
                Region.objects.filter(pk=self.pk).update(path=path)
                self.path = path
                if old:
                    for child in Region.objects.filter(path__startswith=old).exclude(pk=self.pk):
                        Region.objects.filter(pk=child.pk).update(path=path + child.path[len(old):])

    def clean(self) -> None:
        parent = self.parent if self.parent_id else None
        if parent is not None and self.pk and parent.path.startswith(self.path or "\0"):
            raise ValidationError({"parent": "上级区域不能是本区域或其下级区域"})

    @property
    def division_code(self) -> str | None:
        """The GB/T 2260 code of this region, or of its nearest coded ancestor for a park."""
        node: Region | None = self
        while node is not None and not node.code:
            node = node.parent
        return node.code if node is not None else None

    @property
    def city(self) -> Region | None:
        """The city-level region this region lies in (itself for a city), or None above city level."""
        node: Region | None = self
        while node is not None and node.level not in (RegionLevel.CITY, RegionLevel.PROVINCE):
            node = node.parent
        return node if node is not None and node.level == RegionLevel.CITY else None

    @property
    def full_name(self) -> str:
        """Names from the city down, e.g. ``达州市 / 通川区``."""
        names: list[str] = []
        node: Region | None = self
        while node is not None and node.level != RegionLevel.PROVINCE and len(names) < 10:
            names.append(node.name)
            node = node.parent
        return " / ".join(reversed(names))


class Organisation(HistoricScopedModel):
    """An enterprise, university, research institute, hospital or other organisation."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=32, choices=OrganisationKind.choices,
                            default=OrganisationKind.ENTERPRISE)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, null=True, blank=True,
                            validators=[validate_uscc],
                            error_messages={"unique": "该统一社会信用代码已登记"})
    industry_code = models.CharField("国民经济行业分类代码", max_length=5, blank=True,
                                     validators=[validate_industry_code],
                                     help_text="GB/T 4754-2017，如 C2614")
    region = models.ForeignKey(Region, verbose_name="所在区域", on_delete=models.PROTECT,
                               related_name="organisations")
    address = models.CharField("地址", max_length=200, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    website = models.URLField("网站", blank=True)
    description = models.TextField("简介", blank=True)
    source = models.CharField("数据来源", max_length=100, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    access_scope = AccessScope(region="region", organisation="pk", actions=Actions.OWNER_EDITS)

    class Meta:
        verbose_name = verbose_name_plural = "组织机构"
        ordering = ["region__path", "name"]
        indexes = [models.Index(fields=["kind", "region"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:organisation-detail", args=[self.pk])


class Contact(HistoricScopedModel):
    """A contact person of an organisation."""

    organisation = models.ForeignKey(Organisation, verbose_name="组织机构", on_delete=models.CASCADE,
                                     related_name="contacts")
    name = models.CharField("姓名", max_length=50)
    position = models.CharField("职务", max_length=50, blank=True)
    phone = PhoneField("电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)

    access_scope = AccessScope(region="organisation__region", organisation="organisation",
                               actions=Actions.OWNER_EDITS)

    class Meta:
        verbose_name = verbose_name_plural = "联系人"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """An account with one role, bound to a region or to an organisation as the role requires."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=32, choices=Role.choices, blank=True)
    region = models.ForeignKey(Region, verbose_name="所属区域", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="users")
    organisation = models.ForeignKey(Organisation, verbose_name="所属单位", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="users")
    phone = PhoneField("手机号码", max_length=30, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()  # type: ignore[misc]  # django-stubs types AbstractUser.objects as a ClassVar

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        """Check that the role has the binding it needs.

        city administrator → a city; county officer → a county-level division; statistics officer → a
        city or county; enterprise user → an enterprise; researcher → a university, institute or hospital.
        """
        super().clean()
        errors: dict[str, str] = {}
        role = self.role
        level = self.region.level if self.region is not None and self.region_id else None
        if role == Role.CITY_ADMIN and level != RegionLevel.CITY:
            errors["region"] = "市科技局管理员须绑定一个市级区域"
        elif role == Role.COUNTY_OFFICER and level != RegionLevel.COUNTY:
            errors["region"] = "县（市、区）科技部门人员须绑定一个县级区域"
        elif role == Role.STATISTICS_OFFICER and level not in (RegionLevel.CITY, RegionLevel.COUNTY):
            errors["region"] = "统计人员须绑定一个市级或县级区域"
        kind = self.organisation.kind if self.organisation is not None and self.organisation_id else None
        if role == Role.ENTERPRISE_USER and kind != OrganisationKind.ENTERPRISE:
            errors["organisation"] = "企业用户须绑定一家企业"
        elif role == Role.RESEARCHER and kind not in INSTITUTION_KINDS:
            errors["organisation"] = "科研人员须绑定一家高校、科研院所或医疗卫生机构"
        if errors:
            raise ValidationError(errors)

    @property
    def is_city_admin(self) -> bool:
        return self.is_superuser or self.role == Role.CITY_ADMIN

    @property
    def scope_label(self) -> str:
        """What the account is bound to, for display."""
        if self.region_id and self.region is not None:
            return self.region.full_name
        if self.organisation_id and self.organisation is not None:
            return self.organisation.name
        return "全部" if self.is_superuser else "—"


class ApiToken(models.Model):
    """A bearer token for the REST API. Only a hash of the key is stored; the key is shown once."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100, blank=True)
    prefix = models.CharField("前缀", max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str = "") -> tuple[ApiToken, str]:
        """Create a token for ``user``; returns the record and the clear key (shown once)."""
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[:8], key_hash=cls.hash_key(key))
        return token, key

    @classmethod
    def authenticate(cls, key: str) -> User | None:
        """The active user owning ``key``, or None."""
        token = cls.objects.select_related("user").filter(key_hash=cls.hash_key(key)).first()
        if token is None or not token.user.is_active:
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user


def signed_in(request: HttpRequest) -> User:
    """``request.user`` of a page behind ``login_required``, typed as the project's ``User`` (Django
    types it as possibly anonymous; these pages are never reached anonymously). No run-time effect."""
    return cast(User, request.user)
