"""Where is this? The region an address written in words points to.

People write 临渭区下邽镇东庆村三组, or leave the county out (下邽镇东庆村), or the
town's suffix (下邽东庆村), or give only the village (东庆村). A region is *named* in the
text when its full name occurs in it, or for a county or town its short name (without
镇/乡/街道/区 …); the answer is the deepest named region whose named ancestors agree with it. When
two equally deep regions are named and nothing above tells them apart (a 新庄村 in two
towns, no town written), the answer is their common ancestor, which is still right,
just less precise.

Names are read from the database once per root until the tree changes; a county has a few
hundred.
"""

from __future__ import annotations

from dataclasses import dataclass

from tiaojie.core import cache

from .models import PATH_SEPARATOR, Region, RegionLevel

# Longest first, so 街道办事处 is taken off before 街道.
_SUFFIXES = ("街道办事处", "村民委员会", "居民委员会", "街道", "社区", "镇", "乡", "村", "区", "县")
_LOCATED_LEVELS = (RegionLevel.COUNTY, RegionLevel.TOWN, RegionLevel.VILLAGE)


@dataclass(frozen=True)
class _Named:
    pk: int
    path: str
    depth: int
    names: tuple[str, ...]


def short_name(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _names(name: str, level: str) -> tuple[str, ...]:
    # Villages by their full name only: the short name of 桥南村 is the town 桥南镇's too.
    if level == RegionLevel.VILLAGE:
        return (name,)
    return tuple(dict.fromkeys((name, short_name(name))))


def _read_names(root_path: str) -> list[_Named]:
    rows = (
        Region.objects.filter(path__startswith=root_path)
        .filter(level__in=_LOCATED_LEVELS)
        .values_list("pk", "path", "depth", "name", "level")
    )
    return [_Named(pk, path, depth, _names(name, level)) for pk, path, depth, name, level in rows]


# Kept per root until the region tree changes (the "regions" version moves).
_names_by_root = cache.register(
    "regions.located_names", _read_names, depends_on=("regions",), maxsize=16
)


def _names_under(root: Region) -> list[_Named]:
    return _names_by_root.get(root.path)


def locate(text: str, root: Region) -> Region | None:
    """The most precise region under ``root`` that ``text`` names, or None."""
    pk = locate_id(text, root)
    return Region.objects.get(pk=pk) if pk is not None else None


def locate_id(text: str, root: Region) -> int | None:
    """:func:`locate`'s answer as a region id, without a query while the names are cached."""
    text = "".join(text.split())
    if not text:
        return None
    named = [r for r in _names_under(root) if any(n in text for n in r.names)]
    if not named:
        return None
    paths = {r.path for r in named}

    def support(r: _Named) -> int:
        # How many of its ancestors are named too: 下邽镇东庆村 beats a 东庆村 elsewhere.
        prefix = ""
        count = 0
        for code in r.path.rstrip(PATH_SEPARATOR).split(PATH_SEPARATOR)[:-1]:
            prefix += code + PATH_SEPARATOR
            count += prefix in paths
        return count

    best = max((support(r), r.depth) for r in named)
    winners = [r for r in named if (support(r), r.depth) == best]
    if len(winners) == 1:
        return winners[0].pk
    common = _common_prefix([r.path for r in winners])
    # The common ancestor is the root or under it, so it is among the cached names unless it
    # is a level that is not located (a city above the county): then nothing is found.
    return next((r.pk for r in _names_under(root) if r.path == common), None)


def _common_prefix(paths: list[str]) -> str:
    parts = [p.rstrip(PATH_SEPARATOR).split(PATH_SEPARATOR) for p in paths]
    shared = []
    for codes in zip(*parts, strict=False):
        if len(set(codes)) != 1:
            break
        shared.append(codes[0])
    return "".join(c + PATH_SEPARATOR for c in shared)
