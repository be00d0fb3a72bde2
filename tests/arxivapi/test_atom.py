"""The Atom parser against every real recorded arXiv response, both dialects."""

from datetime import datetime, timezone

import pytest

from diffsync.arxivapi.atom import FeedError, is_withdrawn, normalise_doi, parse_feed
from diffsync.fake_arxiv import CURRENT, LEGACY, render_feed
from diffsync.models import PaperRecord
from helpers import paths

FIXTURES = paths.FIXTURES / "arxiv"


def feed(name: str):
    (path,) = FIXTURES.glob(name + "*.atom.xml")
    return parse_feed(path.read_bytes())


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def test_legacy_idlist_unwraps_title_and_normalises_dx_doi():
    f = feed("query-idlist-1601.00001")
    (r,) = f.records
    assert f.total_results == 1 and f.errors == ()
    assert r.arxiv_id == "1601.00001" and r.version == 1
    assert r.title == "Inelastic effects in molecular transport junctions: The probe technique at high bias"
    assert r.authors == ("Michael Kilgour", "Dvira Segal")
    assert r.doi == "10.1063/1.4944470"
    assert r.journal_ref == "J. Chem. Phys. 144, 124107 (2016)"
    assert r.categories == ("cond-mat.mes-hall",)
    assert r.published == r.updated == utc(2015, 12, 26, 21, 19, 45)
    assert r.comment is None and not r.withdrawn


def test_current_mixed_idlist_returns_only_the_existing_paper():
    f = feed("query-idlist-2-ids-1-nonexistent")
    (r,) = f.records
    assert f.total_results == 1
    assert r.arxiv_id == "1707.08567" and r.version == 1
    assert len(r.authors) == 34 and "Dirk Wübben" in r.authors
    assert r.title.startswith("Proceedings of Workshop AEW10: Concepts in Information Theory")
    assert r.comment.startswith("44 pages, editors for the proceedings")
    assert r.categories == ("cs.IT",)
    assert r.published == r.updated == utc(2017, 7, 27, 8, 18, 33)


def test_current_error_feed_is_an_error_not_a_paper():
    f = feed("query-idlist-malformed-id-abc")
    assert f.records == () and f.errors == ("incorrect id format for abc",)


def test_legacy_manual_error_feed_is_detected():
    f = feed("user-manual-example.error-malformed-id-1234.12345")
    assert f.records == () and f.errors == ("incorrect id format for 1234.12345",)


def test_nonexistent_id_gives_an_empty_feed():
    f = feed("query-idlist-nonexistent-id-0000.0000")
    assert f.records == () and f.errors == () and f.total_results == 0


def test_old_style_id_with_affiliations():
    (r,) = feed("query-idlist-oldstyle-astro-ph-0601001").records
    assert r.arxiv_id == "astro-ph/0601001" and r.version == 1
    assert r.journal_ref == "ActaAstron.56:1-50,2006"
    assert r.categories == ("astro-ph",)
    assert len(r.authors) == 4 and all("Ohio" not in a for a in r.authors)  # affiliations stay out


def test_current_search_page_versions_dois_and_utf8():
    f = feed("query-search-all-testing")
    assert f.total_results == 214881 and len(f.records) == 10
    by_id = {r.arxiv_id: r for r in f.records}
    first = by_id["2202.12139"]
    assert first.doi == "10.1109/ICSTW55395.2022.00035"
    assert first.categories == ("cs.SE", "cs.LG")
    fuzz = by_id["2005.14124"]
    assert fuzz.version == 2 and fuzz.published == utc(2020, 5, 28, 16, 19, 50)
    assert fuzz.updated == utc(2020, 7, 16, 8, 15, 48)
    assert any("Aurora Ramírez" in r.authors for r in f.records)
    assert all("\n" not in r.title and "  " not in r.title for r in f.records)


def test_legacy_search_page_multiline_titles_and_comments():
    f = feed("query-search-cat-cs.RO")
    assert f.total_results == 5619 and len(f.records) == 2
    first = f.records[0]
    assert first.arxiv_id == "2510.14968"
    assert first.categories == ("cs.RO", "cs.AI", "cs.CV", "cs.LG", "cs.SY", "eess.SY")
    for r in f.records:
        assert "\n" not in r.title and "  " not in r.title
        assert r.comment is None or "\n" not in r.comment


