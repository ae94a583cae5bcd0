"""Object permissions of cultivation records (loaded by rules' autodiscovery)."""

from kechuang.common.permissions import register_scoped_model
from kechuang.cultivation.models import (
    AnnualFigures,
    Award,
    CultivatedEnterprise,
    CultivationProfile,
    Evaluation,
    EvaluationRun,
    Incident,
    IntellectualProperty,
    RecognisedRdInstitution,
    StandardDrafted,
)

for model in (CultivatedEnterprise, CultivationProfile, AnnualFigures, IntellectualProperty, StandardDrafted, Award,
              RecognisedRdInstitution, Incident, Evaluation, EvaluationRun):
    register_scoped_model(model)
