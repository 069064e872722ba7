"""Bugs per build: a bug's build, its log, and the rollout guard's limit. Adding the foreign
key rebuilds board_post on SQLite, which drops the FTS5 triggers: re-create them (see 0004)."""

import django.db.models.deletion
import orangefriday.board.logs
from django.conf import settings
from django.db import migrations, models

from orangefriday.board.search_index import V1, recreate


class Migration(migrations.Migration):

    dependencies = [
        ('board', '0004_search_triggers_again'),
        ('releases', '0002_installation'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='post',
            name='found_in_build',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='bug_reports', to='releases.build'),
        ),
        migrations.AddField(
            model_name='post',
            name='log',
            field=models.FileField(blank=True, storage=orangefriday.board.logs.LogStorage(), upload_to=orangefriday.board.logs.log_path),
        ),
        migrations.AddField(
            model_name='post',
            name='log_name',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='post',
            name='log_size',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='product',
            name='rollout_guard_per_1000',
            field=models.PositiveIntegerField(default=20, help_text='Bug reports in 24 hours per 1,000 fans running a stable build above which its staged rollout halts by itself and the engineers are told.'),
        ),
        migrations.AddIndex(
            model_name='post',
            index=models.Index(fields=['found_in_build', 'created_at'], name='post_build_reports'),
        ),
        migrations.RunPython(recreate(V1), migrations.RunPython.noop),
    ]
