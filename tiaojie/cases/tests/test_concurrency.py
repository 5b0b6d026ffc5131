"""Many hands on one case at once: exactly one wins, the others get a clear Conflict.

The services compare-and-swap on the case's version: each hand's action is checked against
the copy of the case it loaded, and written only if the row still has that version. The
threaded tests need PostgreSQL (real concurrent transactions, one connection per thread) and
run with `.ci/with-postgres`; on SQLite they are skipped. Each thread loads its own copy of
the case first, as a page shown to its user, then all start together at a barrier and act.

The last tests replay the same races one step after the other with stale copies of a case (two
browser tabs), which any database can do; the merge races among them once let two cases end
up merged into each other, until merge learnt to lock both rows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.cases import services
from tiaojie.cases.attachments import attach
from tiaojie.cases.history import verify_case
from tiaojie.cases.models import Attachment, Case, CaseEvent, SupervisionLevel
from tiaojie.cases.services import ActionNotAllowed, Actor, PartyInput
from tiaojie.cases.workflow import Action, Status
from tiaojie.conftest import World
from tiaojie.core.enums import CaseKind, Category, Channel, Tier
from tiaojie.core.errors import Conflict, DomainError

from .samples import png

pytestmark = pytest.mark.django_db(transaction=True)

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="threads racing on one row need PostgreSQL: run with .ci/with-postgres",
)

HANDS = 20


@dataclass(frozen=True)
class People:
    clerk: User
    dispatcher: User
    leader: User


@pytest.fixture
def people(world: World) -> People:
    return People(
        clerk=world.user("clerk_a", world.center_a, Role.WINDOW_CLERK),
        dispatcher=world.user("dispatcher_a", world.center_a, Role.DISPATCHER),
        leader=world.user("leader", world.center, Role.LEADER),
    )


def register(world: World, clerk: User, title: str = "邻居装修噪音纠纷") -> Case:
    return services.register_case(
        actor=Actor(clerk),
        kind=CaseKind.DISPUTE,
        category=Category.NEIGHBOURHOOD,
        channel=Channel.WINDOW,
        title=title,
        description="邻居装修噪音扰民。",
        region=world.village_a,
        parties=[PartyInput(name="王建国")],
    )


@dataclass(frozen=True)
class Race:
    """How each hand's attempt ended: None for the winner, else the exception it got."""

    endings: list[BaseException | None]

    @property
    def winners(self) -> int:
        return sum(ending is None for ending in self.endings)

    @property
    def losses(self) -> list[BaseException]:
        return [ending for ending in self.endings if ending is not None]


def race(case: Case, act: Callable[[Case, int], object], *, hands: int = HANDS) -> Race:
    """Let ``hands`` threads each load the case, wait for all the others, then ``act`` on it."""
    barrier = threading.Barrier(hands, timeout=60)
    endings: list[BaseException | None] = [None] * hands

    def hand(i: int) -> None:
        try:
            seen = Case.objects.get(pk=case.pk)  # this hand's own page of the case
            barrier.wait()
            act(seen, i)
        except BaseException as exc:  # the losers' exceptions are the point
            endings[i] = exc
        finally:
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=hand, args=(i,)) for i in range(hands)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a hand is stuck"
    return Race(endings)


def acting(user: User) -> Actor:
    """The user as seen by this thread (its own row, loaded on its own connection)."""
    return Actor(User.objects.get(pk=user.pk))


def assert_one_event_more(case: Case, *, before: Case) -> Case:
    """Exactly one event was written, the version rose by one and the chain still holds."""
    after = Case.objects.get(pk=case.pk)
    assert after.version == before.version + 1
    assert after.event_count == before.event_count + 1
    assert CaseEvent.objects.filter(case=after).count() == before.event_count + 1
    assert verify_case(after) is None
    return after


def assert_one_won_and_the_rest_conflicted(outcome: Race) -> None:
    unexpected = [e for e in outcome.losses if not isinstance(e, Conflict)]
    assert outcome.winners == 1, f"{outcome.winners} hands won: {outcome.losses[:3]}"
    assert not unexpected, f"losers should get Conflict, got {unexpected[:3]}"
    # The API turns this code into a 409 with the message.
    assert {e.code for e in outcome.losses if isinstance(e, Conflict)} == {"conflict"}


# --- the same action from twenty hands at once ---------------------------------------------------
@needs_postgresql
def test_twenty_clerks_accepting_the_same_page_at_once_leave_one_acceptance(
    world: World, people: People
) -> None:
    case = register(world, people.clerk)

    outcome = race(
        case,
        lambda seen, _i: services.accept(
            seen, actor=acting(people.clerk), expected_version=seen.version
        ),
    )

    assert_one_won_and_the_rest_conflicted(outcome)
    after = assert_one_event_more(case, before=case)
    assert after.status == Status.ACCEPTED
    assert list(after.events.values_list("action", flat=True)) == [Action.REGISTER, Action.ACCEPT]


