"""Chinese full-text search over case titles, descriptions, outcomes and notes.

What a search means
    The query is split on whitespace into terms; a case matches when its text contains every
    term (AND). A term of up to four characters — nearly every real query: 噪音, 欠薪, 漏水,
    宅基地, 拖欠工资, 12345 — matches exactly where ``LIKE '%term%'`` does, up to width and
    case (``ＡＢＣ`` = ``abc``, see :func:`fold`). A longer term is cut by the segmenter
    into words and each word must occur (王某某欠薪 → 王某某 + 欠薪), so a pasted phrase
    still finds cases that say it a little differently. Either way every case that ``LIKE``
    finds is found, because each piece searched for is a substring of the term.

Why character bigrams, not segmenter words alone
    A segmenter cuts 拖欠工资 as one word, so an index of its words cannot answer 工资
    (or 欠工, which ``LIKE`` finds too); recall would depend on how the dictionary cut each
    sentence. So every document is indexed by **every pair of adjacent characters** within
    each whitespace-free run of each field (Latin letters, digits and punctuation included:
    ``abc小区`` → ab, bc, c小, 小区) plus the **last character of each run**. Then

    - a two-character term is exactly one token: the match is exact;
    - a term of three or more characters requires all its bigrams (AND); a case that has
      them scattered is then dropped by checking the term against the stored folded text
      (``instr`` / ``strpos`` on ``CaseSearch.body``), which runs only on the candidates;
    - a one-character term is a prefix query (``"区"*`` / ``'区':*``): every occurrence of a
      character begins a bigram or ends its run, so this too is exact, without a posting
      list per single character (that would nearly double the index for a rare query).

    The segmenter's search-mode words of three or more characters (拖欠工资, 共和国,
    12345) are indexed too; shorter ones are bigrams or last characters already. They are
    the units a relevance order would weigh, and the segmenter (rjieba, the Rust port of
    jieba) also cuts long query terms. Matching never depends on them: a dictionary change
    cannot lose a case that the bigrams guarantee.

Engines
    Tokens are computed here in Python, so both engines index exactly the same tokens and
    return the same cases. PostgreSQL stores them as a position-free ``tsvector`` under a
    GIN index (``document @@ 'ab' & 'bc'``); SQLite in an FTS5 table with ``detail=none``
    whose tokenizer only splits at spaces (see ``search_models``). Neither engine's own
    word breaking is used.

Running a query
    The index answers "which cases contain this"; the case list asks "the 25 most recent of
    those in my scope". :func:`search_cases` first looks at how common the query is (the
    most recent cases, then the index): a rare query becomes the list of its matching ids,
    a common one a per-row test of the stored text while the list's ordered index scan
    runs, so neither shape meets the case it is slow for (details there).

Keeping it current
    :func:`reindex_case` runs inside the transaction that registers a case or adds a note
    (the services call it), :func:`reindex_cases` rebuilds in bulk (``tiaojie reindex``,
    the demo builder).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

import rjieba
from django.db import connection, transaction
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex

from tiaojie.core.sql import execute_binary

from .models import Case, CaseEvent
from .search_models import CaseSearch
from .workflow import Action

__all__ = [
    "NOTE_ACTIONS",
    "SearchQuery",
    "fold",
    "index_body",
    "index_cases",
    "index_text",
    "query_tokens",
    "reindex_after",
    "reindex_case",
    "reindex_cases",
    "search_cases",
    "search_filter",
]

# Events whose reason is a note about the matter itself (what a session found, what a unit
# reported, how it ended); reasons for procedural steps (extend, return …) are not indexed.
NOTE_ACTIONS: frozenset[str] = frozenset(
    {Action.RECORD_SESSION, Action.REPORT, Action.RESOLVE, Action.FAIL}
)

# Terms up to this length match as exact substrings; longer ones as their segmenter words.
EXACT_TERM_CHARS = 4
# A query longer than this is cut short: searching for a prefix of it returns a superset.
MAX_QUERY_CHARS = 100
# Segmenter words longer than this (URLs, long numbers) add nothing the bigrams lack.
MAX_WORD_CHARS = 32


# --- folding ----------------------------------------------------------------------------------
class _FoldTable(dict[int, str]):
    """``str.translate`` table folding one character at a time, filled on first use.

    Per character NFKC (full-width ＡＢＣ１２３ → ABC123, ① → 1) then lower case. Folding
    character by character is what keeps the ``LIKE`` guarantee: if ``q`` occurs in ``t``,
    ``fold(q)`` occurs in ``fold(t)``; string-level NFKC could compose characters across
    the edge of a match and lose it. Control characters become spaces (separators).
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if unicodedata.category(char) == "Cc":
            folded = " "
        else:
            folded = unicodedata.normalize("NFKC", char).lower()
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """The form both documents and queries are compared in (width- and case-insensitive)."""
    return text.translate(_FOLD)


