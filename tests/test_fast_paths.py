"""The shortcuts that keep a check's local part fast give the same results as the long way."""

from __future__ import annotations

import gc
from dataclasses import replace

import pytest

from diffsync.config import Settings
from diffsync.listfile.parse import parse_list
from diffsync.check.pipeline import run_check
from diffsync.store.store import Store

from helpers.storage import T0, record

LIST = (b"# Papers\n\n"
        b"**Elucidating the Design Space**\\\n*Tero Karras, Miika Aittala*\\\n"
        b"arXiv 2022. [[Paper](https://arxiv.org/abs/2206.00364)]\\\n1 Jun 2022\n\n"
        b"**Another Paper**\\\n*Ada Bo*\\\n[[Paper](https://arxiv.org/abs/2112.10752)]\n")


def entry_rows(store_url: str) -> list[tuple]:
    import sqlalchemy as sa

    engine = sa.create_engine(store_url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.exec_driver_sql(
                "SELECT position, title FROM entries ORDER BY position")]
    finally:
        engine.dispose()


def test_unchanged_list_keeps_its_entry_rows_and_a_changed_one_replaces_them(db_url):
    parsed = parse_list(LIST, "l.md")
    with Store.open(db_url) as store:
        lid = store.list_id("l.md")
        store.save_entries(lid, parsed)
        # Same bytes (sha256) and entry count: the rows are not rewritten.
        renamed = tuple(replace(e, title="Renamed") for e in parsed.entries)
        store.save_entries(lid, replace(parsed, entries=renamed))
        assert entry_rows(db_url) == [(0, "Elucidating the Design Space"), (1, "Another Paper")]
        assert store.list_state(lid).sha256 == parsed.sha256
        # Other bytes: replaced.
        store.save_entries(lid, replace(parsed, sha256="other", entries=renamed[:1]))
        assert entry_rows(db_url) == [(0, "Renamed")]
        assert store.list_state(lid).sha256 == "other"
        # Same bytes but another entry count (e.g. a parser that reads more): replaced.
        store.save_entries(lid, replace(parsed, sha256="other", entries=renamed))
        assert entry_rows(db_url) == [(0, "Renamed"), (1, "Renamed")]


@pytest.mark.parametrize("enabled_before", [True, False])
def test_check_leaves_the_garbage_collector_as_it_found_it(tmp_path, enabled_before):
    path = tmp_path / "l.md"
    path.write_bytes(LIST)
    settings = Settings()
    settings = replace(settings, database=replace(settings.database,
                                                  url=f"sqlite:///{tmp_path / 'd.db'}"))
    was = gc.isenabled()
    try:
        gc.enable() if enabled_before else gc.disable()
        with Store.open(settings.database_url) as store:
            store.save_records([record(), record("2112.10752", title="Another Paper",
                                                 authors=("Ada Bo",))], T0)
        result = run_check(settings, path, offline=True)
        assert gc.isenabled() is enabled_before
        assert result.summary.entries == 2
        assert result.summary.open == 0
        # Also when the check fails.
        path.write_bytes(b"")
        with pytest.raises(Exception):
            run_check(settings, path, offline=True)
        assert gc.isenabled() is enabled_before
    finally:
        gc.enable() if was else gc.disable()


