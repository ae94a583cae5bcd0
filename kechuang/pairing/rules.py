"""Object permissions of pairing campaigns (loaded by rules' autodiscovery)."""

from kechuang.common.permissions import register_scoped_model
from kechuang.pairing.models import Pairing, PairingCampaign, PairScore, ServiceVisit

for model in (PairingCampaign, Pairing, PairScore, ServiceVisit):
    register_scoped_model(model)
