"""The "best" sort: weighted counts and scores on each post, weights on each reader, the
typical rate on each product. Adding the post's columns rebuilds board_post on SQLite, which
drops the search triggers (see 0004): they are re-created at the end."""

from django.conf import settings
from django.db import migrations, models

from orangefriday.board.search_index import V2, recreate


class Migration(migrations.Migration):

    dependencies = [
        ('board', '0009_revisions'),
        ('releases', '0003_bugs_per_build'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='post',
            name='best_score',
            field=models.FloatField(default=0.05),
        ),
        migrations.AddField(
            model_name='post',
            name='burst_until',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='post',
            name='explore_priority',
            field=models.FloatField(default=0.16847404677220046),
        ),
        migrations.AddField(
            model_name='post',
            name='weighted_readers',
            field=models.FloatField(default=0.0),
        ),
        migrations.AddField(
            model_name='post',
            name='weighted_votes',
            field=models.FloatField(default=0.0),
        ),
        migrations.AddField(
            model_name='postreader',
            name='trust_level',
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AddField(
            model_name='postreader',
            name='weight',
            field=models.FloatField(default=1.0),
        ),
        migrations.AddField(
            model_name='product',
            name='typical_fitted_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='product',
            name='typical_rate',
            field=models.FloatField(default=0.05),
        ),
        migrations.AddField(
            model_name='product',
            name='typical_strength',
            field=models.FloatField(default=12.0),
        ),
        migrations.AlterField(
            model_name='product',
            name='planning_sort',
            field=models.CharField(choices=[('best', 'Best'), ('top', 'Top'), ('hot', 'Hot'), ('trending', 'Trending')], default='best', max_length=16),
        ),
        migrations.AddIndex(
            model_name='post',
            index=models.Index(fields=['product', '-best_score'], name='post_product_best'),
        ),
        migrations.AddIndex(
            model_name='post',
            index=models.Index(fields=['product', '-explore_priority'], name='post_product_explore'),
        ),
        migrations.AddIndex(
            model_name='post',
            index=models.Index(fields=['-best_score'], name='post_best'),
        ),
        migrations.AddIndex(
            model_name='post',
            index=models.Index(fields=['-explore_priority'], name='post_explore'),
        ),
        migrations.RunPython(recreate(V2), migrations.RunPython.noop),
    ]
