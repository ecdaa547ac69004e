from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_total_year_rows"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="fundsarrival",
            index=models.Index(fields=["status", "arrived_on", "id"], name="funds_queue"),
        ),
    ]
