"""Forms of the registries: the one validator behind pages, API and imports.

``user=None`` is the system (imports run from the command line): every organisation and region may
be chosen. Otherwise the choices are what the user may reach.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from kechuang.common.access import is_staff_of, restricted_fields
from kechuang.common.forms import label_choices, model_choice
from kechuang.common.money import MODULE_UNITS, UnitMoneyField, is_money_field, unit_label
from kechuang.core.choices import OrganisationKind, RegionLevel
from kechuang.core.models import Organisation, Region
from kechuang.market.choices import TransferMode
from kechuang.market.models import Achievement, Demand, Expert, TechField
from kechuang.market.text import join_list


def _regions(user):
    """Regions a record may be put in (``Region.objects.assignable_by``; all for the system)."""
    regions = Region.objects.all() if user is None else Region.objects.assignable_by(user)
    return regions.exclude(level=RegionLevel.PROVINCE)


def _organisations(user, kinds=None):
    """Organisations a record may name as owner or enterprise: those the user may see (the one access
    decision, ``visible_to``); all for the system."""
    queryset = Organisation.objects.all() if user is None else Organisation.objects.visible_to(user)
    return queryset.filter(kind__in=kinds) if kinds else queryset


class RegistryForm(forms.ModelForm):
    """Shared behaviour: field choices labelled by full names, list fields normalised, a user scope, money
    typed in ``money_unit`` (the market's 万元 on the pages, as its lists and detail pages show prices and
    budgets; 元 for the API and the import template) and stored in yuan."""

    money_unit = MODULE_UNITS["market"]

    def __init__(self, *args, user=None, money_unit: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        unit = money_unit or self.money_unit
        for name, field in list(self.fields.items()):
            model_field = next((f for f in self._meta.model._meta.fields if f.name == name), None)
            if model_field is not None and is_money_field(model_field):
                self.fields[name] = UnitMoneyField(unit=unit, label=unit_label(model_field.verbose_name, unit),
                                                   help_text=field.help_text, required=field.required)
        if user is not None and self.instance.pk:
            # Restricted fields (personal data, contact details) are neither shown nor changed by a
            # user who may not see them.
            for name in restricted_fields(user, self.instance):
                self.fields.pop(name, None)
        if "field" in self.fields:
            model_choice(self.fields["field"]).queryset = TechField.objects.select_related("parent")
        if "region" in self.fields:
            model_choice(self.fields["region"]).queryset = _regions(user)
            label_choices(self.fields["region"], lambda r: r.full_name)
            self.fields["region"].required = False
            self.fields["region"].help_text = "留空则取所属单位的区域"

    def _get_validation_exclusions(self):
        # The form's ModelChoiceFields have already found each related record in the user's scope,
        # a stricter check than the model's own existence query, which is skipped to save a query.
        exclusions = super()._get_validation_exclusions()
        return exclusions | {f.name for f in self.instance._meta.fields if f.is_relation and f.name in self.fields}

    def validate_unique(self) -> None:
        """Also check the model's constraints over related fields (unique title per owner …), which the
        exclusions above keep out of the model's own full_clean; derived keys are computed first."""
        super().validate_unique()
        if hasattr(self.instance, "normalise"):
            self.instance.normalise()
        try:
            # title_key is derived (not a form field) but part of a constraint: check it too.
            # Django's private helpers of ModelForm (not in django-stubs): the two ignores below
            excluded = super()._get_validation_exclusions()  # type: ignore[misc]
            self.instance.validate_constraints(exclude=excluded - {"title_key"})
        except ValidationError as exc:
            self._update_errors(exc)  # type: ignore[attr-defined]

    def clean_keywords(self) -> str:
        from kechuang.market.text import split_list

        return join_list(split_list(self.cleaned_data.get("keywords", "")))

    def default_region(self, organisation: Organisation | None) -> None:
        if not self.cleaned_data.get("region") and organisation is not None:
            self.cleaned_data["region"] = organisation.region
            self.instance.region = organisation.region
        if not self.cleaned_data.get("region") and not self.instance.region_id:
            self.add_error("region", "请选择所在区域")