@pytest.mark.parametrize("url", [
    "https://arxiv.org/abs/2206.00364", "http://arxiv.org//abs/2206.00364",
    "https://arxiv.org/abs/2206.00364?context=cs", "https://arxiv.org/abs/2206.00364#x",
    " https://arxiv.org/abs/2206.00364", "https://arxiv.org/\t/abs/2206.00364",
    "https://arxiv.org/abs/2206.00364\u00a0", "https://arxiv.org/pdf/2206.00364.pdf",
    "//arxiv.org/abs/2206.00364", "arxiv.org//abs/2206.00364", "https://[::1/abs/1",
])
@pytest.mark.parametrize("broken", [False, True])
def test_link_check_shortcut_agrees_with_parsing_the_url(url, broken):
    from urllib.parse import urlsplit

    from diffsync.drift import links
    from diffsync.models import Entry, Link, Span

    entry = Entry(line=1, section=None, span=Span(0, 1), title="T", title_span=Span(0, 1),
                  links=(Link("Paper", url, Span(0, 1), Span(0, 1), broken),))
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        is_arxiv = host == "arxiv.org" or host.endswith(".arxiv.org")
        junk = bool(parts.query or parts.fragment or "//" in parts.path or url != url.strip())
    except ValueError:
        is_arxiv = junk = False
    assert (links.check_links(entry) is not None) == (is_arxiv and (broken or junk))


@pytest.mark.parametrize("names", [("Tero Karras", "Miika Aittala"), ("†",), ("Jr.", "Ada Bo")])
def test_identical_author_lists_diff_as_the_name_by_name_match_does(names):
    from diffsync.drift import authors

    # A longer arXiv list compared as an "et al." prefix takes the name-by-name path.
    by_name = authors.diff_authors(names, names + ("Zed Zulu",), is_truncated=True)
    assert authors.diff_authors(names, names) == by_name


def test_identical_titles_are_no_drift_even_when_strict():
    from diffsync.drift import fields as fieldrules
    from diffsync.models import Entry, Span

    rec = record(title="Elucidating  the Design Space")
    entry = Entry(line=1, section=None, span=Span(0, 1), title=rec.title, title_span=Span(0, 1))
    assert fieldrules.title_rule(entry, rec, strict=True) is None
    assert fieldrules.title_rule(replace(entry, title="elucidating the design space"), rec, strict=True)
    assert fieldrules.title_rule(replace(entry, title="elucidating the design space"), rec, strict=False) is None


def test_entry_read_in_one_pass_keeps_nested_text_comments_and_link_versions():
    from diffsync.arxivapi.atom import parse_feed

    feed = parse_feed(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        b'<id>http://arxiv.org/abs/2101.00001</id><!-- c --><title>A <b>bold</b> title<!--x--> end</title>'
        b'<published>2021-01-01T00:00:00Z</published><link href="http://arxiv.org/abs/2101.00001v3"/>'
        b'<author><name>X <i>Y</i></name></author><author><name></name></author></entry>'
        b'<entry><id>https://arxiv.org/api/errors#x</id><title>Error</title><summary>bad</summary></entry>'
        b'<entry><title>no id</title></entry></feed>')
    (rec,) = feed.records
    assert (rec.arxiv_id, rec.version, rec.title, rec.authors) == ("2101.00001", 3, "A bold title end", ("X Y",))
    assert rec.updated == rec.published
    assert (feed.errors, feed.skipped) == (("bad",), 1)


@pytest.mark.parametrize("url, expected", [
    ("https://arxiv.org/abs/2206.00364", ("2206.00364", None)),
    ("http://www.arxiv.org/abs/2206.00364v2", ("2206.00364", 2)),
    ("https://export.arxiv.org/pdf/2206.00364v3.pdf", ("2206.00364", 3)),
    ("https://arxiv.org/abs/2206.00364/", ("2206.00364", None)),
    ("https://arxiv.org/abs/0612.1234", None),  # new-style IDs start in April 2007
    ("https://arxiv.org/abs/1412.12345", None),  # five digits only from 2015
    ("https://arxiv.org/abs/2213.00001", None),
    ("https://arxiv.org/abs/2206.00364\n", ("2206.00364", None)),
    ("https://arxiv.org:443/abs/2206.00364", ("2206.00364", None)),
    ("https://ARXIV.org/abs/2206.00364", ("2206.00364", None)),
    ("https://arxiv.org/abs/2206.00364?context=cs", ("2206.00364", None)),
    ("https://xarxiv.org/abs/2206.00364", None),
])
def test_arxiv_urls_read_with_or_without_the_plain_form_shortcut(url, expected):
    from diffsync import arxivid

    found = arxivid.from_url(url)
    assert (None if found is None else (found.id, found.version)) == expected


