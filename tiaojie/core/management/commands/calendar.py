"""tiaojie calendar import|show — load a year's official calendar, or list a year's special days."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tiaojie.core.workdays import import_calendar, package_covers, year_calendar

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class Command(BaseCommand):
    help = "Import official holidays and make-up workdays from a CSV, or list a year's."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a CSV: date,is_workday,name[,source]")
        imp.add_argument("file", help="CSV file, UTF-8, header on line 1")
        show = sub.add_parser("show", help="list a year's holidays and make-up workdays")
        show.add_argument("year", type=int)

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "import":
            self._import(opts["file"])
        else:
            self._show(opts["year"])

    def _import(self, path: str) -> None:
        try:
            report = import_calendar(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read the file: {exc}") from exc
        if not report.ok:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(report.errors)} problem(s); nothing was imported")
        self.stdout.write(
            f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}"
        )

    def _show(self, year: int) -> None:
        entries = year_calendar(year)
        from_table = any(entry.origin == "table" for entry in entries)
        if not package_covers(year) and not from_table:
            self.stdout.write(
                f"no official calendar for {year}: Monday to Friday count as working days "
                "until its notice is imported"
            )
            return
        for entry in entries:
            kind = "workday" if entry.is_workday else "holiday"
            weekday = _WEEKDAYS[entry.day.weekday()]
            line = f"{entry.day.isoformat()} {weekday}  {kind:<7}  {entry.name}  [{entry.origin}]"
            if entry.source:
                line += f"  {entry.source}"
            self.stdout.write(line)
