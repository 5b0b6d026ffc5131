"""Rate limits of the public portal: how often one address, phone or case may be tried.

Counts live in Django's "ratelimit" cache, a table in the database (settings.CACHES), so all
workers on all servers share them. Each limit counts in fixed windows (an hour, a day): the
key holds the window's number and expires with it. Counting is a read and a write, not one
atomic step, so two requests at the very same moment may be counted as one; a limit against
guessing and flooding can live with that.

Who is counted never appears in a key: addresses, phone numbers and case codes are keyed
hashes (core/crypto.blind_index).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

from tiaojie.core.crypto import blind_index

log = logging.getLogger(__name__)

HOUR = 3600
DAY = 24 * HOUR


@dataclass(frozen=True)
class Limit:
    name: str
    setting: str
    seconds: int

    @property
    def count(self) -> int:
        return int(getattr(settings, self.setting))


SUBMIT_PER_IP = Limit("submit_ip", "TIAOJIE_PORTAL_SUBMITS_PER_IP_HOUR", HOUR)
SUBMIT_PER_PHONE = Limit("submit_phone", "TIAOJIE_PORTAL_SUBMITS_PER_PHONE_DAY", DAY)
LOOKUP_PER_IP = Limit("lookup_ip", "TIAOJIE_PORTAL_LOOKUPS_PER_IP_HOUR", HOUR)
# Wrong codes for one case, from anywhere: guessing one case's query code from many
# addresses is stopped here.
FAILED_LOOKUP_PER_CASE = Limit("lookup_case", "TIAOJIE_PORTAL_FAILED_LOOKUPS_PER_CASE_DAY", DAY)


class Limited(Exception):
    """Too many tries; ``retry_after`` is the number of seconds until the window ends."""

    def __init__(self, limit: Limit, retry_after: int) -> None:
        super().__init__(limit.name)
        self.limit = limit
        self.retry_after = retry_after


def _key(limit: Limit, who: str) -> tuple[str, int]:
    now = time.time()
    window = int(now // limit.seconds)
    digest = blind_index(who, purpose=f"portal_rate_{limit.name}")[:32]
    return f"portal:{limit.name}:{digest}:{window}", math.ceil(limit.seconds - now % limit.seconds)


def spend(limit: Limit, who: str) -> None:
    """Count one try by ``who``; raise Limited if it is over the limit."""
    cache = caches["ratelimit"]
    key, left = _key(limit, who)
    # get and set rather than incr: the database cache's incr would reset the expiry to the
    # default timeout, and the window's end is what the key must expire with.
    used = int(cache.get(key, 0)) + 1
    cache.set(key, used, timeout=left)
    if used > limit.count:
        if used == limit.count + 1:  # once per window, not once per refused request
            log.warning("portal rate limit %s reached", limit.name)
        raise Limited(limit, left)


def check(limit: Limit, who: str) -> None:
    """Raise Limited if ``who`` has used up the limit, without counting a try."""
    key, left = _key(limit, who)
    if int(caches["ratelimit"].get(key, 0)) >= limit.count:
        raise Limited(limit, left)
