"""Full-text search over post titles and bodies.

One index per engine, both over `Post.search_document` (CJK characters spaced apart):
SQLite uses an FTS5 table kept in sync by triggers, PostgreSQL a GIN index over
to_tsvector('simple', search_document). Both are created by migration 0002_search.
"""

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from orangefriday.core.text import search_terms

from .models import Post

# Words that make every post "similar" to every other.
STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "from",
        "have",
        "not",
        "but",
        "are",
        "was",
        "you",
        "your",
        "can",
        "when",
        "please",
        "should",
        "would",
        "could",
        "add",
        "make",
        "use",
        "new",
        "app",
        "all",
        "any",
        "how",
        "why",
        "what",
        "there",
        "their",
        "into",
    ]
)


def _fts5_phrase(words: list[str], prefix: bool) -> str:
    return '"' + " ".join(words) + '"' + ("*" if prefix else "")


def _tsquery_phrase(words: list[str], prefix: bool) -> str:
    quoted = [f"'{word}'" for word in words]
    if prefix:
        quoted[-1] += ":*"
    return "(" + " <-> ".join(quoted) + ")"


def _match_expression(terms: list[list[str]], joiner: str, prefix_last: bool) -> str:
    """Terms are \\w+ words only (see core.text.search_terms), so they need no escaping
    beyond the quoting each engine's syntax asks for."""
    if connection.vendor == "postgresql":
        phrase, join = _tsquery_phrase, {"AND": " & ", "OR": " | "}[joiner]
    else:
        phrase, join = _fts5_phrase, f" {joiner} "
    last = len(terms) - 1
    return join.join(phrase(words, prefix_last and i == last) for i, words in enumerate(terms))


def _matching_ids_sql(expression: str) -> tuple[str, list[str]]:
    if connection.vendor == "postgresql":
        return (
            "SELECT id FROM board_post WHERE to_tsvector('simple'::regconfig, search_document)"
            " @@ to_tsquery('simple'::regconfig, %s)",
            [expression],
        )
    return "SELECT rowid FROM board_post_fts WHERE board_post_fts MATCH %s", [expression]


def filter_by_search(posts: QuerySet[Post], query: str) -> QuerySet[Post]:
    """Posts containing every word of `query`; the last word may be the start of a word."""
    terms = search_terms(query)
    if not terms:
        return posts
    sql, params = _matching_ids_sql(_match_expression(terms, "AND", prefix_last=True))
    return posts.filter(pk__in=RawSQL(sql, params))


def _similarity_terms(title: str) -> list[list[str]]:
    """Distinctive words of a title; CJK runs become overlapping two-character phrases."""
    terms: list[list[str]] = []
    for words in search_terms(title):
        if len(words) > 1:  # a CJK run, one character per word
            terms.extend(words[i : i + 2] for i in range(len(words) - 1))
        elif len(words[0]) >= 3 and words[0] not in STOPWORDS:
            terms.append(words)
    return terms[:12]


def similar_posts(*, product_id: int, title: str, limit: int = 5) -> list[Post]:
    """Existing posts on the same board that share the most distinctive words with `title`,
    best match first: shown while a fan types, to head off duplicates."""
    terms = _similarity_terms(title)
    if not terms:
        return []
    expression = _match_expression(terms, "OR", prefix_last=False)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT id FROM board_post, to_tsquery('simple'::regconfig, %s) AS q"
                " WHERE product_id = %s"
                " AND to_tsvector('simple'::regconfig, search_document) @@ q"
                " ORDER BY ts_rank(to_tsvector('simple'::regconfig, search_document), q) DESC,"
                " votes_count DESC LIMIT %s",
                [expression, product_id, limit],
            )
        else:
            cursor.execute(
                "SELECT p.id FROM board_post_fts JOIN board_post p ON p.id = board_post_fts.rowid"
                " WHERE board_post_fts MATCH %s AND p.product_id = %s"
                " ORDER BY board_post_fts.rank, p.votes_count DESC LIMIT %s",
                [expression, product_id, limit],
            )
        ids = [row[0] for row in cursor.fetchall()]
    by_id = Post.objects.select_related("product").in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]
