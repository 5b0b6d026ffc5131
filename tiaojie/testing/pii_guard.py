"""A pytest plugin: no page, API answer or log line of the test suite shows an unmasked
resident ID number or mobile number, except a response marked as the audited full view.

Every response Django produces in the suite (test client and the live server the browser
tests drive) and every log record is checked as it is produced; the session fails at the end
if any showed one, naming the URL or logger. Enabled for every run in pyproject.toml.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

import pytest

from tiaojie.core.idnumber import id_number_problem

# Digits not glued to other letters or digits (hashes and tokens are not numbers); Chinese
# text around a number is fine, since \w would count it as a word character.
_EDGE_L = r"(?<![0-9A-Za-z])"
_EDGE_R = r"(?![0-9A-Za-z])"
_ID = re.compile(_EDGE_L + r"[1-9]\d{16}[\dXx]" + _EDGE_R)
_PHONE = re.compile(_EDGE_L + r"1[3-9]\d{9}" + _EDGE_R)
_TEXT_TYPES = ("text/", "application/json", "application/javascript")


def find_personal_numbers(text: str) -> list[str]:
    """Unmasked valid ID numbers and mobile numbers in ``text``, masked for the report."""
    found = [m for m in _ID.findall(text) if id_number_problem(m) is None]
    found += _PHONE.findall(text)
    return [f"{n[:3]}…{n[-2:]}" for n in found]


@dataclass
class _Findings:
    leaks: list[str] = field(default_factory=list)
    responses: int = 0
    log_records: int = 0

    def note(self, where: str, text: str) -> None:
        if hits := find_personal_numbers(text):
            self.leaks.append(f"{where}: {', '.join(sorted(set(hits)))}")


FINDINGS = _Findings()


class _LogCheck(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        FINDINGS.log_records += 1
        try:
            text = record.getMessage()
        except Exception:  # a broken record is the logging test's business
            return
        if record.exc_info and record.exc_info[1] is not None:
            text += "\n" + str(record.exc_info[1])
        FINDINGS.note(f"log {record.name} ({record.levelname})", text)


def _check_response(request: Any, response: Any) -> None:
    FINDINGS.responses += 1
    from tiaojie.core.privacy import FULL_VIEW_HEADER

    if response.has_header(FULL_VIEW_HEADER) or getattr(response, "streaming", False):
        return
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(_TEXT_TYPES):
        return
    text = response.content.decode(response.charset or "utf-8", errors="replace")
    if request.method == "POST":
        # A form shown again with what its sender just typed (a login with a phone number
        # for a user name) shows nobody anything new.
        for values in request.POST.lists():
            for value in values[1]:
                if len(value) >= 11:
                    text = text.replace(value, "")
    FINDINGS.note(f"{request.method} {request.path} ({response.status_code})", text)
    # The URL itself: personal data never travels in a query string or path.
    FINDINGS.note(f"URL of {request.method} {request.path}", request.get_full_path())


def pytest_sessionstart(session: pytest.Session) -> None:
    from django.core.handlers.base import BaseHandler

    original = BaseHandler.get_response

    def get_response(self: BaseHandler, request: Any) -> Any:
        response = original(self, request)
        _check_response(request, response)
        return response

    BaseHandler.get_response = get_response  # type: ignore[method-assign]
    logging.getLogger().addHandler(_LogCheck())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if FINDINGS.leaks and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FINDINGS.leaks:
        return
    terminalreporter.section("unmasked personal data", red=True)
    for leak in dict.fromkeys(FINDINGS.leaks):
        terminalreporter.write_line(leak)
