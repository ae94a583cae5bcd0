"""Object permissions of the registries (loaded by rules' autodiscovery)."""

from kechuang.common.permissions import register_scoped_model
from kechuang.market.models import Achievement, Demand, Expert

for model in (Achievement, Demand, Expert):
    register_scoped_model(model)
