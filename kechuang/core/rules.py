"""Object permissions of the core app (loaded by rules' autodiscovery)."""

from kechuang.common.permissions import register_scoped_model
from kechuang.core.models import Contact, Organisation

register_scoped_model(Organisation)
register_scoped_model(Contact)
