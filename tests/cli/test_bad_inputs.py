"""Hostile input found by QA: each must end in a one-line error or be read sanely, never a crash."""

from __future__ import annotations

import math

import pytest

from diffsync import arxivid
from diffsync.config import load_settings
from diffsync.errors import ConfigError, EXIT_USAGE


@pytest.mark.parametrize("text", [
    "2105.05233v99999999999999999999",  # overflowed SQLite INTEGER when stored
    "2105.05233v0",  # arXiv versions start at 1
    "hep-th/9901001v123456",
])
def test_absurd_versions_are_not_valid_ids(text):
    assert arxivid.parse_id(text) is None
    assert arxivid.from_url(f"https://arxiv.org/abs/{text}") is None


def test_ordinary_versions_still_read():
    assert arxivid.parse_id("2105.05233v12") == arxivid.ArxivId("2105.05233", 12)
    assert arxivid.from_url("https://arxiv.org/abs/2105.05233v3") == arxivid.ArxivId("2105.05233", 3)


@pytest.mark.parametrize("text, key", [
    ("[arxiv]\ndelay = nan\n", "arxiv.delay"),  # nan compares false: no pacing at all
    ("[arxiv]\ndelay = -1.0\n", "arxiv.delay"),
    ("[arxiv]\ntimeout = inf\n", "arxiv.timeout"),
    ("[arxiv]\ntimeout = 0\n", "arxiv.timeout"),
    ("[arxiv]\nmax_retries = -1\n", "arxiv.max_retries"),
    ("[arxiv]\nbatch_size = 1.5\n", "arxiv.batch_size"),  # was truncated to 1 silently
    ("[arxiv]\nbatch_size = 0\n", "arxiv.batch_size"),
    ("[arxiv]\nbatch_size = 5000\n", "arxiv.batch_size"),
    ("[arxiv]\nbackoff = -5\n", "arxiv.backoff"),
    ("[check]\nmax_age = -2\n", "check.max_age"),
    ("[check]\nsearch_batch = 0\n", "check.search_batch"),
    ("[check]\nsearch_batch = 201\n", "check.search_batch"),  # 10 candidates per title, 2000 per page
    ("[database]\nbusy_timeout = inf\n", "database.busy_timeout"),
    ("[schedule]\ninterval_seconds = 1e300\n", "schedule.interval_seconds"),
    ("[schedule]\ninterval_seconds = nan\n", "schedule.interval_seconds"),
])
def test_out_of_range_config_values_are_config_errors(tmp_path, text, key):
    cfg = tmp_path / "config.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")) as caught:
        load_settings(cfg, environ={})
    assert caught.value.exit_code == EXIT_USAGE


@pytest.mark.parametrize("var, value", [
    ("DIFFSYNC_ARXIV_DELAY", "nan"), ("DIFFSYNC_ARXIV_DELAY", "-inf"),
    ("DIFFSYNC_ARXIV_BATCH_SIZE", "2.5"), ("DIFFSYNC_CHECK_SEARCH_MAX_AGE", "-1"),
])
def test_out_of_range_env_values_are_config_errors(var, value):
    with pytest.raises(ConfigError):
        load_settings(None, environ={var: value})


def test_flags_are_range_checked_too():
    with pytest.raises(ConfigError, match="check.max_age"):
        load_settings(None, overrides={"check": {"max_age": -1.0}}, environ={})
    with pytest.raises(ConfigError, match="arxiv.delay"):
        load_settings(None, overrides={"arxiv": {"delay": math.nan}}, environ={})


def test_sane_values_still_load(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text("[arxiv]\ndelay = 0\nbatch_size = 2000\nmax_retries = 0\n"
                   "[schedule]\ninterval_seconds = 86400\n")
    s = load_settings(cfg, environ={"DIFFSYNC_ARXIV_BATCH_SIZE": "200"})
    assert (s.arxiv.delay, s.arxiv.batch_size, s.arxiv.max_retries) == (0.0, 200, 0)
    assert s.schedule.interval_seconds == 86400.0
