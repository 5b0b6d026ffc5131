"""Full-text search finds what LIKE finds: two-character words, substrings of longer words,
Latin letters and digits, notes; never more than LIKE, never outside the user's scope.

The same tests run on SQLite (FTS5) and PostgreSQL (tsvector + GIN):
``.ci/with-postgres .venv/bin/pytest tiaojie/cases/tests/test_search.py``.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_

import pytest
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiaojie.accounts.roles import Role
from tiaojie.cases import search
from tiaojie.cases.history import append_event
from tiaojie.cases.models import Case, CaseEvent
from tiaojie.cases.search import (
    NOTE_ACTIONS,
    fold,
    index_text,
    query_tokens,
    reindex_after,
    reindex_case,
    reindex_cases,
    search_cases,
    search_filter,
)
from tiaojie.cases.search_models import CaseSearch
from tiaojie.cases.selectors import cases_for_user
from tiaojie.cases.workflow import Action

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["rare", "common", "common once"])
def _plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test through each query shape ``search_cases`` may choose: the ids the
    index found, or the per-row text test for a query common now or in the past."""
    common_hits, probe_limit = {
        "rare": (10**9, 10**9),
        "common": (0, 0),
        "common once": (10**9, 0),
    }[request.param]
    monkeypatch.setattr(search, "COMMON_HITS", common_hits)
    monkeypatch.setattr(search, "PROBE_LIMIT", probe_limit)


def like(qs: QuerySet[Case], q: str) -> set[Case]:
    """The reference: a LIKE scan (case-insensitive for ASCII, as LIKE is on SQLite)."""
    notes = CaseEvent.objects.filter(action__in=NOTE_ACTIONS, reason__icontains=q)
    return set(
        qs.filter(
            Q(title__icontains=q)
            | Q(description__icontains=q)
            | Q(outcome__icontains=q)
            | Q(pk__in=notes.values("case_id"))
        )
    )


def found(qs: QuerySet[Case], q: str) -> set[Case]:
    return set(search_cases(qs, q))


@pytest.fixture
def ledger(world):
    """A few cases written the way clerks write them."""
    cases = {
        "noise": world.case(
            world.village_a, title="张某某反映楼上噪音扰民", description="楼上装修，夜间噪音很大。"
        ),
        "wages": world.case(
            world.village_a,
            title="王某某等三人反映欠薪",
            description="某建筑公司拖欠工资四个月，共计三万余元。",
        ),
        "leak": world.case(
            world.village_b,
            title="李某某反映卫生间漏水",
            description="ABC小区3号楼502室卫生间漏水，渗到楼下，电话12345678。",
        ),
        "land": world.case(
            world.village_b, title="宅基地界址纠纷", description="两户因宅基地界址发生争执。"
        ),
    }
    reindex_cases(Case.objects.all())
    return cases


# --- what the index and the query hold ------------------------------------------------------
def test_tokens_are_bigrams_last_characters_and_long_words() -> None:
    tokens = index_text("拖欠工资", "ABC小区").split()
    assert {"拖欠", "欠工", "工资", "资", "拖欠工资"} <= set(tokens)
    assert {"ab", "bc", "c小", "小区", "区"} <= set(tokens)
    assert "工" not in tokens  # single characters only where a run ends
    assert "资a" not in tokens  # fields never run into each other
    assert all(" " not in t for t in tokens)


def test_fields_are_folded_for_width_and_case() -> None:
    assert fold("ＡＢＣ小区１２号") == "abc小区12号"
    assert index_text("ＡＢＣ") == index_text("abc")


def test_queries_become_bigrams_prefixes_and_checks() -> None:
    parsed = query_tokens("拖欠工资  区 噪音")
    assert parsed.tokens == ("拖欠", "欠工", "工资", "噪音")
    assert parsed.prefixes == ("区",)
    assert parsed.confirm == ("拖欠工资",)
    assert not query_tokens("   ")
    assert search_filter(" ") is None


def test_long_terms_are_cut_into_words_each_of_which_must_occur() -> None:
    parsed = query_tokens("王某某欠薪")
    assert "欠薪" in parsed.tokens and "某欠" not in parsed.tokens


