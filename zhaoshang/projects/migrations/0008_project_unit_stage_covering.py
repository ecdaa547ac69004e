from django.db import migrations, models


class Migration(migrations.Migration):
    """The (unit, stage) index holds the columns a list is counted and sorted by: built before the
    old one goes, so that no query is left without it."""

    dependencies = [
        ("projects", "0007_credit_project_unit"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                fields=["unit", "stage", "id", "total_investment", "contracted_amount", "signed_on"],
                name="project_unit_stage",
            ),
        ),
        migrations.RemoveIndex(model_name="project", name="projects_pr_unit_id_b0dd38_idx"),
    ]
