"""Enumerations shared by several apps. Stored values never change (DESIGN §7 rule 4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseKind(models.TextChoices):
    DISPUTE = "dispute", _("Dispute")
    PETITION = "petition", _("Petition")
    REQUEST = "request", _("Public request")
    HAZARD = "hazard", _("Risk hazard")


class Category(models.TextChoices):
    """Dispute types of the Ministry of Justice people's-mediation statistics (DESIGN §5)."""

    MARRIAGE_FAMILY = "marriage_family", _("Marriage and family")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    HOUSING_HOMESTEAD = "housing_homestead", _("Housing and homestead")
    CONTRACT = "contract", _("Contract")
    BUSINESS = "business", _("Production and business")
    DAMAGES = "damages", _("Compensation for damage")
    LAND_FOREST = "land_forest", _("Land and forest")
    LAND_REQUISITION = "land_requisition", _("Land requisition and demolition")
    ENVIRONMENT = "environment", _("Environmental pollution")
    LABOUR = "labour", _("Labour dispute")
    CONSUMER = "consumer", _("Consumer")
    MEDICAL = "medical", _("Medical")
    TRAFFIC = "traffic", _("Road traffic accident")
    PROPERTY_MANAGEMENT = "property_management", _("Property management")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    WINDOW = "window", _("Window")
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone call")
    HOTLINE = "hotline", _("12345 hotline")
    ONLINE = "online", _("Online")
    GRID = "grid", _("Grid report")
    VIDEO = "video", _("Video surveillance")
    REFERRAL = "referral", _("Department referral")
    COURT = "court", _("Court delegation")


class RiskLevel(models.TextChoices):
    """Warning colours: red 重大, orange 较大, yellow 一般, blue 轻微."""

    BLUE = "blue", _("Blue (minor)")
    YELLOW = "yellow", _("Yellow (general)")
    ORANGE = "orange", _("Orange (serious)")
    RED = "red", _("Red (major)")


class Tier(models.TextChoices):
    VILLAGE = "village", _("Village")
    TOWN = "town", _("Town")
    DISTRICT = "district", _("District")
    LEADERSHIP = "leadership", pgettext_lazy("tier", "Leadership group")