@needs_postgresql
def test_twenty_supervisors_on_the_same_page_raise_supervision_by_one_step(
    world: World, people: People
) -> None:
    case = services.accept(register(world, people.clerk), actor=Actor(people.clerk))

    outcome = race(
        case,
        lambda seen, _i: services.supervise(
            seen, actor=acting(people.leader), note="请加快办理", expected_version=seen.version
        ),
    )

    assert_one_won_and_the_rest_conflicted(outcome)
    after = assert_one_event_more(case, before=case)
    assert after.supervision_level == SupervisionLevel.REMINDER


@needs_postgresql
def test_twenty_clerks_attaching_at_once_store_one_file_and_leave_no_stray_ones(
    world: World, people: People, media_root: Path
) -> None:
    case = register(world, people.clerk)

    outcome = race(
        case,
        lambda seen, i: attach(
            seen,
            actor=acting(people.clerk),
            file=SimpleUploadedFile(f"照片{i}.png", png(i + 1, 1)),
        ),
    )

    assert_one_won_and_the_rest_conflicted(outcome)
    assert_one_event_more(case, before=case)
    stored = Attachment.objects.get(case=case)
    assert [p for p in media_root.rglob("*") if p.is_file()] == [media_root / stored.file.name]


@needs_postgresql
def test_twenty_clerks_accepting_without_a_version_still_leave_one_acceptance(
    world: World, people: People
) -> None:
    """No expected_version: the lock makes the losers find the case accepted already."""
    case = register(world, people.clerk)

    outcome = race(case, lambda seen, _i: services.accept(seen, actor=acting(people.clerk)))

    assert_one_won_and_the_rest_conflicted(outcome)
    after = assert_one_event_more(case, before=case)
    assert after.status == Status.ACCEPTED


@needs_postgresql
def test_withdrawing_and_declining_at_once_ends_the_case_one_way_only(
    world: World, people: People
) -> None:
    case = register(world, people.clerk)

    def withdraw_or_decline(seen: Case, i: int) -> None:
        if i % 2:
            services.withdraw(seen, actor=acting(people.clerk), reason="申请人撤回")
        else:
            services.decline(
                seen, actor=acting(people.dispatcher), route="arbitration", reason="应申请仲裁"
            )

    outcome = race(case, withdraw_or_decline)

    assert_one_won_and_the_rest_conflicted(outcome)
    after = assert_one_event_more(case, before=case)
    assert after.status in {Status.WITHDRAWN, Status.DECLINED}
    assert after.events.order_by("-seq").first().to_status == after.status


@needs_postgresql
def test_twenty_supervisors_without_a_version_still_raise_supervision_by_one_step(
    world: World, people: People
) -> None:
    """Supervising does not change the status, yet the losers must not stack up levels."""
    case = services.accept(register(world, people.clerk), actor=Actor(people.clerk))

    outcome = race(case, lambda seen, _i: services.supervise(seen, actor=acting(people.leader)))

    assert_one_won_and_the_rest_conflicted(outcome)
    after = assert_one_event_more(case, before=case)
    assert after.supervision_level == SupervisionLevel.REMINDER
    assert after.events.get(action=Action.SUPERVISE).payload == {"level": 1}


@needs_postgresql
def test_acting_on_one_case_does_not_wait_for_another_case_of_the_same_village(
    world: World, people: People
) -> None:
    """An open transaction on one case must not hold up work on its neighbours.

    (Locking the case with select_related("region") would lock the village's region row too,
    and every case of the village would wait for the slowest.)
    """
    held = services.accept(register(world, people.clerk, "一"), actor=Actor(people.clerk))
    other = services.accept(register(world, people.clerk, "二"), actor=Actor(people.clerk))
    assert held.region_id == other.region_id
    inside, release, other_done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def supervise_and_hold() -> None:
        try:
            with transaction.atomic():  # whatever the service locked stays locked until here
                services.supervise(Case.objects.get(pk=held.pk), actor=acting(people.leader))
                inside.set()
                release.wait(timeout=30)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    def supervise_the_other() -> None:
        try:
            services.supervise(Case.objects.get(pk=other.pk), actor=acting(people.leader))
            other_done.set()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    holder = threading.Thread(target=supervise_and_hold)
    neighbour = threading.Thread(target=supervise_the_other)
    holder.start()
    try:
        assert inside.wait(timeout=10), f"the holder never got inside: {errors}"
        neighbour.start()
        went_through = other_done.wait(timeout=5)
    finally:
        release.set()
        holder.join(timeout=30)
        if neighbour.ident is not None:
            neighbour.join(timeout=30)

    assert not errors
    assert went_through, "supervising one case waited for a transaction on another case"


