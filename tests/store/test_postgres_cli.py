"""Pointing diffsync at PostgreSQL: URL spellings, the ``[database] url`` key,
migrations, and the errors a user sees (one line, exit 3, no password).
The database tests run when DIFFSYNC_TEST_POSTGRES_URL is set (.ci/run sets it)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from diffsync.dburl import parse_url
from helpers.cli import run_cli
from helpers.shared_lists import PAPERS, entry


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    """``cli(url, *args)``: the real CLI in-process with DIFFSYNC_DATABASE_URL=url."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIFFSYNC_CONFIG", raising=False)

    def run(url: str | None, *args: str) -> tuple[int, str, str]:
        if url is None:
            monkeypatch.delenv("DIFFSYNC_DATABASE_URL", raising=False)
        else:
            monkeypatch.setenv("DIFFSYNC_DATABASE_URL", url)
        return run_cli(capsys, monkeypatch, *args)
    return run


def tables(url: str) -> set[str]:
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def spelled(url: str, drivername: str) -> str:
    return sa.engine.make_url(url).set(drivername=drivername).render_as_string(hide_password=False)


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "postgres+psycopg", "postgresql+psycopg"])
def test_every_usual_spelling_of_a_postgres_url_is_postgresql(scheme):
    url = parse_url(f"{scheme}://u:p@db.example:5433/diffsync")
    assert url.get_backend_name() == "postgresql"
    assert (url.host, url.port, url.database) == ("db.example", 5433, "diffsync")


def test_db_current_changes_nothing_then_upgrade_migrates(cli, postgres_url):
    code, out, err = cli(postgres_url, "db", "current", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["current"] is None and doc["up_to_date"] is False
    assert tables(postgres_url) == set()

    # The libpq spelling (postgres://) works as well as SQLAlchemy's.
    code, out, err = cli(spelled(postgres_url, "postgres"), "db", "upgrade")
    assert code == 0, err
    assert "(latest)" in out
    assert {"papers", "lists", "entries", "findings", "runs", "alembic_version"} <= tables(postgres_url)
    code, out, _ = cli(postgres_url, "db", "current", "--json")
    assert json.loads(out)["up_to_date"] is True


def test_config_key_points_check_at_postgres(cli, postgres_url, tmp_path):
    lst = tmp_path / "list.md"
    lst.write_text("# L\n\n" + entry(PAPERS[0]), encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{postgres_url}"\n\n[list]\npath = "list.md"\n',
                      encoding="utf-8")
    code, out, err = cli(None, "--config", str(config), "check", "--offline", "--json")
    assert code == 3 and "1 not compared" in err, err  # offline, never fetched: checked is not claimed
    assert json.loads(out)["summary"]["entries"] == 1
    assert not (tmp_path / "diffsync.db").exists()  # nothing fell back to SQLite
    assert "lists" in tables(postgres_url)


def test_unreachable_server_is_one_line_exit_3_without_the_password(cli, tmp_path):
    lst = tmp_path / "list.md"
    lst.write_text("# L\n\n" + entry(PAPERS[0]), encoding="utf-8")
    url = "postgresql+psycopg://diffsync:s3cret-pw@127.0.0.1:9/diffsync"  # port 9: refused
    for args in (("check", str(lst), "--offline"), ("findings", str(lst)), ("db", "current"),
                 ("status",)):
        code, out, err = cli(url, *args)
        assert code == 3, (args, err)
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, (args, err)
        assert "s3cret-pw" not in err + out and "127.0.0.1:9" in err, (args, err)


def test_unknown_database_kind_is_refused_in_one_line(cli, tmp_path):
    code, _, err = cli("mysql://u:s3cret-pw@localhost/x", "db", "current")
    assert code == 3 and "use sqlite or postgresql" in err and "s3cret-pw" not in err
