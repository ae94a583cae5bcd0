"""Evaluations keep why an enterprise can never qualify for HNTE (``hnte_blocked``); stored evaluations are
filled from their result JSON, and those blocked leave the near-high-tech pool (issue 11, item 18)."""

from django.db import migrations, models


def blocked_from_results(apps, schema_editor):
    """The rule of ``services.blocking_conditions`` applied to the stored result JSON."""
    Evaluation = apps.get_model("cultivation", "Evaluation")
    for evaluation in Evaluation.objects.filter(hnte_verdict="FAIL").only("pk", "result").iterator(chunk_size=500):
        conditions = evaluation.result.get("tiers", {}).get("HNTE", {}).get("conditions", [])
        messages = [c.get("message_zh", "") for c in conditions
                    if c.get("verdict") == "FAIL" and c.get("remedy")
                    and not c["remedy"].get("actionable", True) and not c["remedy"].get("until")]
        if messages:
            Evaluation.objects.filter(pk=evaluation.pk).update(hnte_blocked="；".join(messages)[:200], near_hnte=False)


class Migration(migrations.Migration):

    dependencies = [
        ('cultivation', '0002_bounds'),
    ]

    operations = [
        migrations.AddField(
            model_name='evaluation',
            name='hnte_blocked',
            field=models.CharField(blank=True, help_text='不因投入或等待而改变的不符合项（如非境内注册的居民企业）；有值时不列入高企后备', max_length=200, verbose_name='不能申报高企的原因'),
        ),
        migrations.RunPython(blocked_from_results, migrations.RunPython.noop),
    ]