# --- documents --------------------------------------------------------------------------------
def _add_run_tokens(run: str, tokens: set[str]) -> None:
    tokens.update(run[i : i + 2] for i in range(len(run) - 1))
    tokens.add(run[-1])
    if len(run) >= 3:
        for word in rjieba.cut_for_search(run):
            if 3 <= len(word) <= MAX_WORD_CHARS:
                tokens.add(word)


def index_text(*parts: str) -> str:
    """The token string stored for a case whose searchable fields are ``parts``.

    Space-separated, sorted (so equal texts give equal strings); no token contains a space.
    """
    return _tokens(index_body(*parts))


def _tokens(body: str) -> str:
    # The body's lines are the folded fields, so its whitespace-free runs are the runs.
    tokens: set[str] = set()
    for run in body.split():
        _add_run_tokens(run, tokens)
    return " ".join(sorted(tokens))


def index_body(*parts: str) -> str:
    """The folded text the candidates of longer terms are checked against, a line per field.

    A term never contains whitespace, so the newline keeps a match inside one field.
    """
    return "\n".join(fold(part) for part in parts if part)


# --- queries ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SearchQuery:
    """A parsed query: the folded substrings a matching case's text contains, every one."""

    pieces: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.pieces)

    @property
    def tokens(self) -> tuple[str, ...]:
        """Index tokens every match has: the bigrams of the pieces."""
        bigrams = (p[i : i + 2] for p in self.pieces for i in range(len(p) - 1))
        return tuple(dict.fromkeys(bigrams))

    @property
    def prefixes(self) -> tuple[str, ...]:
        """One-character pieces: every match has a token starting with each."""
        return tuple(p for p in self.pieces if len(p) == 1)

    @property
    def confirm(self) -> tuple[str, ...]:
        """Pieces the tokens do not settle (3+ characters): checked against the text."""
        return tuple(p for p in self.pieces if len(p) >= 3)

    def fts5_match(self) -> str:
        """The FTS5 MATCH expression: space-separated strings are ANDed."""
        quoted = [_fts5_string(t) for t in self.tokens]
        quoted += [_fts5_string(p) + "*" for p in self.prefixes]
        return " ".join(quoted)

    def tsquery(self) -> str:
        """The PostgreSQL ``tsquery`` literal (cast with ``::tsquery``, not parsed)."""
        quoted = [_tsquery_string(t) for t in self.tokens]
        quoted += [_tsquery_string(p) + ":*" for p in self.prefixes]
        return " & ".join(quoted)


