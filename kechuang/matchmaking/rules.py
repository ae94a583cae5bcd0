"""Object permissions of the matchmaking records (loaded by rules' autodiscovery)."""

from kechuang.common.permissions import register_scoped_model
from kechuang.matchmaking.models import MatchRecord

register_scoped_model(MatchRecord)
