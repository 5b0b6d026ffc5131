"""Every UI string is translated: the committed catalogue holds every msgid in the code,
none is empty or fuzzy, and the compiled .mo matches the .po."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def entries(po: polib._BaseFile) -> dict[tuple[str | None, str], str]:
    return {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0, "") for e in po if not e.obsolete
    }


def main() -> int:
    problems = []
    committed = polib.pofile(str(PO))
    for e in committed:
        if e.obsolete:
            continue
        if "fuzzy" in e.flags or not (e.msgstr or e.msgstr_plural.get(0)):
            problems.append(f"untranslated or fuzzy: {e.msgid!r}")
    if entries(polib.mofile(str(MO))) != entries(committed):
        problems.append("django.mo is stale: run `tiaojie compilemessages`")
    if shutil.which("xgettext"):
        with tempfile.TemporaryDirectory() as tmp:
            backup = Path(tmp) / "django.po"
            shutil.copy(PO, backup)
            try:
                subprocess.run(  # noqa: S603 - our own command, fixed arguments
                    [
                        str(ROOT / ".venv" / "bin" / "tiaojie"),
                        "makemessages",
                        "-l",
                        "zh_Hans",
                        "--no-location",
                        "--ignore",
                        ".venv/*",
                        "--ignore",
                        "node_modules/*",
                        "--ignore",
                        "var/*",
                    ],
                    cwd=ROOT,
                    check=True,
                    capture_output=True,
                )
                fresh = {k for k in entries(polib.pofile(str(PO)))}
            finally:
                shutil.copy(backup, PO)
        missing = fresh - set(entries(committed))
        problems.extend(
            f"not in the catalogue: {msgid!r}" for _ctx, msgid in sorted(missing, key=str)
        )
    else:
        print("xgettext not found: skipped the check for strings missing from the catalogue")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
