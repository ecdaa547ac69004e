"""Request becomes CoordinationRequest, a name no one reads as an HTTP request.

The model keeps its table (Meta.db_table = "coordination_request"), so the database already is what
the new state describes: the table, its indexes (named after the table), its constraint and the
foreign key of coordination_activity all stay as they are. The rename therefore changes Django's
state only (a plain RenameModel would rebuild coordination_activity on SQLite and drop and re-add its
foreign key on PostgreSQL); the one row it updates is the model's content type, as Django does for a
RenameModel, so that the content type and its permissions follow the model instead of going stale.
"""

from django.contrib.contenttypes.management import RenameContentType
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("coordination", "0002_typed_dates_in_bounds"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterModelTable(name="request", table="coordination_request"),
                migrations.RenameModel(old_name="Request", new_name="CoordinationRequest"),
            ],
            database_operations=[],
        ),
        RenameContentType("coordination", "request", "coordinationrequest"),
    ]
