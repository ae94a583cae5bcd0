from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone

from kechuang.common.forms import label_choices, model_choice
from kechuang.core.choices import RegionLevel
from kechuang.core.models import Region
from kechuang.market.models import Expert
from kechuang.pairing.models import PairingCampaign, ServiceVisit


class CampaignForm(forms.ModelForm):
    """A campaign's name, region and rules; its participants are chosen next, on the participants page
    (search, filters, whole pools, uploaded lists)."""

    class Meta:
        model = PairingCampaign
        fields = ["name", "region", "experts_per_enterprise", "max_per_expert", "same_county_conflict", "fair"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self.fields["region"]).queryset = Region.objects.assignable_by(user).exclude(level=RegionLevel.PROVINCE)
        label_choices(self.fields["region"], lambda r: r.full_name)
        cast(forms.IntegerField, self.fields["experts_per_enterprise"]).min_value = 1


class ListUploadForm(forms.Form):
    """An xlsx or csv list of participants."""

    file = forms.FileField(label="名单文件（xlsx 或 csv）", error_messages={"required": "请选择名单文件"})
    valid_only = forms.BooleanField(label="只加入能识别的行", required=False)


class SwapForm(forms.Form):
    """The expert chosen for a hand change (改派), one of the campaign's experts."""

    expert = forms.ModelChoiceField(queryset=Expert.objects.none(), label="改派专家",
                                    error_messages={"required": "请选择改派的专家"})

    def __init__(self, *args, campaign: PairingCampaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self.fields["expert"]).queryset = campaign.experts.all()


class PublishForm(forms.Form):
    """Publishing is confirmed explicitly: the two sides then see each other's contact details."""

    confirm = forms.BooleanField(label="我已核对结对方案，确认发布", required=True,
                                 error_messages={"required": "请勾选确认后再发布"})


class WithdrawForm(forms.Form):
    """Withdrawing a published campaign needs a reason, kept in its history."""

    reason = forms.CharField(label="撤回理由", max_length=80, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写撤回理由"},
                             help_text="记入活动变更记录（仅科技部门人员可见），不超过 80 字")


class RespondForm(forms.Form):
    """One side's answer to its pair: confirm, or decline with a reason."""

    decision = forms.ChoiceField(label="答复", choices=[("confirm", "确认结对"), ("decline", "婉拒")],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label="婉拒理由", max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict:
        data = super().clean() or self.cleaned_data  # (typed optional: a clean() may return None)
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", "婉拒须填写理由")
        return data


class ServiceVisitForm(forms.ModelForm):
    """A service visit: date, place, the enterprise's problem, the result."""

    class Meta:
        model = ServiceVisit
        fields = ["visit_date", "place", "problem", "result"]
        widgets = {"visit_date": forms.DateInput(attrs={"type": "date"}),
                   "problem": forms.Textarea(attrs={"rows": 2}), "result": forms.Textarea(attrs={"rows": 2})}

    def clean_visit_date(self):
        value = self.cleaned_data["visit_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("服务日期不能晚于今天")
        return value
