"""SQLite rebuilds board_post when 0003 adds a foreign key, and the rebuild drops the FTS5
triggers of 0002 with the old table. Re-create them (and re-index). Any later migration that
rebuilds board_post on SQLite needs the same step; the search tests catch a missing one."""

from django.db import migrations

from orangefriday.board.search_index import V1, recreate


class Migration(migrations.Migration):
    dependencies = [("board", "0003_weekly_loop")]

    operations = [migrations.RunPython(recreate(V1), migrations.RunPython.noop)]
