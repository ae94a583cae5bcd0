"""Object permissions of R&D reporting records (loaded by rules' autodiscovery)."""

from kechuang.common.permissions import register_scoped_model
from kechuang.rdreport.models import (
    CommentReply,
    RdPlan,
    RdReport,
    RegionalGdp,
    ReportingDeadline,
    ReviewComment,
)

for model in (RdReport, ReviewComment, CommentReply, RdPlan, RegionalGdp, ReportingDeadline):
    register_scoped_model(model)
