from django.db import migrations, models

# The round's dispatch day on each report, in one statement that both databases run.
FILL = """
UPDATE dispatch_report SET due_on = (
    SELECT due_on FROM dispatch_round WHERE dispatch_round.id = dispatch_report.round_id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="due_on",
            field=models.DateField(editable=False, null=True, verbose_name="dispatch day (cut-off)"),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="report",
            name="due_on",
            field=models.DateField(editable=False, verbose_name="dispatch day (cut-off)"),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["status", "due_on", "submitted_at", "id"], name="report_queue"),
        ),
    ]
