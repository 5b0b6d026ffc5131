"""Who am I: the signed-in user, their unit and roles."""

from django.http import HttpRequest
from ninja import Router, Schema

router = Router()


class MeOut(Schema):
    username: str
    real_name: str
    unit: str | None
    region_code: str | None
    roles: list[str]


@router.get("", response=MeOut, summary="The signed-in user")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    unit = user.unit  # type: ignore[union-attr]
    return MeOut(
        username=user.username,  # type: ignore[union-attr]
        real_name=user.real_name,  # type: ignore[union-attr]
        unit=unit.name if unit else None,
        region_code=unit.region.code if unit else None,
        roles=sorted(user.role_codes),  # type: ignore[union-attr]
    )
