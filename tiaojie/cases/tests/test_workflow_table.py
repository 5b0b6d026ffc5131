"""The workflow table itself: complete, consistent, and strict about who may act."""

from tiaojie.accounts.roles import ADMIN_ROLES, Role
from tiaojie.cases.workflow import (
    OPEN,
    RULES,
    TABLE,
    TERMINAL,
    Action,
    Relation,
    Status,
    allowed_actions,
    can_take,
)


def test_every_status_is_open_terminal_or_closed() -> None:
    assert OPEN | TERMINAL | {Status.CLOSED} == set(Status)
    assert not OPEN & TERMINAL


def test_every_action_but_register_has_exactly_one_rule() -> None:
    assert set(RULES) == set(Action) - {Action.REGISTER}
    assert len(TABLE) == len(RULES)


def test_no_rule_leaves_a_terminal_status() -> None:
    for rule in TABLE:
        assert not rule.sources & TERMINAL, rule.action


def test_every_target_is_a_status_the_case_can_be_in() -> None:
    for rule in TABLE:
        targets = set(rule.targets.values()) | ({rule.target} if rule.target else set())
        assert targets <= set(Status), rule.action


def test_administrators_can_take_no_action_at_all() -> None:
    for status in Status:
        for role in ADMIN_ROLES:
            assert not allowed_actions(status, roles={role}, relations=set(Relation)), (
                status,
                role,
            )


def test_the_handler_cannot_follow_up_their_own_case() -> None:
    kwargs = {"roles": {Role.DISPATCHER}, "relations": {Relation.AREA}}
    assert can_take(Action.FOLLOW_UP, Status.RESOLVED, **kwargs)
    assert not can_take(Action.FOLLOW_UP, Status.RESOLVED, is_handler=True, **kwargs)


def test_only_the_lead_unit_works_the_case() -> None:
    roles = {Role.HANDLER}
    assert can_take(Action.RESOLVE, Status.IN_PROGRESS, roles=roles, relations={Relation.LEAD})
    assert not can_take(
        Action.RESOLVE, Status.IN_PROGRESS, roles=roles, relations={Relation.ASSISTING}
    )
    assert can_take(Action.REPORT, Status.IN_PROGRESS, roles=roles, relations={Relation.ASSISTING})


def test_the_system_may_only_supervise_and_escalate() -> None:
    system = {Relation.SYSTEM}
    for status in Status:
        allowed = set(allowed_actions(status, roles=set(), relations=system))
        assert allowed <= {Action.SUPERVISE, Action.ESCALATE}


def test_follow_up_splits_by_satisfaction() -> None:
    rule = RULES[Action.FOLLOW_UP]
    assert rule.target_for(Status.RESOLVED, "satisfied") == Status.CLOSED
    assert rule.target_for(Status.RESOLVED, "dissatisfied") == Status.IN_PROGRESS