# --- what a search finds ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("噪音", {"noise"}),
        ("欠薪", {"wages"}),
        ("漏水", {"leak"}),
        ("工资", {"wages"}),  # inside 拖欠工资, which the segmenter keeps whole
        ("欠工", {"wages"}),  # across the segmenter's cut: LIKE finds it, so do we
        ("拖欠工资", {"wages"}),
        ("宅基地", {"land"}),
        ("反映", {"noise", "wages", "leak"}),
        ("楼", {"noise", "leak"}),  # one character
        ("abc小区", {"leak"}),
        ("ABC", {"leak"}),
        ("2345", {"leak"}),  # inside a longer number
        ("502室", {"leak"}),
        ("噪音 夜间", {"noise"}),  # every term must occur
        ("噪音 漏水", set()),
        ("水漏", set()),
        ("卫生间漏水漏水", {"leak"}),  # a long term: its words, not the exact phrase
    ],
)
def test_search_finds_exactly_the_cases_like_finds(ledger, q: str, expected: set[str]) -> None:
    everything = Case.objects.all()
    assert found(everything, q) == {ledger[name] for name in expected}
    if " " not in q and len(q) <= 4:
        assert found(everything, q) == like(everything, q)
    else:
        assert found(everything, q) >= like(everything, q)


def test_a_long_query_finds_cases_with_each_of_its_words(ledger) -> None:
    assert found(Case.objects.all(), "建筑公司欠薪") == {ledger["wages"]}


def test_a_blank_query_filters_nothing(ledger) -> None:
    assert found(Case.objects.all(), "  ") == set(Case.objects.all())


def test_search_keeps_the_callers_order_and_composes(ledger) -> None:
    ledger["leak"].received_at += dt.timedelta(days=1)
    ledger["leak"].save()
    page = search_cases(Case.objects.order_by("-received_at"), "反映")[:2]
    assert page[0] == ledger["leak"]
    assert search_cases(Case.objects.filter(region=ledger["leak"].region), "反映").count() == 1
    either = Case.objects.filter(search_filter("噪音") | Q(code=ledger["land"].code))
    assert set(either) == {ledger["noise"], ledger["land"]}


def test_search_never_leaves_the_users_scope(world, ledger) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK)
    twin = world.case(world.village_a, title="楼下漏水", description="同样漏水。")
    reindex_case(twin)
    visible = cases_for_user(clerk)
    assert found(visible, "漏水") == {twin}  # the other town's leak stays out of sight
    assert found(visible, "宅基地") == set()


# --- keeping the index current ------------------------------------------------------------
def _note(case: Case, action: str, reason: str) -> None:
    append_event(
        case,
        action=action,
        actor_id=None,
        actor_unit_id=None,
        at=dt.datetime(2025, 3, 2, tzinfo=dt.UTC),
        from_status="in_progress",
        to_status="in_progress",
        reason=reason,
    )
    case.save()


def test_notes_and_outcomes_are_searchable_after_reindexing(ledger) -> None:
    case = ledger["noise"]
    _note(case, Action.RECORD_SESSION, "双方到场，约定晚十点后停工。")
    _note(case, Action.EXTEND, "等待鉴定结论。")  # procedural reasons are not notes
    reindex_after(case, Action.EXTEND)
    assert found(Case.objects.all(), "停工") == set()
    reindex_after(case, Action.RECORD_SESSION)
    assert found(Case.objects.all(), "停工") == {case}
    assert found(Case.objects.all(), "鉴定") == set() == like(Case.objects.all(), "鉴定")
    case.outcome = "双方签订调解协议。"
    case.save()
    reindex_case(case)
    assert found(Case.objects.all(), "调解协议") == {case}
    assert found(Case.objects.all(), "停工") == {case}


def test_reindexing_replaces_the_old_entry(ledger) -> None:
    case = ledger["land"]
    case.title = "山林权属争议"
    case.description = "两村因山林界线争执。"
    case.save()
    assert found(Case.objects.all(), "宅基地") == {case}  # stale until reindexed
    reindex_cases([case.pk])
    assert found(Case.objects.all(), "宅基地") == set()
    assert found(Case.objects.all(), "山林") == {case}
    assert CaseSearch.objects.count() == Case.objects.count()


