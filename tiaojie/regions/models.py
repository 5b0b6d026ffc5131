"""The administrative-division tree: county → town → village/community → grid."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaojie.core import cache
from tiaojie.core.enums import Tier

PATH_SEPARATOR = "/"


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County / district")
    TOWN = "town", _("Town / subdistrict")
    VILLAGE = "village", _("Village / community")
    GRID = "grid", _("Grid")


LEVEL_ORDER = [level.value for level in RegionLevel]

# Which handling tier owns a region of each level (DESIGN §2 Tier).
TIER_BY_LEVEL = {
    RegionLevel.PROVINCE: Tier.LEADERSHIP,
    RegionLevel.CITY: Tier.LEADERSHIP,
    RegionLevel.COUNTY: Tier.DISTRICT,
    RegionLevel.TOWN: Tier.TOWN,
    RegionLevel.VILLAGE: Tier.VILLAGE,
    RegionLevel.GRID: Tier.VILLAGE,
}


class RegionQuerySet(models.QuerySet["Region"]):
    def subtree(self, region: Region, *, include_self: bool = True) -> RegionQuerySet:
        """All regions under ``region``: one indexed prefix match on the materialised path."""
        qs = self.filter(path__startswith=region.path)
        return qs if include_self else qs.exclude(pk=region.pk)

    def towns(self) -> RegionQuerySet:
        return self.filter(level=RegionLevel.TOWN)


class Region(models.Model):
    """One administrative division or grid, placed in the tree by a materialised path."""

    code = models.CharField(
        _("division code"),
        max_length=24,
        unique=True,
        help_text=_("12-digit statistical division code; grids add a suffix to their village."),
    )
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    kind_label = models.CharField(
        _("kind"), max_length=20, blank=True, help_text=_("e.g. 镇, 街道, 村, 社区")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Codes of every ancestor and itself, each followed by "/": "610502000000/610502103000/".
    # A subtree is then one prefix match, which an index answers on both engines.
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False)
    is_pilot = models.BooleanField(_("pilot town"), default=False)
    code_generated = models.BooleanField(
        _("generated code"),
        default=False,
        help_text=_("The source list had no code for this division; the code was assigned."),
    )
    name_generated = models.BooleanField(
        _("generated name"),
        default=False,
        help_text=_("The name was generated (for example demo grids), not taken from a source."),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        indexes = [
            # varchar_pattern_ops lets PostgreSQL answer LIKE 'prefix%' from the index under
            # any database collation; other engines ignore opclasses.
            models.Index(
                fields=["path"], name="region_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["level", "parent"], name="region_level_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = self.compute_path()
        self.depth = self.path.count(PATH_SEPARATOR) - 1
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id and self.parent else ""
        return f"{prefix}{self.code}{PATH_SEPARATOR}"

    @property
    def tier(self) -> Tier:
        return TIER_BY_LEVEL[RegionLevel(self.level)]

    def ancestors(self) -> list[Region]:
        codes = self.path.rstrip(PATH_SEPARATOR).split(PATH_SEPARATOR)[:-1]
        by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]

    def full_name(self) -> str:
        """Names from the county down, e.g. 临渭区下邽镇东庆村."""
        names = [r.name for r in self.ancestors() if r.level not in ("province", "city")]
        return "".join([*names, self.name])


# A change here must reach every process's cached copies at once (tiaojie.core.cache).
cache.watch("regions", Region)
