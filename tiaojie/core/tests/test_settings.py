"""Settings come from the environment and bad values stop the start-up loudly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _start(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "TIAOJIE_", "DATABASE_"))
    }
    clean.update({"TIAOJIE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"})
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_development_may_switch_the_second_factor_off(tmp_path: Path) -> None:
    result = _start(tmp_path, TIAOJIE_2FA_REQUIRED="false")
    assert result.stdout.strip() == "started", result.stderr


def test_development_starts_with_nothing_set_and_keeps_its_secrets_in_var(tmp_path: Path) -> None:
    result = _start(tmp_path)
    assert result.stdout.strip() == "started", result.stderr
    for name in ("secret_key", "field_keys", "blind_index_key"):
        path = tmp_path / name
        assert path.is_file()
        assert oct(path.stat().st_mode & 0o777) == "0o600"
    first = (tmp_path / "secret_key").read_text()
    _start(tmp_path)
    assert (tmp_path / "secret_key").read_text() == first  # kept, not regenerated


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "ture"}, "DJANGO_DEBUG must be true or false"),
        ({"TIAOJIE_ENV": "staging"}, "TIAOJIE_ENV must be one of"),
        ({"TIAOJIE_SESSION_IDLE_SECONDS": "half an hour"}, "must be a whole number"),
        ({"DATABASE_URL": "mysql://u:p@localhost/db"}, "SQLite or PostgreSQL"),
        ({"TIAOJIE_FIELD_KEYS": "k1:tooshort"}, "TIAOJIE_FIELD_KEYS must be"),
        # An SM4 key is 16 bytes, not 32; key ids must be distinct.
        ({"TIAOJIE_FIELD_KEYS": "k1:sm4:" + "A" * 44}, "TIAOJIE_FIELD_KEYS must be"),
        ({"TIAOJIE_FIELD_KEYS": "k1:" + "A" * 44 + ",k1:" + "B" * 44}, "distinct ids"),
        ({"TIAOJIE_AUDIT_RETENTION_DAYS": "179"}, "RETENTION_DAYS must be at least 180"),
        ({"TIAOJIE_ENV": "production"}, "DJANGO_SECRET_KEY is required"),
        (
            {
                "TIAOJIE_ENV": "production",
                "DJANGO_SECRET_KEY": "x" * 60,
                "DJANGO_ALLOWED_HOSTS": "a.example",
            },
            "TIAOJIE_FIELD_KEYS is required",
        ),
        ({"TIAOJIE_ENV": "production", "DJANGO_DEBUG": "true"}, "DJANGO_DEBUG must be off"),
        (
            {
                "TIAOJIE_ENV": "production",
                "DJANGO_SECRET_KEY": "x" * 60,
                "DJANGO_ALLOWED_HOSTS": "a.example",
                "TIAOJIE_FIELD_KEYS": "k1:" + "A" * 43 + "=",
                "TIAOJIE_BLIND_INDEX_KEY": "A" * 43 + "=",
                "TIAOJIE_2FA_REQUIRED": "false",
            },
            "TIAOJIE_2FA_REQUIRED cannot be off when TIAOJIE_ENV=production",
        ),
        ({"TIAOJIE_PASSWORD_MIN_CLASSES": "5"}, "TIAOJIE_PASSWORD_MIN_CLASSES must be between"),
        ({"TIAOJIE_LOGIN_FAILURE_LIMIT": "0"}, "TIAOJIE_LOGIN_FAILURE_LIMIT must be at least 1"),
    ],
)
def test_bad_values_stop_the_start(tmp_path: Path, env: dict[str, str], message: str) -> None:
    result = _start(tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
