from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "kechuang.common"
    label = "common"
    verbose_name = "公共组件"
