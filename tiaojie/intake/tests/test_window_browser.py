"""In a real browser, keyboard only: a clerk registers a walk-in at the window.

After signing in, every step is a key press or typed text: no clicks, no filling by
selector. The page's own shortcuts and tab order have to carry the clerk through.
"""

from __future__ import annotations

import pytest

from tiaojie.accounts.roles import Role
from tiaojie.cases import services
from tiaojie.cases.models import Case
from tiaojie.cases.services import Actor, PartyInput
from tiaojie.conftest import sign_in
from tiaojie.core.enums import CaseKind, Category, Channel
from tiaojie.intake.tests.test_window import APPLICANT_ID

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xq7#mP2v!Lr9"


def test_a_walk_in_is_registered_with_the_keyboard_alone(page, world) -> None:
    clerk = world.user("clerk_a", world.center_a, Role.WINDOW_CLERK, password=PASSWORD)
    earlier = services.register_case(
        actor=Actor(clerk),
        kind=CaseKind.DISPUTE,
        category=Category.HOUSING_HOMESTEAD,
        channel=Channel.WINDOW,
        title="宅基地界线纠纷",
        description="院墙位置争执。",
        region=world.village_a,
        parties=[PartyInput(name="王建国", id_number=APPLICANT_ID)],
    )
    page.goto(page.base_url + "/intake/window/")
    sign_in(page, clerk, PASSWORD)
    page.wait_for_url("**/intake/window/")
    keys = page.keyboard

    # The channel has the focus; a walk-in is the window, the first choice.
    assert page.evaluate("document.activeElement.name") == "channel"
    keys.press("Tab")  # kind: a dispute, the first choice
    keys.press("Tab")  # category
    keys.press("ArrowDown")
    keys.press("ArrowDown")  # the second type: neighbourhood
    keys.press("Tab")  # the applicant's name
    keys.type("王建国")
    keys.press("Tab")
    keys.type(APPLICANT_ID)
    keys.press("Tab")  # leaving the ID number asks for the applicant's earlier cases
    matches = page.get_by_test_id("earlier-cases")
    matches.wait_for()
    assert earlier.code in matches.inner_text()
    keys.type("13812341234")
    keys.press("Tab")
    keys.type("下邽镇东庆村三组")

    keys.press("Alt+R")  # a respondent; the cursor is in the new name
    assert page.evaluate("document.activeElement.name") == "party-1-name"
    keys.type("李四")

    keys.press("Alt+P")  # to the place
    keys.type("下邽镇东庆村")
    keys.press("Shift+Tab")  # back to the description
    keys.type("楼上邻居连续一个月夜间装修，多次协商无果。")
    keys.press("Shift+Tab")  # the title
    keys.type("邻居装修噪音扰民")
    keys.press("Enter")

    page.wait_for_url("**/cases/*/?registered=1")
    case = Case.objects.exclude(pk=earlier.pk).get()
    code = page.get_by_test_id("case-code").inner_text()
    assert code.replace(" ", "") == case.code
    assert case.channel == Channel.WINDOW
    assert case.category == Category.NEIGHBOURHOOD
    assert case.region == world.village_a
    assert case.title == "邻居装修噪音扰民"
    parties = sorted((p.role, p.person.name) for p in case.parties.select_related("person"))
    assert parties == [("applicant", "王建国"), ("respondent", "李四")]
    # The same ID number: the same person as in the earlier case (a repeat visitor).
    assert case.parties.get(role="applicant").person == earlier.parties.get().person
