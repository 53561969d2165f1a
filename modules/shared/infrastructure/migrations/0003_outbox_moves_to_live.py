# The outbox's tables now belong to the live app; only Django's state moves, the
# tables stay where they are (db_table keeps their names).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('shared', '0002_outbox'),
        ('live', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.RemoveField(
            model_name='outboxevent',
            name='tenant',
        ),
        migrations.DeleteModel(
            name='EventStream',
        ),
        migrations.DeleteModel(
            name='OutboxEvent',
        ),
        ]),
    ]
