"""Forms of the core app: the one validator behind pages, API and imports."""

from __future__ import annotations

import unicodedata

from django import forms

from kechuang.common.access import ADD, role_allows
from kechuang.common.forms import label_choices, model_choice
from kechuang.common.uscc import normalise
from kechuang.core.choices import RegionLevel, Role
from kechuang.core.models import Contact, Organisation, Region
from kechuang.core.validators import validate_industry_code, validate_uscc


class OrganisationForm(forms.ModelForm):
    """Create or change an organisation.

    The region choices are the user's own region subtree; an enterprise user keeps its region fixed.
    The credit code is normalised (spaces, full-width, case) before it is checked.
    """

    website = forms.URLField(label="网站", required=False, assume_scheme="https",
                             error_messages={"invalid": "请输入有效的网址"})
    # Wider than 18 so that a pasted code with spaces or full-width characters reaches normalisation.
    industry_code = forms.CharField(label="国民经济行业分类代码", required=False, max_length=20,
                                    help_text="GB/T 4754-2017，如 C2614")
    uscc = forms.CharField(label="统一社会信用代码", required=False, max_length=40,
                           widget=forms.TextInput(attrs={"maxlength": 40, "autocomplete": "off"}))

    class Meta:
        model = Organisation
        fields = ["name", "kind", "uscc", "industry_code", "region", "address", "legal_representative",
                  "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "name": {"max_length": "名称不能超过 %(limit_value)d 个字（当前 %(show_value)d 个）",
                     "required": "请填写名称"},
            "region": {"required": "请选择所在区域", "invalid_choice": "所选区域不存在或不在您的管辖范围内"},
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        regions = Region.objects.assignable_by(user).exclude(level=RegionLevel.PROVINCE)
        if self.instance.pk and self.instance.region_id:
            regions = regions | Region.objects.filter(pk=self.instance.region_id)
        model_choice(self.fields["region"]).queryset = regions.distinct()
        label_choices(self.fields["region"], lambda r: r.full_name)
        if user.role == Role.ENTERPRISE_USER and not user.is_superuser:
            for name in ("region", "kind", "uscc"):
                self.fields[name].disabled = True

    def clean_uscc(self) -> str | None:
        """Normalise, then check with the GB 32100-2015 messages (length, characters, check character)."""
        value = normalise(self.cleaned_data.get("uscc") or "")
        if not value:
            return None
        validate_uscc(value)
        return value

    def clean_industry_code(self) -> str:
        value = unicodedata.normalize("NFKC", self.cleaned_data.get("industry_code") or "").strip().upper()
        if value:
            validate_industry_code(value)
        return value


ContactFormSet = forms.inlineformset_factory(
    Organisation, Contact, fields=["name", "position", "phone", "email"], extra=1, can_delete=True,
)


def can_add_organisation(user) -> bool:
    """Whether the user's role may register organisations at all."""
    return role_allows(user, Organisation, ADD)
