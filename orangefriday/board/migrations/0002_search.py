"""The full-text index, one per engine (see board.search and board.search_index)."""

from django.db import migrations

from orangefriday.board.search_index import V1, create, drop


class Migration(migrations.Migration):
    dependencies = [("board", "0001_initial")]

    operations = [migrations.RunPython(create(V1), drop(V1))]
