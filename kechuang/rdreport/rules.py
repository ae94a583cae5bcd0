"""Object permissions of R&D reporting records (loaded by rules' autodiscovery)."""

from kechuang.common.permissions import register_scoped_model
from kechuang.rdreport.models import RdPlan, RdReport, RegionalGdp, ReportingDeadline, ReviewComment

for model in (RdReport, ReviewComment, RdPlan, RegionalGdp, ReportingDeadline):
    register_scoped_model(model)
