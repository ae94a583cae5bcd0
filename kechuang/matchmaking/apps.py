from django.apps import AppConfig


class MatchmakingConfig(AppConfig):
    name = "kechuang.matchmaking"
    label = "matchmaking"
    verbose_name = "供需对接"
