"""The divisions of 临渭区 shipped inside the package (data/README.md names the sources)."""

from __future__ import annotations

from pathlib import Path

from tiaojie.regions.services import ImportReport, import_regions

DATA_DIR = Path(__file__).resolve().parent / "data"
TOWNS_FILE = "linwei_610502_towns.csv"
VILLAGES_FILE = "linwei_610502_villages.csv"
TOWNS = DATA_DIR / TOWNS_FILE
VILLAGES = DATA_DIR / VILLAGES_FILE
ROOT_CODE = "610502"
ROOT_NAME = "临渭区"


def import_linwei(*, dry_run: bool = False) -> ImportReport:
    """Load the county, its 27 towns and 399 villages; a second run changes nothing."""
    return import_regions(
        TOWNS, VILLAGES, root_code=ROOT_CODE, root_name=ROOT_NAME, dry_run=dry_run
    )
