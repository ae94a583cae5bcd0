from django.apps import AppConfig


class RdReportConfig(AppConfig):
    name = "kechuang.rdreport"
    label = "rdreport"
    verbose_name = "研发投入"
