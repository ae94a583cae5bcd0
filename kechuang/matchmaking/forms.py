"""Forms of matchmaking: turning a shown match into a record, and a record's step with its comment."""

from __future__ import annotations

from django import forms

from kechuang.market.models import Demand
from kechuang.matchmaking.collections import COLLECTIONS, DIRECTIONS

#: The longest step comment kept (a drop's reason is stored in ``MatchRecord.drop_reason``, 500 characters).
COMMENT_MAX = 500


class RecommendForm(forms.Form):
    """A match of a demand shown on a page (the matches panel's hidden fields): the demand and the
    counterpart's collection and id. The score and explanation are recomputed by the matching service
    (``services.recommend``), never taken from the form."""

    demand = forms.IntegerField(label="技术需求", min_value=1)
    collection = forms.ChoiceField(label="对接对象类别",
                                   choices=[(c, COLLECTIONS[c].label) for c in DIRECTIONS[Demand]])
    target = forms.IntegerField(label="对接对象", min_value=1)


class TransitionForm(forms.Form):
    """The comment of a record's step (a drop needs it as its reason: checked by the service)."""

    comment = forms.CharField(label="说明", required=False, max_length=COMMENT_MAX)
