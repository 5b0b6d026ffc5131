"""tiaojie regions import|show — load a county's divisions, or print the tree.

Without a file, ``import`` loads the divisions of 临渭区 shipped in tiaojie/regions/data.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tiaojie.regions import linwei
from tiaojie.regions.models import Region
from tiaojie.regions.services import import_regions, normalize_code


class Command(BaseCommand):
    help = "Import division codes and village lists, or show the region tree."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import",
            help="import a division-code list and/or a village list "
            "(none given: the shipped lists of 临渭区)",
        )
        imp.add_argument(
            "divisions", nargs="?", help="CSV: code (or code12/code9), name[, level][, parent]"
        )
        imp.add_argument("--villages", help="CSV: town_code12, town, village[, code]")
        imp.add_argument("--root-code", help="the county's code when the list holds only its towns")
        imp.add_argument("--root-name", help="the county's name, e.g. 临渭区")
        imp.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        show = sub.add_parser("show", help="print the tree")
        show.add_argument("code", nargs="?", help="start here (default: every root)")
        show.add_argument("--depth", type=int, default=2)

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "import":
            self._import(opts)
        else:
            self._show(opts)

    def _import(self, opts: dict[str, Any]) -> None:
        shipped = not (opts["divisions"] or opts["villages"] or opts["root_code"])
        if shipped and opts["root_name"]:
            raise CommandError("--root-name names the county of your own lists (with --root-code)")
        try:
            if shipped:
                self.stdout.write(
                    f"the shipped divisions of {linwei.ROOT_NAME} ({linwei.DATA_DIR})"
                )
                report = linwei.import_linwei(dry_run=opts["dry_run"])
            else:
                report = import_regions(
                    opts["divisions"],
                    opts["villages"],
                    root_code=opts["root_code"],
                    root_name=opts["root_name"],
                    dry_run=opts["dry_run"],
                )
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read the file: {exc}") from exc
        if not report.ok:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(report.errors)} problem(s); nothing was imported")
        if opts["dry_run"]:
            self.stdout.write("dry run: no problems found, nothing written")
        else:
            self.stdout.write(
                f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}"
            )

    def _show(self, opts: dict[str, Any]) -> None:
        if opts["code"]:
            start = Region.objects.filter(code=normalize_code(opts["code"])).first()
            if start is None:
                raise CommandError(f"no region with code {opts['code']}")
            qs = Region.objects.subtree(start)
            base = start.depth
        else:
            qs = Region.objects.all()
            base = 0
        for region in qs.filter(depth__lte=base + opts["depth"]):
            indent = "  " * (region.depth - base)
            self.stdout.write(f"{indent}{region.code} {region.name}")