def test_schema_head_read_from_the_scripts_is_alembics(tmp_path):
    from diffsync.store import migrate, schemahead

    assert schemahead.plain_head(migrate.migrations_dir() / "versions") == migrate.head_revision()
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "a.py").write_text('revision = "a1"\ndown_revision = None\n')
    (versions / "b.py").write_text("revision: str = 'b2'\ndown_revision: Union[str, None] = 'a1'\n")
    assert schemahead.plain_head(versions) == "b2"
    (versions / "c.py").write_text('revision = "c3"\ndown_revision = "a1"\n')  # two heads
    assert schemahead.plain_head(tmp_path / "versions2") is None  # no scripts at all
    schemahead.plain_head.cache_clear()
    assert schemahead.plain_head(versions) is None


@pytest.mark.e2e  # a real process or server
def test_check_of_an_up_to_date_database_does_not_import_alembic(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "l.md"
    path.write_bytes(LIST)
    url = f"sqlite:///{tmp_path / 'd.db'}"
    with Store.open(url):
        pass  # created at head (this imports Alembic here, not in the child)
    code = ("import sys\nfrom diffsync.cli import main\n"
            f"sys.argv = ['diffsync', 'check', {str(path)!r}, '--offline', '--database-url', {url!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_check_thaws_what_it_froze_and_leaves_anothers_freeze(tmp_path):
    path = tmp_path / "l.md"
    path.write_bytes(LIST)
    settings = Settings()
    settings = replace(settings, database=replace(settings.database,
                                                  url=f"sqlite:///{tmp_path / 'd.db'}"))
    gc.unfreeze()
    run_check(settings, path, offline=True)
    assert gc.get_freeze_count() == 0
    gc.freeze()  # e.g. a server that froze its start-up heap
    try:
        frozen = gc.get_freeze_count()
        run_check(settings, path, offline=True)
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("data", [
    b"**T\xe2\x82**\n*A \xff B*\r\n[[Paper](https://arxiv.org/abs/2206.00364)]\r\n1 Jun 2022",
    "**Tête**\n*Björn Ommer*\n[[Paper](https://arxiv.org/abs/2206.00364)] x\n".encode(),
])
def test_spans_of_lines_decoded_in_one_go_point_at_the_right_bytes(data):
    entry = parse_list(data).entries[0]
    assert data[entry.title_span.start:entry.title_span.end].decode("utf-8", "replace") == entry.title
    assert data[entry.authors_span.start:entry.authors_span.end].decode("utf-8", "replace") == entry.authors_text
    (link,) = entry.links
    assert data[link.url_span.start:link.url_span.end] == b"https://arxiv.org/abs/2206.00364"
    assert entry.span.end == len(data) or data[entry.span.end - 1:entry.span.end] == b"\n"


def test_check_options_take_config_for_flags_not_given_and_never_search_offline(tmp_path):
    from diffsync.check.pipeline import CheckOptions
    from diffsync.config import load_settings

    config = tmp_path / "config.toml"
    config.write_text("[check]\nmax_age = 7.0\n", encoding="utf-8")
    settings = load_settings(config, environ={})
    assert settings.check.max_age == 7.0
    given = CheckOptions.resolve(settings, max_age_hours=2.5, strict=True, search=True)
    assert (given.max_age, given.strict, given.search) == (2.5, True, True)
    defaults = CheckOptions.resolve(settings)
    assert (defaults.max_age, defaults.strict, defaults.search) == \
        (settings.check.max_age, settings.check.strict, settings.check.search)
    assert CheckOptions.resolve(settings, offline=True, search=True).search is False
    assert CheckOptions.resolve(settings).stopping() is False
    assert CheckOptions.resolve(settings, should_stop=lambda: True).stopping() is True