def _fts5_string(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _tsquery_string(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _pieces(term: str) -> list[str]:
    """What must occur for ``term``: itself, or for a long term its segmenter words.

    Single-character words are glued to the word before (or after) them, so 下邽镇东庆村
    does not turn into three one-character prefix queries; each piece is still a
    substring of the term, which is all the recall guarantee needs.
    """
    if len(term) <= EXACT_TERM_CHARS:
        return [term]
    pieces: list[str] = []
    for word in rjieba.cut(term):
        if pieces and (len(word) == 1 or len(pieces[-1]) == 1):
            pieces[-1] += word
        else:
            pieces.append(word)
    return pieces


def query_tokens(q: str) -> SearchQuery:
    """Parse a query the way documents are indexed (falsy when nothing is searchable)."""
    terms = fold(q[:MAX_QUERY_CHARS]).split()
    return SearchQuery(tuple(dict.fromkeys(p for term in terms for p in _pieces(term))))


# --- running a query -------------------------------------------------------------------------
# A query is common when at least COMMON_HITS of the SAMPLE_SIZE most recent cases match
# it (1 %); otherwise the index is asked for up to PROBE_LIMIT matches (see search_cases).
SAMPLE_SIZE = 1000
COMMON_HITS = 10
PROBE_LIMIT = 5000

# The probe's SQL is put together from these constant fragments only; the query's text
# always travels as a parameter.
_PG_PROBE = "SELECT s.case_id FROM cases_casesearch s WHERE s.document @@ %s::tsquery"
_PG_CONFIRM = " AND strpos(s.body, %s) > 0"
_FTS5_PROBE = "SELECT rowid FROM cases_casesearch_fts WHERE cases_casesearch_fts MATCH %s"
_FTS5_PROBE_CONFIRMED = (
    "SELECT s.case_id FROM cases_casesearch_fts"
    " JOIN cases_casesearch s ON s.case_id = cases_casesearch_fts.rowid"
    " WHERE cases_casesearch_fts MATCH %s"
)
_FTS5_CONFIRM = " AND instr(s.body, %s) > 0"


def _containing(entries: QuerySet[CaseSearch], pieces: Sequence[str]) -> QuerySet[CaseSearch]:
    """Entries whose text contains every piece (``strpos`` / ``instr``, no LIKE escaping).

    The body is folded like the pieces, so a plain substring test is exact. Planners give
    such a test a flat default selectivity instead of guessing from the pattern, which
    keeps them from choosing a full scan of the index table.
    """
    for n, piece in enumerate(pieces):
        entries = entries.alias(**{f"at{n}": StrIndex("body", Value(piece))}).filter(
            **{f"at{n}__gt": 0}
        )
    return entries


def _recent_hits(qs: QuerySet[Case], parsed: SearchQuery) -> int:
    """How many of the ``SAMPLE_SIZE`` most recent cases of ``qs`` match."""
    recent = qs.order_by("-received_at", "-pk").values("pk")[:SAMPLE_SIZE]
    return _containing(CaseSearch.objects.filter(case__in=recent), parsed.pieces).count()


def _probe(parsed: SearchQuery, limit: int) -> list[int]:
    """The ids of up to ``limit`` matching cases, found through the index."""
    confirm = parsed.confirm
    if connection.vendor == "postgresql":
        sql, params = _PG_PROBE + _PG_CONFIRM * len(confirm), [parsed.tsquery(), *confirm]
    elif confirm:
        sql = _FTS5_PROBE_CONFIRMED + _FTS5_CONFIRM * len(confirm)
        params = [parsed.fts5_match(), *confirm]
    else:  # the FTS5 rowid is the case id: no need to read the table
        sql, params = _FTS5_PROBE, [parsed.fts5_match()]
    with connection.cursor() as cursor:
        cursor.execute(sql + " LIMIT %s", [*params, limit])
        return [row[0] for row in cursor.fetchall()]


def _pk_in(ids: list[int]) -> Q:
    """The cases with these ids, the ids passed as one parameter.

    Thousands of placeholders would cost more to build than the query costs to run. On
    PostgreSQL the ids become a constant array (``pk = ANY(…)``), so the planner knows how
    many there are and picks between walking the list's index and fetching them by key.
    """
    if not ids:
        return Q(pk__in=[])
    if connection.vendor == "sqlite":
        return Q(pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)]))
    among = Func(
        F("pk"),
        Value(",".join(map(str, ids))),
        arg_joiner=" = ANY(string_to_array(",  # → (pk = ANY(string_to_array(%s, ',')::bigint[]))
        template="(%(expressions)s, ',')::bigint[]))",
        output_field=BooleanField(),
    )
    return Q(among)


