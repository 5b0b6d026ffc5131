"""Security events for the audit log: sent here, received by tiaojie.audit.

Besides Django's user_logged_in / user_logged_out / user_login_failed (a wrong second-factor
code is sent as a user_login_failed too, so it counts towards the lockout) and axes'
user_locked_out, accounts sends these. Each carries ``actor`` (who did it: the user
themselves, an administrator, or None for the command line) and ``request`` (None outside a
request).
"""

from __future__ import annotations

from django.dispatch import Signal

# action: one of TwoFactorAction's values (enrolled, backup_codes_renewed, reset).
two_factor_changed = Signal()  # user, action, actor, request
password_changed = Signal()  # user, actor, request
# A dormant account disabled by the sweeper also sends reason="dormant", inactive_days.
user_deactivated = Signal()  # user, actor, request
