# State only: the tables were created by shared.0002_outbox and keep their names.

import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
import uuid
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('identity', '0003_email_notification_kinds'),
        ('shared', '0002_outbox'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.CreateModel(
            name='EventStream',
            fields=[
                ('tenant', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='identity.tenant')),
                ('last_sequence', models.BigIntegerField(default=0)),
            ],
            options={
                'db_table': 'shared_eventstream',
            },
        ),
        migrations.CreateModel(
            name='OutboxEvent',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('sequence', models.BigIntegerField(verbose_name='sequence')),
                ('type', models.CharField(max_length=64, verbose_name='type')),
                ('occurred_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='occurred at')),
                ('correlation_id', models.CharField(blank=True, max_length=128, verbose_name='correlation id')),
                ('data', models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder, verbose_name='data')),
                ('status', models.CharField(choices=[('pending', 'pending'), ('published', 'published'), ('dead', 'dead letter')], default='pending', max_length=12, verbose_name='status')),
                ('attempts', models.PositiveIntegerField(default=0, verbose_name='attempts')),
                ('last_error', models.TextField(blank=True, verbose_name='last error')),
                ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='next attempt')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published')),
                ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='identity.tenant')),
            ],
            options={
                'verbose_name': 'outbox event',
                'verbose_name_plural': 'outbox events',
                'db_table': 'shared_outboxevent',
                'ordering': ('tenant', 'sequence'),
                'indexes': [models.Index(condition=models.Q(('status', 'pending')), fields=['status', 'next_attempt_at'], name='outbox_due')],
                'constraints': [models.UniqueConstraint(fields=('tenant', 'sequence'), name='outbox_tenant_sequence')],
            },
        ),
        ]),
    ]
