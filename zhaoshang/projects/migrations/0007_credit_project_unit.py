from django.db import migrations, models
from django.db.models import F, Q

# The project's unit on each share, in one statement that both databases run.
FILL = """
UPDATE projects_creditshare SET project_unit_id = (
    SELECT unit_id FROM projects_project WHERE projects_project.id = projects_creditshare.project_id
)
"""


class Migration(migrations.Migration):
    """``CreditShare.project_unit`` replaces ``own_unit``: own is ``unit == project_unit``, and the
    scope of a subtree skips the shares of projects recorded inside it as well."""

    dependencies = [
        ("projects", "0006_credit_own_unit"),
        ("units", "0002_unit_depth_path"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="creditshare", name="credit_other_units"),
        migrations.RemoveField(model_name="creditshare", name="own_unit"),
        migrations.AddField(
            model_name="creditshare",
            name="project_unit",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="units.unit",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="creditshare",
            name="project_unit",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="units.unit",
            ),
        ),
        migrations.AddIndex(
            model_name="creditshare",
            index=models.Index(
                condition=~Q(unit=F("project_unit")),
                fields=["unit", "project_unit", "project"],
                name="credit_other_units",
            ),
        ),
    ]
