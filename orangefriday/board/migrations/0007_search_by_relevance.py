"""Search ranked by relevance: the title and the body become two search columns (the title
weighs more) and both engines stem English words (board.search_index, V2).

The old index goes first, so that filling the new columns fires no trigger, and the new one
is built once at the end over the filled columns.
"""

from django.db import migrations, models

from orangefriday.board.search_index import V1, V2, create, drop
from orangefriday.core.text import searchable_text

BATCH = 2000


def _fill(apps, fields, values):
    Post = apps.get_model("board", "Post")
    batch = []
    for post in Post.objects.only("id", "title", "body").order_by("pk").iterator(BATCH):
        for field, value in zip(fields, values(post), strict=True):
            setattr(post, field, value)
        batch.append(post)
        if len(batch) == BATCH:
            Post.objects.bulk_update(batch, fields)
            batch = []
    Post.objects.bulk_update(batch, fields)


def fill_search_columns(apps, schema_editor):
    _fill(
        apps,
        ["search_title", "search_body"],
        lambda post: [searchable_text(post.title), searchable_text(post.body)],
    )


def fill_search_document(apps, schema_editor):
    _fill(
        apps,
        ["search_document"],
        lambda post: [searchable_text(f"{post.title} {post.body}")],
    )


class Migration(migrations.Migration):
    dependencies = [("board", "0006_pinned_posts_index")]

    operations = [
        migrations.RunPython(drop(V1), create(V1)),
        migrations.AddField(
            model_name="post",
            name="search_title",
            field=models.TextField(blank=True, editable=False, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="post",
            name="search_body",
            field=models.TextField(blank=True, editable=False, default=""),
            preserve_default=False,
        ),
        migrations.RunPython(fill_search_columns, fill_search_document),
        migrations.RemoveField(model_name="post", name="search_document"),
        migrations.RunPython(create(V2), drop(V2)),
    ]
