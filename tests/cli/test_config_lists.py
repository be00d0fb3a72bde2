"""[[lists]] in the config: paths, per-list report and overrides, layered under env and flags."""

from __future__ import annotations

import pytest

from diffsync.config import load_settings
from diffsync.errors import ConfigError

CONFIG = """
[check]
max_age = 5.0

[report]
path = "out/report.md"

[[lists]]
path = "topics/diffusion.md"
report = "reports/diffusion.md"
strict = true
max_age = 2.0

[[lists]]
path = "topics/gans.md"

[[lists]]
path = "other/gans.md"
"""


def _load(tmp_path, text, environ=None, overrides=None):
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    return load_settings(config, environ=environ or {}, overrides=overrides)


def test_lists_their_reports_and_their_own_keys(tmp_path):
    s = _load(tmp_path, CONFIG)
    assert s.configured_lists() == [tmp_path / "topics/diffusion.md", tmp_path / "topics/gans.md",
                                    tmp_path / "other/gans.md"]
    diffusion = s.for_list(tmp_path / "topics/diffusion.md")
    assert (diffusion.check.strict, diffusion.check.max_age) == (True, 2.0)
    gans = s.for_list(tmp_path / "topics/gans.md")
    assert (gans.check.strict, gans.check.max_age) == (False, 5.0)  # the [check] section's
    assert s.report_path(tmp_path / "topics/diffusion.md") == tmp_path / "reports/diffusion.md"
    # Without its own report, a list's report is [report] path named after it; two lists
    # with the same name are numbered.
    assert s.report_path(tmp_path / "topics/gans.md") == tmp_path / "out/report-gans-1.md"
    assert s.report_path(tmp_path / "other/gans.md") == tmp_path / "out/report-gans-2.md"


def test_environment_and_flags_still_win_over_a_lists_own_keys(tmp_path):
    s = _load(tmp_path, CONFIG, environ={"DIFFSYNC_CHECK_STRICT": "false"},
              overrides={"check": {"max_age": 9.0}})
    diffusion = s.for_list(tmp_path / "topics/diffusion.md")
    assert (diffusion.check.strict, diffusion.check.max_age) == (False, 9.0)


def test_list_path_keeps_working_beside_lists(tmp_path):
    s = _load(tmp_path, '[list]\npath = "README.md"\n\n[[lists]]\npath = "b.md"\n')
    assert s.configured_lists() == [tmp_path / "README.md", tmp_path / "b.md"]
    s = _load(tmp_path, '[list]\npath = "README.md"\n')
    assert s.configured_lists() == [tmp_path / "README.md"]


@pytest.mark.parametrize("text, message", [
    ('[[lists]]\nreport = "r.md"\n', "path must be the list's file name"),
    ('[[lists]]\npath = "a.md"\ncolour = "red"\n', "unknown key colour"),
    ('[[lists]]\npath = "a.md"\nmax_age = -3\n', "max_age must be a number"),
    ('lists = "a.md"\n', "lists must be [[lists]] tables"),
    ('[[lists]]\npath = "a.md"\ncron = "0 * * * *"\n',  # one schedule for all, and what to do instead
     "cron cannot be set per list: one daemon runs every list in one pass"),
    ('[[lists]]\npath = "a.md"\ninterval_seconds = 60\n', "--cron EXPR"),
])
def test_a_bad_lists_table_is_one_clear_error(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        _load(tmp_path, text)


def test_max_age_auto_is_a_little_under_the_schedule_for_the_daemon_and_0_for_check(tmp_path, monkeypatch):
    from diffsync.check import pipeline
    from diffsync.check.pipeline import CheckOptions
    from diffsync.daemon import manylists

    def daemon_max_age(settings) -> float:
        """max_age as a daemon run resolves it: the flags the daemon's run_checks passes on."""
        passed: dict = {}
        monkeypatch.setattr(pipeline, "run_checks", lambda _settings, _paths, **flags: passed.update(flags))
        manylists.run_checks(settings, [tmp_path / "l.md"], trigger="daemon")
        monkeypatch.undo()
        return CheckOptions.resolve(settings, **passed).max_age

    s = _load(tmp_path, '[schedule]\ninterval_seconds = 3600\n')
    assert CheckOptions.resolve(s).max_age == 0.0  # on demand: arXiv is asked
    assert daemon_max_age(s) == pytest.approx(0.9)
    daily = _load(tmp_path, '[check]\nmax_age = "auto"\n')
    assert daemon_max_age(daily) == pytest.approx(21.6)
    fixed = _load(tmp_path, '[check]\nmax_age = 5\n')
    assert daemon_max_age(fixed) == 5.0
    with pytest.raises(ConfigError, match="check.max_age"):
        _load(tmp_path, '[check]\nmax_age = -1\n')  # the sentinel only as "auto"
