"""Config that cannot crash (issue 12, item 6): bounded numbers, a printable contact,
database URLs parsed up front, and every error naming where its value came from."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

import pytest
from helpers import paths

from diffsync.config import AUTO_MAX_AGE, Settings, load_settings
from diffsync.configvalues import BOUNDS
from diffsync.errors import EXIT_USAGE, ConfigError

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1

REPO = paths.REPO
ENTRY = b"**Denoising Diffusion Probabilistic Models**\n*Jonathan Ho*\n[[Paper](https://arxiv.org/abs/2006.11239)]\n"


def run(args, cwd, **env):
    e = dict(os.environ, **env)
    e.pop("DIFFSYNC_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "diffsync", *args], capture_output=True, text=True,
                          cwd=cwd, env=e, timeout=60)


def _config_error(**kwargs) -> str:
    with pytest.raises(ConfigError) as info:
        load_settings(**kwargs)
    assert info.value.exit_code == EXIT_USAGE
    return str(info.value)


def test_every_numeric_key_has_a_finite_upper_bound_named_in_config_toml():
    documented = tomllib.loads((REPO / "config.toml").read_text())
    text = (REPO / "config.toml").read_text()
    defaults = Settings()
    for name, (low, high) in BOUNDS.items():
        section, key = name.split(".")
        assert high < float("inf"), name
        written = documented[section][key]
        written = AUTO_MAX_AGE if written == "auto" and name == "check.max_age" else written
        assert written == getattr(getattr(defaults, section), key), name
        # the bound is written in the comment lines right above the key
        lines = text[text.index(f"[{section}]"):].splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith(f"{key} = "))
        comments = []
        while at > 0 and lines[at - 1].startswith("#"):
            at -= 1
            comments.append(lines[at])
        written = f"{int(high)}" if float(high).is_integer() else f"{high:g}"  # 2592000, not 2.592e+06
        assert re.search(rf"at most {re.escape(written)}\b", " ".join(comments), re.I), (name, comments)
    numeric = {f"{s}.{k}" for s, table in documented.items() for k, v in table.items()
               if isinstance(v, (int, float)) and not isinstance(v, bool)}
    assert numeric | {"check.max_age"} == set(BOUNDS)  # max_age is written "auto", a number too


@pytest.mark.parametrize("var, value", [
    ("DIFFSYNC_ARXIV_TIMEOUT", "1e300"), ("DIFFSYNC_ARXIV_DELAY", "1e300"),
    ("DIFFSYNC_ARXIV_BACKOFF", "1e18"), ("DIFFSYNC_ARXIV_MAX_BACKOFF", "1e300"),
    ("DIFFSYNC_ARXIV_COOLDOWN", "1e300"), ("DIFFSYNC_DATABASE_BUSY_TIMEOUT", "1e300"),
    ("DIFFSYNC_CHECK_MAX_AGE", "1e300"), ("DIFFSYNC_LIST_MAX_MB", "1e9"),
])
def test_huge_values_from_the_environment_name_the_variable(var, value):
    message = _config_error(config_path=None, environ={var: value})
    assert f"environment variable {var}" in message and "must be a number between" in message


def test_errors_from_the_file_name_the_file_and_key(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text("[arxiv]\ntimeout = 1e300\n")
    message = _config_error(config_path=cfg, environ={})
    assert f"from {cfg} [arxiv] timeout" in message
    cfg.write_text("[arxiv]\ndelay = \"soon\"\n")
    assert f"from {cfg} [arxiv] delay" in _config_error(config_path=cfg, environ={})


@pytest.mark.parametrize("value", ["1e300", "inf", "nan"])
def test_max_age_flag_is_bounded_and_named(tmp_path, value):
    (tmp_path / "list.md").write_bytes(ENTRY)
    result = run(["check", "--offline", "--max-age", value, "list.md"], tmp_path,
                 DIFFSYNC_DATABASE_URL=f"sqlite:///{tmp_path / 'd.db'}")
    assert result.returncode == 2, result.stderr
    assert "--max-age" in result.stderr  # nan is caught by the option's own check, the others by the bound
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("contact", ["me@example.org\r\nX-Evil: 1", "me@example.org\n", "jörg@example.org",
                                     "me\t@example.org"])
def test_contact_must_be_printable_ascii(contact):
    message = _config_error(config_path=None, environ={"DIFFSYNC_ARXIV_CONTACT": contact})
    assert "printable ASCII" in message and "DIFFSYNC_ARXIV_CONTACT" in message


def test_ordinary_contact_is_accepted():
    assert load_settings(None, environ={"DIFFSYNC_ARXIV_CONTACT": "me+lists@example.org"}).arxiv.contact


@pytest.mark.parametrize("url, words", [
    ("garbage", "is not a database URL"),
    ("postgresql://u:pw@[::1/db", "malformed host or port"),
    ("postgresql://u:pw@[zz::1]/db", "malformed IPv6"),
    ("postgresql://u:pw@host:99999/db", "outside 1-65535"),
    ("sqlite:///", "in-memory"),
    ("sqlite://", "in-memory"),
])
def test_bad_database_urls_are_config_errors_before_anything_runs(url, words):
    message = _config_error(config_path=None, environ={"DIFFSYNC_DATABASE_URL": url})
    assert words in message and "environment variable DIFFSYNC_DATABASE_URL" in message
    assert "pw" not in message


def test_in_memory_sqlite_only_when_spelled_out():
    assert load_settings(None, environ={"DIFFSYNC_DATABASE_URL": "sqlite:///:memory:"}).database.url


@pytest.mark.parametrize("url, code", [("garbage", 2), ("sqlite:///", 2), ("postgresql://u:p@[::1/db", 2)])
def test_cli_exit_code_for_bad_database_urls(tmp_path, url, code):
    (tmp_path / "list.md").write_bytes(ENTRY)
    result = run(["check", "--offline", "list.md"], tmp_path, DIFFSYNC_DATABASE_URL=url)
    assert result.returncode == code, result.stderr
    assert result.stderr.startswith("diffsync: error: ") and "Traceback" not in result.stderr
    result = run(["check", "--offline", "--database-url", url, "list.md"], tmp_path)
    assert result.returncode == code and "flag --database-url" in result.stderr
