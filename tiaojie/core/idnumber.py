"""Resident ID numbers (GB 11643-1999) and mainland mobile numbers: validation and masking.

Addresses are masked here too: the third kind of personal data a screen shows.
"""

from __future__ import annotations

import datetime as dt
import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
# Mainland mobile numbers: 1, then 3-9, then nine digits (MIIT numbering plan).
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def check_digit(first17: str) -> str:
    """The GB 11643 ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("expected 17 digits")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalize_id_number(value: str) -> str:
    return value.strip().upper()


def id_number_problem(value: str) -> str | None:
    """Why ``value`` is not a valid 18-digit resident ID number, or None if it is.

    The reason is a short English code the edge turns into a translated message.
    """
    value = normalize_id_number(value)
    if not _ID_RE.match(value):
        return "format"
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "birth_date"
    if check_digit(value[:17]) != value[17]:
        return "check_digit"
    return None


def is_valid_id_number(value: str) -> bool:
    return id_number_problem(value) is None


def is_valid_mobile(value: str) -> bool:
    return bool(_MOBILE_RE.match(value.strip()))


def mask_id_number(value: str) -> str:
    """Only the last four characters stay visible (DESIGN §9, role masking)."""
    if not value:
        return ""
    return "*" * (len(value) - 4) + value[-4:] if len(value) > 4 else "*" * len(value)


def mask_phone(value: str) -> str:
    """138****1234: operator prefix and last four digits stay visible."""
    if not value:
        return ""
    if len(value) == 11:
        return value[:3] + "****" + value[-4:]
    return "*" * max(len(value) - 4, 0) + value[-4:]


ADDRESS_KEPT = 6


def mask_address(value: str) -> str:
    """The first six characters (province and city, or the town) stay; the rest is hidden."""
    if not value:
        return ""
    return value[:ADDRESS_KEPT] + "****" if len(value) > ADDRESS_KEPT else "****"


def mask_name(value: str) -> str:
    """张** : the family name (the first character) stays, the given name is hidden."""
    value = value.strip()
    if not value:
        return ""
    return value[0] + "*" * max(len(value) - 1, 1)
