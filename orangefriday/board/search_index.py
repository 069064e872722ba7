"""The full-text index DDL (see board.search), one version per migration that changed it.

A migration names the version it creates, so that it keeps doing what it did when it was
written: V1 for 0002 to 0006, V2 from 0007 on. SQLite rebuilds a table when a migration
changes it in ways ALTER TABLE cannot, and the rebuild drops the FTS5 triggers with the
old table: such a migration must end with `recreate(CURRENT)` (the search tests catch a
missing one).
"""

from collections.abc import Callable
from typing import Any

Statements = dict[str, tuple[list[str], list[str]]]  # vendor: (forward, backward)

# V1: one column, search_document (title and body), no stemming.
V1: Statements = {
    "sqlite": (
        [
            "CREATE VIRTUAL TABLE board_post_fts USING fts5("
            " search_document, content='board_post', content_rowid='id',"
            " tokenize='unicode61 remove_diacritics 2')",
            "CREATE TRIGGER board_post_fts_insert AFTER INSERT ON board_post BEGIN"
            " INSERT INTO board_post_fts(rowid, search_document)"
            " VALUES (new.id, new.search_document);"
            " END",
            "CREATE TRIGGER board_post_fts_delete AFTER DELETE ON board_post BEGIN"
            " INSERT INTO board_post_fts(board_post_fts, rowid, search_document)"
            " VALUES ('delete', old.id, old.search_document);"
            " END",
            "CREATE TRIGGER board_post_fts_update AFTER UPDATE OF search_document ON board_post"
            " BEGIN"
            " INSERT INTO board_post_fts(board_post_fts, rowid, search_document)"
            " VALUES ('delete', old.id, old.search_document);"
            " INSERT INTO board_post_fts(rowid, search_document)"
            " VALUES (new.id, new.search_document);"
            " END",
            "INSERT INTO board_post_fts(board_post_fts) VALUES ('rebuild')",
        ],
        [
            "DROP TRIGGER IF EXISTS board_post_fts_update",
            "DROP TRIGGER IF EXISTS board_post_fts_delete",
            "DROP TRIGGER IF EXISTS board_post_fts_insert",
            "DROP TABLE IF EXISTS board_post_fts",
        ],
    ),
    "postgresql": (
        [
            "CREATE INDEX board_post_search ON board_post"
            " USING gin (to_tsvector('simple'::regconfig, search_document))",
        ],
        ["DROP INDEX IF EXISTS board_post_search"],
    ),
}

# V2: the title and the body as two columns (the title weighs more), English stems.
# SQLite: FTS5's porter tokenizer. PostgreSQL: a copy of the `english` configuration
# without its stop words, so that both engines find the same posts ("the" is a word there
# too), and a stored tsvector (title weight A, body D) that the GIN index covers and
# ts_rank_cd reads without parsing the text again.
V2: Statements = {
    "sqlite": (
        [
            "CREATE VIRTUAL TABLE board_post_fts USING fts5("
            " search_title, search_body, content='board_post', content_rowid='id',"
            " tokenize='porter unicode61 remove_diacritics 2')",
            "CREATE TRIGGER board_post_fts_insert AFTER INSERT ON board_post BEGIN"
            " INSERT INTO board_post_fts(rowid, search_title, search_body)"
            " VALUES (new.id, new.search_title, new.search_body);"
            " END",
            "CREATE TRIGGER board_post_fts_delete AFTER DELETE ON board_post BEGIN"
            " INSERT INTO board_post_fts(board_post_fts, rowid, search_title, search_body)"
            " VALUES ('delete', old.id, old.search_title, old.search_body);"
            " END",
            "CREATE TRIGGER board_post_fts_update"
            " AFTER UPDATE OF search_title, search_body ON board_post BEGIN"
            " INSERT INTO board_post_fts(board_post_fts, rowid, search_title, search_body)"
            " VALUES ('delete', old.id, old.search_title, old.search_body);"
            " INSERT INTO board_post_fts(rowid, search_title, search_body)"
            " VALUES (new.id, new.search_title, new.search_body);"
            " END",
            "INSERT INTO board_post_fts(board_post_fts) VALUES ('rebuild')",
        ],
        V1["sqlite"][1],
    ),
    "postgresql": (
        [
            "CREATE TEXT SEARCH DICTIONARY orangefriday_english_stem"
            " (TEMPLATE = snowball, LANGUAGE = english)",
            "CREATE TEXT SEARCH CONFIGURATION orangefriday_english (COPY = pg_catalog.english)",
            "ALTER TEXT SEARCH CONFIGURATION orangefriday_english ALTER MAPPING FOR"
            " asciiword, asciihword, hword_asciipart, word, hword, hword_part"
            " WITH orangefriday_english_stem",
            "ALTER TABLE board_post ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
            " setweight(to_tsvector('orangefriday_english'::regconfig, search_title), 'A')"
            " || setweight(to_tsvector('orangefriday_english'::regconfig, search_body), 'D')"
            ") STORED",
            "CREATE INDEX board_post_search ON board_post USING gin (search_vector)",
        ],
        [
            "DROP INDEX IF EXISTS board_post_search",
            "ALTER TABLE board_post DROP COLUMN IF EXISTS search_vector",
            "DROP TEXT SEARCH CONFIGURATION IF EXISTS orangefriday_english",
            "DROP TEXT SEARCH DICTIONARY IF EXISTS orangefriday_english_stem",
        ],
    ),
}

CURRENT = V2

MigrationStep = Callable[[Any, Any], None]


def _run(version: Statements, direction: int) -> MigrationStep:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in version.get(schema_editor.connection.vendor, ([], []))[direction]:
            schema_editor.execute(statement)

    return run


def create(version: Statements) -> MigrationStep:
    return _run(version, 0)


def drop(version: Statements) -> MigrationStep:
    return _run(version, 1)


def recreate(version: Statements) -> MigrationStep:
    """SQLite: the FTS5 table and its triggers afresh, re-indexed (after a table rebuild)."""

    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "sqlite":
            drop(version)(apps, schema_editor)
            create(version)(apps, schema_editor)

    return run
