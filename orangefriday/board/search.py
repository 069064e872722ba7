"""Full-text search over post titles and bodies, ranked by relevance.

One index per engine over `Post.search_title` and `Post.search_body` (CJK characters spaced
apart, see models.search_columns), built by migration 0007 (search_index.V2). Both stem
English words ("muted" finds "mute") and weigh the title above the body:

- SQLite: an FTS5 table with the porter tokenizer, ranked by BM25 (title weight 10, body 1);
- PostgreSQL: a stored tsvector (title weight A, body D) under a GIN index, ranked by
  ts_rank_cd (A = 1.0, D = 0.1), the rank divided by 1 + log(length) as BM25 does.

A search never scans a board: its matches come from that index, or, where the words are
common, from the first posts of an index the board is read by (see filter_by_search,
by_relevance and similar_posts, and their windows below).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import snowballstemmer
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy, RawSQL
from django.utils.safestring import SafeString

from orangefriday.core.text import Highlighter, Stemmer, plain_text, search_terms

from .models import Post, Visibility

# The order a search is read in unless a board's sort is asked for.
RELEVANCE = "relevance"
TITLE_WEIGHT = 10.0

# filter_by_search: how many of a board's first posts are tried, and how many of them must
# match for the board's own index to be read.
SORT_WINDOW = 2_000
DENSE_IN_WINDOW = 20
# by_relevance: a search whose matches likely outnumber this many posts is ranked among
# the board's this-many hottest.
RELEVANCE_WINDOW = 20_000
MAX_COUNTED = 1_000_000
HOT = ("-hot_score", "-id")

# similar_posts looks among a board's hottest posts only: that is where duplicates come from
# (what fans talk about now), and a title's words are often common ones, which match a large
# part of a big board; ranking all of those would cost seconds at a million posts, on each
# keystroke. Boards this small or smaller are searched whole.
SIMILAR_WINDOW = 10_000

# Post.objects.visible() in the raw SQL of similar_posts (a suggested post must take votes).
VISIBLE_SQL = f"visibility = '{Visibility.VISIBLE.value}' AND merged_into_id IS NULL"

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


_TSQUERY = "to_tsquery('orangefriday_english'::regconfig, %s)"


def _matching(posts: QuerySet[Post], expression: str) -> QuerySet[Post]:
    if connection.vendor == "postgresql":
        # On the row itself, not through a subquery: the planner then picks between the
        # GIN index and the rows it already reads (see filter_by_search).
        return posts.extra(where=[f"board_post.search_vector @@ {_TSQUERY}"], params=[expression])
    sql = "SELECT rowid FROM board_post_fts WHERE board_post_fts MATCH %s"
    return posts.filter(pk__in=RawSQL(sql, [expression]))


def _ranked(posts: QuerySet[Post], expression: str) -> QuerySet[Post]:
    """Posts matching `expression`, each with its `search_rank` (higher is better)."""
    if connection.vendor == "postgresql":
        return posts.extra(
            where=[f"board_post.search_vector @@ {_TSQUERY}"],
            params=[expression],
            select={"search_rank": f"ts_rank_cd(board_post.search_vector, {_TSQUERY}, 1)"},
            select_params=[expression],
        )
    # BM25 can only be read in a query that joins the FTS5 table itself (in a subquery it
    # would be worked out afresh for every row), and the ORM cannot join a table that is
    # no model: hence extra().
    return posts.extra(
        tables=["board_post_fts"],
        where=["board_post_fts.rowid = board_post.id", "board_post_fts MATCH %s"],
        params=[expression],
        select={"search_rank": f"-bm25(board_post_fts, {TITLE_WEIGHT}, 1.0)"},
    )


def _hottest_ranked(posts: QuerySet[Post], expression: str) -> QuerySet[Post]:
    """`_ranked`, within the RELEVANCE_WINDOW hottest posts."""
    if connection.vendor != "postgresql":
        return _ranked(posts.filter(pk__in=_first(posts, HOT, RELEVANCE_WINDOW)), expression)
    return posts.filter(pk__in=_hits(posts, expression, HOT, RELEVANCE_WINDOW)).extra(
        select={"search_rank": f"ts_rank_cd(board_post.search_vector, {_TSQUERY}, 1)"},
        select_params=[expression],
    )


def filter_by_search(
    posts: QuerySet[Post], query: str, order: Sequence[str] = HOT
) -> QuerySet[Post]:
    """Posts containing every word of `query` (or a word of the same stem: "muted" finds
    "mute"), in a board's `order` (hot by default); the last word may be the start of a
    word.

    Reading the order's index and skipping what does not match is fast when the words are
    common, and a scan of the whole board when they are rare; PostgreSQL chooses by its
    guess of the words' frequency, which is poor for a word it has no statistics of (and for
    a word's start). So the first SORT_WINDOW posts in that order are tried: when enough of
    them match, the index is read; otherwise the matches are few there and are taken from
    the full-text index and sorted.
    """
    terms = search_terms(query)
    if not terms:
        return posts.order_by(*order)
    expression = _match_expression(terms, "AND", prefix_last=True)
    matching = _matching(posts, expression)
    if _matches_in_window(posts, expression, order) >= DENSE_IN_WINDOW:
        return matching.order_by(*order)
    # NULLS LAST changes nothing (the sort columns are never null) but no index of
    # PostgreSQL's gives that order: the matches come from the full-text index instead.
    return matching.order_by(*(_nulls_last(field) for field in order))


def _first(posts: QuerySet[Post], order: Sequence[str], count: int) -> QuerySet[Post]:
    """The first `count` posts in `order` (a LIMIT on the order's index)."""
    return Post.objects.filter(pk__in=posts.order_by(*order).values("pk")[:count])


def _more_matches_than_window(posts: QuerySet[Post], expression: str) -> bool:
    """Whether the board likely holds more matches than RELEVANCE_WINDOW posts, judged by
    the share of its SORT_WINDOW hottest that match: reading the window then costs less
    than ranking every match. A board is counted only up to a million posts."""
    hits = _matches_in_window(posts, expression, HOT)
    if not hits:
        return False
    board_size_needed = RELEVANCE_WINDOW * SORT_WINDOW // hits
    return board_size_needed <= MAX_COUNTED and _more_than(posts, board_size_needed)


def _more_than(posts: QuerySet[Post], count: int) -> bool:
    return posts.values("pk")[count : count + 1].exists()


def _hits(posts: QuerySet[Post], expression: str, order: Sequence[str], count: int) -> RawSQL:
    """PostgreSQL: the ids of the first `count` posts in `order` that match. The match is
    worked out in their select list, under their LIMIT, where it can only be read from
    those rows: as a WHERE, the planner read the words' matches from the GIN index instead
    (138,000 rows and 2 s for two common words on a board of a million)."""
    marked = posts.extra(
        select={"hit": f"board_post.search_vector @@ {_TSQUERY}"}, select_params=[expression]
    )
    first = marked.order_by(*order).values("pk", "hit")[:count]
    sql, params = first.query.sql_with_params()
    return RawSQL(f"SELECT h.pk FROM ({sql}) AS h WHERE h.hit", params)


def _matches_in_window(posts: QuerySet[Post], expression: str, order: Sequence[str]) -> int:
    """How many of the first SORT_WINDOW posts in `order` match: how common the words are
    where fans look, read from the rows rather than guessed."""
    if connection.vendor == "postgresql":
        return Post.objects.filter(pk__in=_hits(posts, expression, order, SORT_WINDOW)).count()
    return _matching(_first(posts, order, SORT_WINDOW), expression).count()


def _nulls_last(field: str) -> OrderBy:
    name = field.removeprefix("-")
    return F(name).desc(nulls_last=True) if field.startswith("-") else F(name).asc()


def by_relevance(posts: QuerySet[Post], query: str) -> QuerySet[Post]:
    """`filter_by_search`, best match first: a post titled exactly as the query, then by
    rank (title words count ten times body words), then by votes.

    Ranking costs in proportion to the matches: 1.3 s for a word in 125,000 posts of a
    million, 6.5 s in 750,000. A search that likely matches more than RELEVANCE_WINDOW
    posts (as many of the board's hottest match) is therefore ranked among its
    RELEVANCE_WINDOW hottest; a fan narrows such a search with another word.
    """
    terms = search_terms(query)
    if not terms:
        return posts.order_by(*HOT)
    expression = _match_expression(terms, "AND", prefix_last=True)
    if _more_matches_than_window(posts, expression):
        ranked = _hottest_ranked(posts, expression)
    else:
        ranked = _ranked(posts, expression)
    # lower() folds only ASCII on SQLite: an exact title in other scripts still ranks by
    # relevance, which puts it near the top.
    exact = " ".join(query.split()).lower()
    return ranked.extra(
        select={"exact_title": "lower(board_post.title) = %s"}, select_params=[exact]
    ).order_by("-exact_title", "-search_rank", "-votes_count", "-id")


@dataclass(frozen=True)
class SearchHighlight:
    """A search result's title and a bit of its body, as safe HTML with the matches in
    <mark>."""

    title: SafeString
    snippet: SafeString


def _stemmer() -> Stemmer:
    """The stemmer of the engine's index (Porter in SQLite's FTS5, Porter2 in PostgreSQL's
    `english`), so that what is marked is what was matched. A new one for each search
    result: a stemmer is not safe to share between threads."""
    algorithm = "porter" if connection.vendor == "sqlite" else "english"
    return cache(snowballstemmer.stemmer(algorithm).stemWord)


def highlight(posts: list[Post], query: str) -> None:
    """Give each post of a search result its `search_highlight`."""
    highlighter = Highlighter.for_query(query, _stemmer())
    for post in posts:
        post.search_highlight = SearchHighlight(  # type: ignore[attr-defined]
            title=highlighter.mark(post.title),
            snippet=highlighter.snippet(plain_text(post.body_html)),
        )


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
    """Posts among the board's SIMILAR_WINDOW hottest that share the most distinctive words
    with `title`, best match first: shown while a fan types, to head off duplicates."""
    terms = _similarity_terms(title)
    if not terms:
        return []
    expression = _match_expression(terms, "OR", prefix_last=False)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The window's LIMIT keeps the planner from guessing: it reads that many rows
            # of the hot index, whatever it believes of the words' frequencies.
            cursor.execute(
                f"SELECT id FROM (SELECT id, votes_count, search_vector FROM board_post"
                f" WHERE product_id = %s AND {VISIBLE_SQL}"
                f" ORDER BY hot_score DESC LIMIT %s) AS hottest,"
                f" {_TSQUERY} AS q WHERE search_vector @@ q"
                f" ORDER BY ts_rank_cd(search_vector, q, 1) DESC, votes_count DESC LIMIT %s",
                [product_id, SIMILAR_WINDOW, expression, limit],
            )
        else:
            cursor.execute(
                f"SELECT p.id FROM board_post_fts JOIN board_post p ON p.id = board_post_fts.rowid"
                f" WHERE board_post_fts MATCH %s AND p.id IN (SELECT id FROM board_post"
                f" WHERE product_id = %s AND {VISIBLE_SQL} ORDER BY hot_score DESC LIMIT %s)"
                f" ORDER BY bm25(board_post_fts, {TITLE_WEIGHT}, 1.0), p.votes_count DESC LIMIT %s",
                [expression, product_id, SIMILAR_WINDOW, limit],
            )
        ids = [row[0] for row in cursor.fetchall()]
    by_id = Post.objects.select_related("product").in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]
