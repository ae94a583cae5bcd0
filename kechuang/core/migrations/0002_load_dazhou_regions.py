"""Load the reference city's region tree (Dazhou, 511700) from core/data/regions_dazhou.csv."""

from django.db import migrations


def load(apps, schema_editor):
    from kechuang.core.regions import DAZHOU_CSV, load_regions

    load_regions(apps.get_model("core", "Region"), DAZHOU_CSV)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
