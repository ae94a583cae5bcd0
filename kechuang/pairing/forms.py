from __future__ import annotations

from django import forms

from kechuang.core.choices import OrganisationKind
from kechuang.core.models import Organisation, Region
from kechuang.market.choices import ExpertStatus
from kechuang.market.models import Expert
from kechuang.pairing.models import PairingCampaign


class CampaignForm(forms.ModelForm):
    """A campaign over the user's region: its enterprises, and published experts who take enterprises."""

    class Meta:
        model = PairingCampaign
        fields = ["name", "region", "experts_per_enterprise", "max_per_expert", "same_county_conflict", "fair",
                  "enterprises", "experts"]
        widgets = {"enterprises": forms.SelectMultiple(attrs={"size": 12}),
                   "experts": forms.SelectMultiple(attrs={"size": 12})}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.assignable_by(user).exclude(level="province")
        self.fields["region"].label_from_instance = lambda r: r.full_name
        self.fields["enterprises"].queryset = Organisation.objects.visible_to(user).filter(
            kind=OrganisationKind.ENTERPRISE)
        self.fields["experts"].queryset = Expert.objects.filter(status=ExpertStatus.PUBLISHED, available=True) \
            .select_related("organisation")
        self.fields["experts"].label_from_instance = lambda e: f"{e.name}（{e.organisation or '—'}，上限 {e.max_load}）"
        self.fields["experts_per_enterprise"].min_value = 1


class SwapForm(forms.Form):
    expert = forms.ModelChoiceField(queryset=Expert.objects.none(), label="改派专家")

    def __init__(self, *args, campaign: PairingCampaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = campaign.experts.all()
