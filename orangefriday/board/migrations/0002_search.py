"""The full-text index, one per engine (see board.search and board.search_index)."""

from django.db import migrations

from orangefriday.board.search_index import drop_search_index, recreate_search_index


class Migration(migrations.Migration):
    dependencies = [("board", "0001_initial")]

    operations = [migrations.RunPython(recreate_search_index, drop_search_index)]
