"""The region tree within the caller's area (mounted by tiaojie/api under /api/v1/regions)."""

from django.http import HttpRequest
from ninja import Router, Schema

from tiaojie.core.api import ErrorOut
from tiaojie.core.errors import NotFound

from . import selectors

router = Router()


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None
    child_count: int


def _out(region: object, child_count: int) -> RegionOut:
    parent = getattr(region, "parent", None)
    return RegionOut(
        code=region.code,  # type: ignore[attr-defined]
        name=region.name,  # type: ignore[attr-defined]
        level=region.level,  # type: ignore[attr-defined]
        parent_code=parent.code if parent else None,
        child_count=child_count,
    )


@router.get(
    "/{code}/children",
    response={200: list[RegionOut], 404: ErrorOut},
    summary="Children of a region",
)
def children(request: HttpRequest, code: str) -> list[RegionOut]:
    region = selectors.region_in_area(request.user, code)
    if region is None:
        raise NotFound("region not found")
    return [
        _out(child, child.child_count)  # type: ignore[attr-defined]
        for child in selectors.children_with_counts(region).select_related("parent")
    ]


@router.get("/{code}", response={200: RegionOut, 404: ErrorOut}, summary="One region")
def region(request: HttpRequest, code: str) -> RegionOut:
    found = selectors.region_in_area(request.user, code)
    if found is None:
        raise NotFound("region not found")
    return _out(found, found.children.count())
