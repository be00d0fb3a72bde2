"""No secret in any message, whatever the database URL's form (issue 12, item 8)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from diffsync import errors
from diffsync import dburl
from diffsync.store.store import Store

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1

SECRET = "s3cr3tPW"

URLS = [
    f"postgresql+psycopg://alice:{SECRET}@127.0.0.1:1/db",  # the usual form
    f"postgresql+psycopg://alice:{SECRET}@tail@127.0.0.1:1/db",  # unencoded "@" in the password
    f"postgresql+psycopg://alice:p@{SECRET}@127.0.0.1:1/db",
    f"postgresql+psycopg://alice@127.0.0.1:1/db?password={SECRET}",  # libpq's query form
    f"postgresql+psycopg://alice@127.0.0.1:1/db?sslmode=disable&sslpassword={SECRET}",
    f"postgresql+psycopg://alice:{SECRET}@[::1/db",  # malformed IPv6
    f"alice:{SECRET}@127.0.0.1/db",  # no scheme at all
    f"postgresql+psycopg://alice:{SECRET}@127.0.0.1:notaport/db",
]


@pytest.mark.parametrize("url", URLS)
def test_display_url_hides_every_secret(url):
    shown = dburl.display_url(url)
    assert SECRET not in shown and "tail" not in shown
    assert "alice" in shown  # still says who


@pytest.mark.parametrize("url", URLS)
def test_store_errors_never_show_the_secret(url):
    with pytest.raises(errors.DiffsyncError) as info:
        Store.open(url, busy_timeout=1)
    assert SECRET not in str(info.value) and "tail" not in str(info.value)


def test_scrub_removes_secrets_a_driver_repeats():
    url = f"postgresql://alice:{SECRET}@host/db?token=abc123"
    assert dburl.scrub(f"login failed: {SECRET} / abc123", url) == "login failed: *** / ***"


@pytest.mark.parametrize("url", [URLS[1], URLS[3], URLS[5]])
def test_cli_error_lines_never_show_the_secret(tmp_path, url):
    (tmp_path / "list.md").write_bytes(b"**T**\n*A B*\n[[Paper](https://arxiv.org/abs/2006.11239)]\n")
    env = dict(os.environ, DIFFSYNC_DATABASE_URL=url)
    env.pop("DIFFSYNC_CONFIG", None)
    for args in (["check", "--offline", "list.md"], ["db", "current"]):
        result = subprocess.run([sys.executable, "-m", "diffsync", *args], capture_output=True, text=True,
                                cwd=tmp_path, env=env, timeout=60)
        assert result.returncode in (2, 3), result.stderr
        assert SECRET not in result.stderr + result.stdout and "tail" not in result.stderr
        assert "Traceback" not in result.stderr
