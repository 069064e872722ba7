"""The full-text index DDL (see board.search), run by the migrations that (re)create it."""

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE board_post_fts USING fts5("
    " search_document, content='board_post', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER board_post_fts_insert AFTER INSERT ON board_post BEGIN"
    " INSERT INTO board_post_fts(rowid, search_document) VALUES (new.id, new.search_document);"
    " END",
    "CREATE TRIGGER board_post_fts_delete AFTER DELETE ON board_post BEGIN"
    " INSERT INTO board_post_fts(board_post_fts, rowid, search_document)"
    " VALUES ('delete', old.id, old.search_document);"
    " END",
    "CREATE TRIGGER board_post_fts_update AFTER UPDATE OF search_document ON board_post BEGIN"
    " INSERT INTO board_post_fts(board_post_fts, rowid, search_document)"
    " VALUES ('delete', old.id, old.search_document);"
    " INSERT INTO board_post_fts(rowid, search_document) VALUES (new.id, new.search_document);"
    " END",
    "INSERT INTO board_post_fts(board_post_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS board_post_fts_update",
    "DROP TRIGGER IF EXISTS board_post_fts_delete",
    "DROP TRIGGER IF EXISTS board_post_fts_insert",
    "DROP TABLE IF EXISTS board_post_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX board_post_search ON board_post"
    " USING gin (to_tsvector('simple'::regconfig, search_document))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS board_post_search"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def recreate_search_index(apps, schema_editor):
    """Drop and create the engine's index afresh (SQLite: the FTS5 table and its triggers)."""
    drop_search_index(apps, schema_editor)
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(vendor, []):
        schema_editor.execute(statement)


def drop_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(vendor, []):
        schema_editor.execute(statement)