def test_deleting_a_case_removes_its_entry(ledger) -> None:
    ledger["land"].delete()
    assert found(Case.objects.all(), "宅基地") == set()
    assert not CaseSearch.objects.filter(case_id=ledger["land"].pk).exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # raises if the FTS5 index disagrees with the table
            cursor.execute(
                "INSERT INTO cases_casesearch_fts (cases_casesearch_fts) VALUES ('integrity-check')"
            )


def test_reindex_command_rebuilds_everything(ledger) -> None:
    from django.core.management import call_command

    CaseSearch.objects.all().delete()
    assert found(Case.objects.all(), "噪音") == set()
    call_command("reindex", "--batch", "2", verbosity=0)
    assert found(Case.objects.all(), "噪音") == {ledger["noise"]}
    assert CaseSearch.objects.count() == len(ledger)


# --- the property: search == LIKE ---------------------------------------------------------
# A small alphabet makes collisions (and so near-misses) likely: repeated characters,
# common bigrams in other orders, ASCII in both cases, digits, punctuation, spaces.
ALPHABET = "噪音欠薪漏水拖工资区小楼aAbB12，'\\\":*&!"
texts = st.text(alphabet=ALPHABET + " ", max_size=24)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.data(),
    documents=st.lists(st.tuples(texts, texts, texts), min_size=1, max_size=6),
)
def test_search_equals_like_on_random_texts(world, data, documents) -> None:
    with transaction.atomic():
        cases = [
            world.case(world.village_a, title=t[:200], description=d, outcome=o)
            for t, d, o in documents
        ]
        reindex_cases([c.pk for c in cases])
        mine = Case.objects.filter(pk__in=[c.pk for c in cases])
        source = data.draw(st.sampled_from([t for doc in documents for t in doc]))
        if len(source) >= 2 and data.draw(st.booleans()):
            length = data.draw(st.integers(2, min(4, len(source))))
            start = data.draw(st.integers(0, len(source) - length))
            q = source[start : start + length]
        else:
            q = data.draw(st.text(alphabet=ALPHABET, min_size=2, max_size=4))
        hits, reference = found(mine, q), like(mine, q)
        if q.split() == [q]:
            assert hits == reference, q
        else:  # whitespace makes terms, each of which must occur: a superset of LIKE
            assert hits >= reference, q
            assert hits == reduce(
                set.intersection, (like(mine, t) for t in q.split()), set(cases)
            ), q
        transaction.set_rollback(True)


def test_single_characters_match_like(world) -> None:
    cases = [world.case(world.village_a, title=t) for t in ("区", "小区", "区域", "a-b", "无")]
    reindex_cases([c.pk for c in cases])
    mine = Case.objects.filter(pk__in=[c.pk for c in cases])
    for q in ("区", "小", "-", "a", "B", "无", "有"):
        assert found(mine, q) == like(mine, q), q


def test_query_syntax_characters_are_plain_text(world) -> None:
    # Quotes, backslashes and operators of the FTS5 and tsquery languages are searched for
    # as the characters they are, never interpreted.
    odd = world.case(world.village_a, title="""it's "a\\b":c&d|e!f(g)*h<->i""", description="-")
    plain = world.case(world.village_a, title="its ab c d e f g h i", description="-")
    reindex_cases([odd.pk, plain.pk])
    mine = Case.objects.filter(pk__in=[odd.pk, plain.pk])
    for q in ("'", "t's", '"a', "a\\", "\\b", '":c', "c&d", "d|e", "!f(", "(g)", ")*h", "<->", "*"):
        assert found(mine, q) == like(mine, q) == {odd}, q


def test_or_of_queries_is_union(ledger) -> None:
    everything = Case.objects.all()
    either = everything.filter(reduce(or_, [search_filter("噪音"), search_filter("漏水")]))
    assert set(either) == {ledger["noise"], ledger["leak"]}
