from django.apps import AppConfig


class PairingConfig(AppConfig):
    name = "kechuang.pairing"
    label = "pairing"
    verbose_name = "科技博士进企业"