def _condition(qs: QuerySet[Case], parsed: SearchQuery) -> Q:
    if _recent_hits(qs, parsed) >= COMMON_HITS:
        return _text_test(parsed)
    ids = _probe(parsed, PROBE_LIMIT + 1)
    if len(ids) > PROBE_LIMIT:
        return _text_test(parsed)
    if ids and qs.query.has_filters():
        # Narrow the ids to the caller's scope now, by key: a search common elsewhere but
        # absent from this scope (another town's village) then costs nothing more.
        ids = list(qs.filter(_pk_in(ids)).order_by().values_list("pk", flat=True))
    return _pk_in(ids)


def _text_test(parsed: SearchQuery) -> Q:
    """A per-row test of the stored text, which no planner can drive a plan from."""
    return Q(Exists(_containing(CaseSearch.objects.filter(case=OuterRef("pk")), parsed.pieces)))


def search_cases(qs: QuerySet[Case], q: str) -> QuerySet[Case]:
    """``qs`` narrowed to the cases matching ``q``; a blank query leaves it as it is.

    Only filters: scope, other filters and the order stay the caller's, so searching the
    user's ``cases_for_user`` never leaves the user's scope.

    The case list wants the 25 most recent matches in the user's scope, and no single SQL
    shape is fast for that with both rare and common words; nor can the planners tell them
    apart (PostgreSQL multiplies the frequencies of the bigrams of 拖欠工资 as if they
    were independent; SQLite keeps no statistics on FTS5). So this runs up to three small
    queries at once to decide:

    1. it reads the ``SAMPLE_SIZE`` most recent cases of ``qs``. If ``COMMON_HITS`` of them
       match, the query is common here and becomes a per-row test of the stored text
       (``strpos`` / ``instr`` of each piece): the list walks its ``received_at`` index
       and meets its 25th hit soon;
    2. otherwise it asks the index for up to ``PROBE_LIMIT`` matches. If that is all of
       them, those of them inside ``qs`` are looked up by key and the search becomes
       ``pk IN (those ids)``. If there are more (a word common elsewhere or in the past),
       the per-row test again.

    The one slow case left: a word common in the whole county but (nearly) absent from a
    narrow ``qs``, with more than ``PROBE_LIMIT`` matches; the walk then reads the scope's
    cases to the end.
    """
    parsed = query_tokens(q)
    return qs.filter(_condition(qs, parsed)) if parsed else qs


def search_filter(q: str) -> Q | None:
    """The search as a ``Q`` to combine with other conditions (``search_filter(q) |
    Q(code=q)``), decided as :func:`search_cases` does for all cases; None for a blank
    query. Prefer ``search_cases`` on a scoped queryset: it can also narrow by the scope.
    """
    parsed = query_tokens(q)
    return _condition(Case.objects.all(), parsed) if parsed else None


# --- indexing ---------------------------------------------------------------------------------
_UPSERT = (
    "INSERT INTO cases_casesearch (case_id, body, document) VALUES (%s, %s, {document})"
    " ON CONFLICT (case_id) DO UPDATE SET body = excluded.body, document = excluded.document"
)


def _upsert_sql() -> str:
    if connection.vendor == "postgresql":
        return _UPSERT.format(document="array_to_tsvector(string_to_array(%s, ' '))")
    return _UPSERT.format(document="%s")


