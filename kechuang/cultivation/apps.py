from django.apps import AppConfig


class CultivationConfig(AppConfig):
    name = "kechuang.cultivation"
    label = "cultivation"
    verbose_name = "梯度培育"