class AchievementForm(RegistryForm):
    transfer_modes = forms.MultipleChoiceField(label="转化方式", choices=TransferMode.choices, required=False,
                                               widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Achievement
        fields = ["title", "summary", "keywords", "field", "discipline", "trl", "kind", "patent_numbers", "owner",
                  "inventor_names", "inventors", "transfer_modes", "asking_price", "price_negotiable", "region"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        model_choice(self.fields["owner"]).queryset = _organisations(user)
        if user is not None and user.organisation_id and not self.instance.pk:
            self.initial.setdefault("owner", user.organisation_id)
        model_choice(self.fields["inventors"]).queryset = Expert.objects.visible_to(user) if user is not None \
            else Expert.objects.all()
        self.fields["inventors"].required = False
        self.fields["inventors"].help_text = "专家库中的完成人（可多选）"
        if self.instance.pk and self.instance.transfer_modes and not self.is_bound:
            self.initial["transfer_modes"] = self.instance.transfer_modes.split("；")

    def clean_patent_numbers(self) -> str:
        """Each patent belongs to one achievement: refuse a number another achievement holds."""
        from kechuang.market.models import AchievementPatent
        from kechuang.market.patents import canonical_patent_number, patent_number_error
        from kechuang.market.text import split_patents

        value = self.cleaned_data.get("patent_numbers", "")
        if getattr(self, "skip_duplicate_checks", False):
            return value
        numbers = [canonical_patent_number(n) for n in split_patents(value) if not patent_number_error(n)]
        taken = AchievementPatent.objects.filter(number__in=numbers).exclude(achievement_id=self.instance.pk)
        # The other record may be out of the user's sight: say that the number is taken, not where.
        errors = [f"专利申请号 {p.number} 已登记在其他成果中，不能重复登记" for p in taken]
        if errors:
            raise forms.ValidationError(errors)
        return value

    def clean_transfer_modes(self) -> str:
        return join_list(self.cleaned_data.get("transfer_modes") or [])

    def clean(self):
        cleaned = super().clean() or self.cleaned_data  # (typed optional: a clean() may return None)
        self.default_region(cleaned.get("owner"))
        return cleaned


class DemandForm(RegistryForm):
    class Meta:
        model = Demand
        fields = ["title", "description", "field", "keywords", "enterprise", "budget_min", "budget_max", "deadline",
                  "cooperation_mode", "contact_name", "contact_phone", "contact_email", "region"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5}), "deadline": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        model_choice(self.fields["enterprise"]).queryset = _organisations(user, [OrganisationKind.ENTERPRISE])
        if user is not None and user.organisation_id and not self.instance.pk:
            self.initial.setdefault("enterprise", user.organisation_id)

    def clean(self):
        cleaned = super().clean() or self.cleaned_data  # (typed optional: a clean() may return None)
        low, high = cleaned.get("budget_min"), cleaned.get("budget_max")
        if low is not None and high is not None and low > high:
            self.add_error("budget_max", "预算上限不能低于下限")
        self.default_region(cleaned.get("enterprise"))
        return cleaned


def in_yuan(form_class: type[RegistryForm]) -> type[RegistryForm]:
    """``form_class`` taking money in 元 (what the import templates and the API use)."""
    return type(f"{form_class.__name__}InYuan", (form_class,), {"money_unit": "元", "__module__": __name__})


class ExpertForm(RegistryForm):
    class Meta:
        model = Expert
        fields = ["name", "organisation", "title", "tech_fields", "keywords", "biography", "region", "available",
                  "max_load", "avoid_organisations", "phone", "email", "id_number"]
        widgets = {"biography": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        model_choice(self.fields["organisation"]).queryset = _organisations(user)
        self.fields["avoid_organisations"].required = False
        if user is not None and self.instance.pk and not is_staff_of(user, self.instance):
            self.fields["organisation"].disabled = True
            self.fields["region"].disabled = True

    def clean_tech_fields(self) -> str:
        from kechuang.market.text import split_list

        codes = split_list(self.cleaned_data.get("tech_fields", ""))
        known = set(TechField.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise forms.ValidationError(f"未知的技术领域代码：{'、'.join(unknown)}")
        return join_list(codes)

    def clean(self):
        cleaned = super().clean() or self.cleaned_data  # (typed optional: a clean() may return None)
        self.default_region(cleaned.get("organisation"))
        return cleaned
