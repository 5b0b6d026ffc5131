"""The legal default deadline policies (DESIGN §3) and which one a case follows.

Policies are rows an admin may edit; a migration writes these defaults
(cases/migrations/0009_default_deadline_policies.py), so looking a policy up only reads. A
database emptied since (``flush``, as between transactional tests) gets the missing defaults
back the first time one is asked for.
"""

from __future__ import annotations

from typing import NamedTuple

from tiaojie.core import cache
from tiaojie.core.enums import CaseKind, Category

from .models import DeadlinePolicy


class Default(NamedTuple):
    name: str
    days: int
    working_days: bool
    extension_days: int
    source: str


DEFAULTS: dict[str, Default] = {
    "petition_register": Default(
        "信访事项登记、转送交办", 15, False, 0, "信访工作条例（2022）第二十二条"
    ),
    "petition_notice": Default("信访事项受理告知", 15, False, 0, "信访工作条例（2022）第二十三条"),
    "remit_objection": Default(
        "不属本单位职责范围的异议、退回", 5, True, 0, "信访工作条例（2022）第二十三条"
    ),
    "petition_handle": Default(
        "信访事项办理（申诉求决类）", 60, False, 30, "信访工作条例（2022）第三十四条"
    ),
    "petition_review": Default(
        "信访事项复查、复核", 30, False, 0, "信访工作条例（2022）第三十五条、第三十六条"
    ),
    "petition_review_request": Default(
        "请求复查、复核的期限（自收到处理意见、复查意见之日起）",
        30,
        False,
        0,
        "信访工作条例（2022）第三十五条、第三十六条",
    ),
    "people_mediation": Default(
        "人民调解", 30, False, 30, "地方实践（宁波、深圳人民调解规定），经当事人同意可延长"
    ),
    "labour_mediation": Default("劳动争议调解", 15, False, 0, "劳动争议调解仲裁法第十四条"),
    "medical_mediation": Default("医疗纠纷人民调解", 30, True, 0, "医疗纠纷预防和处理条例第四十条"),
    "judicial_confirmation": Default("调解协议司法确认申请", 30, False, 0, "人民调解法第三十三条"),
    "request_handle": Default("便民诉求办理", 15, True, 0, "地方实践（12345热线办理时限）"),
    "hazard_handle": Default("风险隐患处置", 7, False, 0, "地方实践"),
    "accept": Default("登记后受理", 3, True, 0, "地方实践（首接负责，及时受理）"),
    "check_in": Default("交办后签收", 1, True, 0, "地方实践"),
    "follow_up": Default("化解后回访", 5, True, 0, "地方实践"),
}


def _read_policy(code: str) -> DeadlinePolicy | None:
    # Only reads: this runs inside whatever transition asks first, and a write here would
    # lock the cache version row for the rest of it (two such transitions could deadlock).
    return DeadlinePolicy.objects.filter(code=code).first()


# Every transition asks; a saved policy moves the "deadline_policies" version, so every
# process reads it again at its next request.
_policies = cache.register(
    "cases.deadline_policies", _read_policy, depends_on=("deadline_policies",), maxsize=64
)


def policy(code: str) -> DeadlinePolicy:
    """The policy row for ``code``; a default missing from the database is written first."""
    found = _policies.get(code)
    if found is None:
        if code not in DEFAULTS:
            raise KeyError(code)
        write_missing_defaults()
        found = _policies.get(code)
        assert found is not None
    return found


def write_missing_defaults() -> None:
    """Write every default policy that has no row (the migration's rows after a ``flush``).

    All at once, in one statement, and one bump: at most once per emptied database, rather
    than a write and a bump in each transition that first needs one policy.
    """
    DeadlinePolicy.objects.bulk_create(
        [DeadlinePolicy(code=code, **default._asdict()) for code, default in DEFAULTS.items()],
        ignore_conflicts=True,
    )
    cache.bump("deadline_policies")  # bulk_create sends no signals


def find(code: str) -> DeadlinePolicy | None:
    """The policy ``code`` if there is one (a row, or a default to write), else None."""
    if code in DEFAULTS or DeadlinePolicy.objects.filter(code=code).exists():
        return policy(code)
    return None


def handling_policy_code(kind: str, category: str, review_stage: str = "") -> str:
    """Which deadline a case's handling runs under, by what it is."""
    if review_stage:
        return "petition_review"
    if kind == CaseKind.PETITION:
        return "petition_handle"
    if kind == CaseKind.REQUEST:
        return "request_handle"
    if kind == CaseKind.HAZARD:
        return "hazard_handle"
    if category == Category.LABOUR:
        return "labour_mediation"
    if category == Category.MEDICAL:
        return "medical_mediation"
    return "people_mediation"


def acceptance_policy_code(kind: str) -> str:
    return "petition_register" if kind == CaseKind.PETITION else "accept"