def _write(rows: list[tuple[int, str, str]]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        # One statement per batch (unnest turns three arrays into rows) instead of a round
        # trip per case, the arrays bound on the server in binary (core/sql.py).
        execute_binary(
            "INSERT INTO cases_casesearch (case_id, body, document) "
            "SELECT id, body, array_to_tsvector(string_to_array(doc, ' ')) "
            "FROM unnest(%b::bigint[], %b::text[], %b::text[]) AS u(id, body, doc) "
            "ON CONFLICT (case_id) DO UPDATE "
            "SET body = excluded.body, document = excluded.document",
            [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]],
        )
        return
    with connection.cursor() as cursor:
        cursor.executemany(_upsert_sql(), rows)


def _notes(case_ids: Sequence[int]) -> dict[int, list[str]]:
    notes: dict[int, list[str]] = {}
    events = (
        CaseEvent.objects.filter(case_id__in=case_ids, action__in=NOTE_ACTIONS)
        .exclude(reason="")
        .order_by("case_id", "seq")
        .values_list("case_id", "reason")
    )
    for case_id, reason in events:
        notes.setdefault(case_id, []).append(reason)
    return notes


def _parts(title: str, description: str, outcome: str, notes: Iterable[str]) -> tuple[str, ...]:
    # The outcome usually is the reason of the resolve/fail event as well: index it once.
    return tuple(dict.fromkeys(p for p in (title, description, outcome, *notes) if p))


def _row(pk: int, parts: Sequence[str]) -> tuple[int, str, str]:
    body = index_body(*parts)
    return pk, body, _tokens(body)


def reindex_case(case: Case, *, notes: Sequence[str] | None = None) -> None:
    """Index one case as it is now; call it inside the transaction that changed the case.

    ``notes`` saves reading the events: registration passes ``()`` (a new case has none).
    """
    if notes is None:
        notes = _notes([case.pk]).get(case.pk, [])
    row = _row(case.pk, _parts(case.title, case.description, case.outcome, notes))
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), row)


def reindex_after(case: Case, action: str) -> None:
    """Re-index ``case`` if ``action`` added a note (the lifecycle services call this)."""
    if action in NOTE_ACTIONS:
        reindex_case(case)


def _id_batches(cases: QuerySet[Case] | Iterable[int], size: int) -> Iterator[list[int]]:
    if isinstance(cases, QuerySet):
        # Keyset pages: memory stays flat and no cursor is held open across the writes.
        ids = cases.order_by("pk").values_list("pk", flat=True)
        last = None
        while chunk := list((ids if last is None else ids.filter(pk__gt=last))[:size]):
            yield chunk
            last = chunk[-1]
        return
    it = iter(cases)
    while chunk := list(islice(it, size)):
        yield chunk


def reindex_cases(cases: QuerySet[Case] | Iterable[int] | None = None, *, batch: int = 2000) -> int:
    """(Re)index a queryset of cases, some case ids, or every case (None); returns how many.

    Works ``batch`` cases at a time, each batch in its own transaction, so rebuilding a
    large table neither holds one long transaction nor loads the table into memory.
    """
    done = 0
    for chunk in _id_batches(Case.objects.all() if cases is None else cases, batch):
        with transaction.atomic():
            notes = _notes(chunk)
            fields = Case.objects.filter(pk__in=chunk).values_list(
                "pk", "title", "description", "outcome"
            )
            done += index_cases(
                (pk, title, description, outcome, notes.get(pk, ()))
                for pk, title, description, outcome in fields
            )
    return done


def index_cases(
    entries: Iterable[tuple[int, str, str, str, Sequence[str]]], *, batch: int = 2000
) -> int:
    """Index cases from their text as the caller has it: (id, title, description, outcome,
    notes), notes being the reasons of their note events in order. For writers that have
    just written the cases (cases/bulk.py) and need not read them back; returns how many."""
    done = 0
    it = iter(entries)
    while chunk := list(islice(it, batch)):
        _write(
            [
                _row(pk, _parts(title, description, outcome, notes))
                for pk, title, description, outcome, notes in chunk
            ]
        )
        done += len(chunk)
    return done
