"""Object permissions of cultivation records (loaded by rules' autodiscovery)."""

from kechuang.common.permissions import register_scoped_model
from kechuang.cultivation.models import (
    AnnualFigures,
    Award,
    CultivatedEnterprise,
    CultivationProfile,
    Evaluation,
    Incident,
    IntellectualProperty,
    RecognisedRdInstitution,
    StandardDrafted,
)

for model in (CultivatedEnterprise, CultivationProfile, AnnualFigures, IntellectualProperty, StandardDrafted, Award,
              RecognisedRdInstitution, Incident, Evaluation):
    register_scoped_model(model)
