from django.db import models


class MatchStatus(models.TextChoices):
    RECOMMENDED = "recommended", "已推荐"
    CONTACTED = "contacted", "已联系"
    NEGOTIATING = "negotiating", "洽谈中"
    SIGNED = "signed", "已签约"
    DROPPED = "dropped", "已终止"


FUNNEL = (MatchStatus.RECOMMENDED, MatchStatus.CONTACTED, MatchStatus.NEGOTIATING, MatchStatus.SIGNED)