def test_manual_2007_entry_without_version_in_id_takes_it_from_the_link():
    (r,) = feed("user-manual-example.search-1-entry-hep-ex-0307015").records
    assert r.arxiv_id == "hep-ex/0307015" and r.version == 1
    assert r.published == utc(2003, 7, 7, 17, 46, 39)  # -04:00 converted to UTC
    assert r.title == "Multi-Electron Production at High Transverse Momenta in ep Collisions at HERA"
    assert r.journal_ref == "Eur.Phys.J. C31 (2003) 17-29"


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.atom.xml")), ids=lambda p: p.name[:40])
def test_every_sample_agrees_with_the_arxiv_package(path):
    """arxiv.py's own lxml parser is an independent oracle for IDs, dates and titles."""
    from arxiv import _feed as arxiv_feed

    ours = parse_feed(path.read_bytes()).records
    theirs = arxiv_feed.parse(path.read_bytes()).results
    assert [r.arxiv_id for r in ours] == [t.get_short_id().rsplit("v", 1)[0] for t in theirs]
    for r, t in zip(ours, theirs):
        assert (r.published, r.updated) == (t.published, t.updated)
        assert r.title == t.title
        assert list(r.authors) == [" ".join(a.name.split()) for a in t.authors]
        assert list(r.categories) == t.categories


def record(**kw) -> PaperRecord:
    base = dict(
        arxiv_id="2206.00364", version=3,
        title="Elucidating the Design Space of Diffusion-Based Generative Models and a rather long title to force wrapping",
        authors=("Tero Karras", "Miika Aittala"), published=utc(2022, 6, 1, 17, 0), updated=utc(2022, 10, 11, 9, 0),
        comment="NeurIPS 2022 oral", journal_ref="NeurIPS 2022", doi="10.5555/3600270.3602196",
        categories=("cs.CV", "cs.LG", "stat.ML"),
    )
    return PaperRecord(**(base | kw))


def test_both_dialects_parse_to_the_same_record():
    rec = record()
    legacy = render_feed([rec], total=1, start=0, max_results=1, dialect=LEGACY)
    current = render_feed([rec], total=1, start=0, max_results=1, dialect=CURRENT)
    assert b"\n  " in legacy and b"dx.doi.org" in legacy  # really the legacy shape
    assert parse_feed(legacy).records == parse_feed(current).records == (rec,)


@pytest.mark.parametrize("body", [b"", b"   \n", b"<html><body>Access Denied</body></html>", b"<feed xmlns='http://www.w3.org/2005/Atom'><entry>", b"not xml at all"])
def test_bodies_that_are_not_atom_feeds_raise(body):
    with pytest.raises(FeedError):
        parse_feed(body)


def test_entry_without_id_is_skipped_not_a_paper():
    body = (b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>x</title></entry></feed>")
    f = parse_feed(body)
    assert f.records == () and f.skipped == 1 and f.total_results is None


@pytest.mark.parametrize(
    "comment,withdrawn",
    [
        ("This paper has been withdrawn", True),
        ("This paper has been withdrawn by the author due to a crucial sign error in equation 1", True),
        ("Withdrawn: superseded by arXiv:2101.00001", True),
        ("withdrawn by the authors", True),
        ("This submission has been withdrawn by arXiv administrators", True),
        ("Paper withdrawn due to an error in the proof", True),
        ("We withdraw this paper because of a flaw", True),
        ("10 pages; discusses withdrawn drugs in pharmacovigilance", False),
        ("Accepted at NeurIPS 2022", False),
        (None, False),
    ],
)
def test_withdrawn_is_inferred_from_the_comment(comment, withdrawn):
    assert is_withdrawn(comment) is withdrawn


@pytest.mark.parametrize("text", ["10.1/x", "http://dx.doi.org/10.1/x", "https://doi.org/10.1/x", " 10.1/x\n"])
def test_doi_forms_normalise(text):
    assert normalise_doi(text) == "10.1/x"
