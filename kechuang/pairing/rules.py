"""Object permissions of pairing campaigns (loaded by rules' autodiscovery)."""

from kechuang.common.permissions import register_scoped_model
from kechuang.pairing.models import Pairing, PairingCampaign

register_scoped_model(PairingCampaign)
register_scoped_model(Pairing)
