"""Who am I: the signed-in user, their unit and roles (mounted under /api/v1/me)."""

from typing import cast

from django.http import HttpRequest
from ninja import Router, Schema

from tiaojie.accounts.models import User

router = Router()


class MeOut(Schema):
    username: str
    real_name: str
    unit: str | None
    region_code: str | None
    roles: list[str]


@router.get("", response=MeOut, summary="The signed-in user")
def me(request: HttpRequest) -> MeOut:
    user = cast(User, request.user)  # the router's auth admits signed-in users only
    unit = user.unit
    return MeOut(
        username=user.username,
        real_name=user.real_name,
        unit=unit.name if unit else None,
        region_code=unit.region.code if unit else None,
        roles=sorted(user.role_codes),
    )
