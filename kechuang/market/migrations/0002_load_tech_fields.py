"""Load the national list of high-tech fields (国科发火〔2016〕32号, annex) from market/data/tech_fields.csv."""

from django.db import migrations


def load(apps, schema_editor):
    from kechuang.market.tech_fields import load_tech_fields

    load_tech_fields(apps.get_model("market", "TechField"))


class Migration(migrations.Migration):
    dependencies = [("market", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