# --- races the services lose today ---------------------------------------------------------------
@needs_postgresql
def test_two_cases_merged_into_each_other_at_once_leave_one_survivor(
    world: World, people: People
) -> None:
    first = register(world, people.clerk, "重复登记一")
    second = register(world, people.clerk, "重复登记二")
    own = {0: first, 1: second}
    into = {0: Case.objects.get(pk=second.pk), 1: Case.objects.get(pk=first.pk)}

    def merge_into_the_other(_seen: Case, i: int) -> None:
        case = Case.objects.get(pk=own[i].pk)
        services.merge(case, actor=acting(people.dispatcher), into=into[i], reason="同一事项")

    outcome = race(first, merge_into_the_other, hands=2)

    statuses = Case.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    assert set(statuses) != {Status.MERGED}, "both cases were merged, each into the other"
    assert outcome.winners == 1
    assert all(isinstance(e, DomainError) for e in outcome.losses), f"loser: {outcome.losses}"


# --- the same races, one step after the other, with stale copies -------------------------------
# These need no second connection, so they run in the test's transaction on any database.
sequential = pytest.mark.django_db


@sequential
def test_a_stale_page_with_its_version_is_refused_on_any_database(
    world: World, people: People
) -> None:
    case = register(world, people.clerk)
    page = Case.objects.get(pk=case.pk)
    services.accept(case, actor=Actor(people.clerk))

    with pytest.raises(Conflict):
        services.withdraw(
            page, actor=Actor(people.clerk), reason="撤回", expected_version=page.version
        )

    after = Case.objects.get(pk=case.pk)
    assert (after.status, after.version, after.event_count) == (Status.ACCEPTED, 2, 2)


@sequential
def test_a_stale_page_without_a_version_is_refused_once_the_status_moved_on(
    world: World, people: People
) -> None:
    case = register(world, people.clerk)
    page = Case.objects.get(pk=case.pk)
    services.accept(case, actor=Actor(people.clerk))

    with pytest.raises(Conflict):
        services.decline(page, actor=Actor(people.clerk), route="litigation", reason="应起诉")

    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


@sequential
def test_two_stale_tabs_cannot_push_supervision_past_listed(world: World, people: People) -> None:
    """The cap is checked on the tab's copy; the version check must stop the second tab."""
    case = services.accept(register(world, people.clerk), actor=Actor(people.clerk))
    for _ in range(2):
        case = services.supervise(case, actor=Actor(people.leader))
    tab_one, tab_two = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)

    services.supervise(tab_one, actor=Actor(people.leader))
    with pytest.raises(DomainError):  # ActionNotAllowed or Conflict would both do
        services.supervise(tab_two, actor=Actor(people.leader))

    assert Case.objects.get(pk=case.pk).supervision_level == SupervisionLevel.LISTED


@sequential
def test_a_stale_tab_cannot_bring_an_escalated_case_back_down(world: World, people: People) -> None:
    """The next tier is worked out from the tab's copy; the version check must stop it."""
    case = services.accept(register(world, people.clerk), actor=Actor(people.clerk))
    stale = Case.objects.get(pk=case.pk)
    assert stale.tier == Tier.TOWN
    for _ in range(2):
        case = services.escalate(case, actor=Actor(people.leader), reason="镇级无法协调")
    assert case.tier == Tier.LEADERSHIP

    with pytest.raises(DomainError):  # ActionNotAllowed or Conflict would both do
        services.escalate(stale, actor=Actor(people.leader), reason="镇级无法协调")

    assert Case.objects.get(pk=case.pk).tier == Tier.LEADERSHIP


@sequential
def test_a_case_cannot_be_merged_into_one_merged_meanwhile(world: World, people: People) -> None:
    first = register(world, people.clerk, "重复登记一")
    second = register(world, people.clerk, "重复登记二")
    first_as_shown = Case.objects.get(pk=first.pk)
    services.merge(first, actor=Actor(people.dispatcher), into=second, reason="同一事项")

    with pytest.raises(DomainError):
        services.merge(second, actor=Actor(people.dispatcher), into=first_as_shown)

    assert Case.objects.get(pk=second.pk).status != Status.MERGED


@sequential
def test_no_escalation_beyond_the_leadership_group(world: World, people: People) -> None:
    """The refusals the stale-tab tests expect exist for fresh copies: the cap itself holds."""
    case = services.accept(register(world, people.clerk), actor=Actor(people.clerk))
    for _ in range(2):
        case = services.escalate(case, actor=Actor(people.leader), reason="镇级无法协调")
    with pytest.raises(ActionNotAllowed):
        services.escalate(case, actor=Actor(people.leader), reason="再提级")
