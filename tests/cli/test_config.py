import pytest

from diffsync.config import load_settings
from diffsync.errors import ConfigError
from helpers import paths


def test_precedence_flags_over_env_over_file(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[arxiv]\ndelay = 7.0\nurl = "http://file/"\nbatch_size = 100\n')
    env = {"DIFFSYNC_ARXIV_DELAY": "1.5", "DIFFSYNC_ARXIV_URL": "http://env/"}
    s = load_settings(cfg, overrides={"arxiv": {"url": "http://flag/"}}, environ=env)
    assert s.arxiv.url == "http://flag/"
    assert s.arxiv.delay == 1.5
    assert s.arxiv.batch_size == 100
    assert s.arxiv.max_retries == 5


def test_database_url_defaults_beside_config(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text("")
    s = load_settings(cfg, environ={})
    assert s.database_url == f"sqlite:///{tmp_path.resolve()}/diffsync.db"
    s = load_settings(cfg, environ={"DIFFSYNC_DATABASE_URL": "sqlite:///x.db"})
    assert s.database_url == "sqlite:///x.db"


@pytest.mark.parametrize("text", ["[arxiv]\nnope = 1\n", "[nosuch]\n", "[arxiv]\ndelay = 'fast'\n", "not toml ["])
def test_bad_config_is_a_config_error(tmp_path, text):
    cfg = tmp_path / "config.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError):
        load_settings(cfg, environ={})


def test_bad_env_value_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="arxiv.max_retries"):
        load_settings(None, environ={"DIFFSYNC_ARXIV_MAX_RETRIES": "many"})


def test_shipped_config_matches_defaults():
    from dataclasses import fields, is_dataclass

    from diffsync.config import Settings
    s = load_settings(paths.REPO / "config.toml", environ={})
    d = Settings()
    sections = [f.name for f in fields(Settings) if is_dataclass(getattr(d, f.name))]
    assert {"arxiv", "database", "list", "check", "schedule", "report", "venues"} <= set(sections)
    for name in sections:  # every section, [list] too
        assert getattr(s, name) == getattr(d, name), name
