"""Name keys are folded to Simplified by OpenCC (core.chinese) instead of zhconv: the two disagree on
a few characters, so every stored key is recomputed to match what duplicate detection now computes."""

from django.db import migrations


def recompute(apps, schema_editor):
    from zhaoshang.investors.names import name_key

    Investor = apps.get_model("investors", "Investor")
    changed = []
    for investor in Investor.objects.only("pk", "name", "name_key").iterator(chunk_size=2000):
        key = name_key(investor.name)
        if key != investor.name_key:
            investor.name_key = key
            changed.append(investor)
    Investor.objects.bulk_update(changed, ["name_key"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("investors", "0004_typed_dates_in_bounds")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
