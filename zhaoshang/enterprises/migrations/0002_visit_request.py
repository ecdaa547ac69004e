from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0003_rename_request_coordinationrequest"),
        ("enterprises", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="visit",
            name="request",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="enterprise_visit",
                to="coordination.coordinationrequest",
                verbose_name="request for coordination",
            ),
        ),
    ]
