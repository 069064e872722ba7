"""The raw SQL of a sale: taking one unit is one statement, the same the benchmark gives
pgbench (orangefriday/bench/pgbench_take_unit.sql). Plain SQL both databases run
(SQLite 3.35+ has RETURNING)."""

from django.db import connection

from .models import Allocation

# The share an F-code takes from is another column of the same row.
_TAKE = """
UPDATE {table} SET {column} = {column} - 1
WHERE sale_round_id = %s AND edition_id = %s AND {column} > 0
RETURNING id
"""
_GIVE_BACK = "UPDATE {table} SET {column} = {column} + 1 WHERE id = %s"


def _statement(template: str, *, fcode: bool) -> str:
    return template.format(
        table=connection.ops.quote_name(Allocation._meta.db_table),
        column="fcode_units_left" if fcode else "units_left",
    )


def take_unit(*, round_id: int, edition_id: int, fcode: bool) -> int | None:
    """Take one unit of the edition in the round (from the F-code share with `fcode`); the
    allocation's id, or None when none is left. The row stays locked until commit."""
    with connection.cursor() as cursor:
        cursor.execute(_statement(_TAKE, fcode=fcode), [round_id, edition_id])
        row = cursor.fetchone()
    return row[0] if row else None


def give_back_unit(*, allocation_id: int, fcode: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_statement(_GIVE_BACK, fcode=fcode), [allocation_id])
