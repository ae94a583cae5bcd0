"""Reload the reference city's region file, which now marks the neighbouring cooperation zone."""

from django.db import migrations


def load(apps, schema_editor):
    from kechuang.core.regions import DAZHOU_CSV, load_regions

    load_regions(apps.get_model("core", "Region"), DAZHOU_CSV)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_region_neighbour")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
