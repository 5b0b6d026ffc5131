"""Cases visible to the caller (read-only until the lifecycle issue adds actions)."""

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from tiaojie.cases.models import Case
from tiaojie.cases.selectors import CaseFilters, case_for_user, cases_for_user, filter_cases

router = Router()


class CaseOut(Schema):
    code: str
    kind: str
    category: str
    channel: str
    title: str
    status: str
    risk_level: str
    tier: str
    region_code: str
    region_name: str
    lead_unit: str | None
    received_at: dt.datetime
    due_at: dt.datetime | None

    @staticmethod
    def resolve_region_code(obj: Case) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: Case) -> str:
        return obj.region.name

    @staticmethod
    def resolve_lead_unit(obj: Case) -> str | None:
        return obj.lead_unit.name if obj.lead_unit else None


class CaseDetailOut(CaseOut):
    description: str
    outcome: str
    people_count: int


class CaseQuery(Schema):
    status: str = ""
    kind: str = ""
    category: str = ""
    channel: str = ""
    risk_level: str = ""
    town: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    overdue: bool = False


@router.get("", response=list[CaseOut], summary="Cases in the caller's scope")
@paginate(LimitOffsetPagination)
def list_cases(request: HttpRequest, filters: Query[CaseQuery]) -> QuerySet[Case]:
    qs = filter_cases(cases_for_user(request.user), CaseFilters(**filters.dict()))
    return qs.select_related("region", "lead_unit").order_by("-received_at", "-id")


@router.get("/{code}", response=CaseDetailOut, summary="One case")
def get_case(request: HttpRequest, code: str) -> Case:
    return case_for_user(request.user, code)
