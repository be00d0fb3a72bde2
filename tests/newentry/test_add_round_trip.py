"""`diffsync add` on the reference list: ten entries removed, added back by ID, compared byte for byte.

arXiv's side is each paper as the list states it (title, authors, v1 date,
"Accepted to …" where the entry names a venue, "Code: URL" where it links GitHub), so wherever the entry agrees
with arXiv the regenerated entry must be the original, byte for byte, at the
original's place.  What arXiv cannot know (links to code, the list's own venue
wording) and where the entry departs from its section's style are the
differences listed in EXPECTED, each with why; any other difference fails.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from diffsync.drift.venues import known_venues
from diffsync.fake_arxiv import FakeArxiv
from diffsync.listfile.parse import parse_list
from diffsync.models import PaperRecord
from helpers import paths
from helpers.cli import run_cli

pytestmark = pytest.mark.e2e

REAL_LIST = paths.SHARED_LISTS / "one-sentence-diffusion-summary.md"

# (arXiv ID, heading to add under): eight from the topic sections, two from the dated
# "New updated" sections inside <details> (whose second copy further down is removed too:
# add refuses a paper already listed).
READDED = [
    ("2302.10688", "10 Mar. 2023"),
    ("2302.03011", "16 Feb 2023"),
    ("2208.11970", "Resources / Introductory Papers"),
    ("2006.11239", "Papers / Must-read papers"),
    ("2110.02711", "Papers / Image Editing"),
    ("2207.12598", "Papers / Must-read papers"),
    ("2208.07791", "Papers / Image Generation"),
    ("2201.09865", "Papers / Image space guidance sampling"),
    ("2203.17260", "Papers / Classifier guidance sampling"),
    ("2206.05564", "Papers / Fast Sampling"),
]

# Each difference between an original entry and the one add writes: (line of the entry,
# 0-based) -> why.  Filled from reading every one of them; see the closing note of issue 17.
# Line -1: a different number of lines; -2: a different place.
TOP = "the section keeps no date order (2015, 2020, 2021, 2019, …): add puts new entries at its top"
EXPECTED: dict[str, dict[int, str]] = {
    "2302.10688": {2: 'its GitHub link is labelled "Code"; the list labels them "Github" (16 to 4)'},
    "2302.03011": {2: "the list links a project page; arXiv's record names none",
                   3: 'this date line ends " \\\\", the lines of its section end "\\\\"'},
    "2006.11239": {2: "the list links a second repository (Github2, someone else's port) that arXiv "
                      "does not name"},
    "2207.12598": {-2: TOP},
    "2208.07791": {1: "the <sup>1</sup> affiliation marks are the list's own, arXiv has none", -2: TOP},
    "2201.09865": {-2: TOP},
    "2203.17260": {2: 'arXiv confirms CVPR 2022; "CVPR2022, arXiv 2022." is this entry\'s own wording, '
                      'add writes it as the list does ("CVPR 2022.")'},
    "2110.02711": {-2: TOP},
    "2206.05564": {2: '"ICLR 2023 Submission / preprint" names a submission, which arXiv does not confirm: '
                      'add writes the placeholder "arXiv 2022."',
                   3: 'this entry writes "[Submitted on 11 Jun 2022]", its section "11 Feb 2022"', -2: TOP},
}


def _record(e) -> PaperRecord:
    when = datetime(e.date.year, e.date.month, e.date.day, tzinfo=timezone.utc)
    venue = (e.venue or "").rstrip(". ")
    said = [f"Accepted to {venue}"] if venue and known_venues(venue) else []
    code = [ln.url for ln in e.links if ln.url.startswith("https://github.com/")][:1]
    said += [f"Code: {url}" for url in code]  # as authors announce their code
    return PaperRecord(e.arxiv_id, 1, " ".join(e.title.split()), e.authors, when, when,
                       comment=". ".join(said) or None)


def _cut(data: bytes, entries) -> bytes:
    """``data`` without ``entries`` (in file order), each with the blank lines after it."""
    out, pos = [], 0
    for e in entries:
        end = e.span.end
        while end < len(data) and data[end:data.find(b"\n", end) + 1].strip() == b"":
            end = data.find(b"\n", end) + 1
        out.append(data[pos:e.span.start])
        pos = end
    out.append(data[pos:])
    return b"".join(out)


def _summary(data: bytes, e) -> str:
    return data[e.span.start:e.span.end].decode().splitlines()[-1].lstrip(" ")


@pytest.mark.skipif(not REAL_LIST.is_file(), reason="the reference list is not present")
def test_readded_entries_match_the_originals_where_they_agree_with_arxiv(tmp_path, monkeypatch, capsys,
                                                                         database_url):
    data = REAL_LIST.read_bytes()
    ids = {i for i, _ in READDED}
    copies = [e for e in parse_list(data).entries if e.arxiv_id in ids]
    originals = {}
    for e in copies:
        originals.setdefault(e.arxiv_id, e)
    # What add should give back: the list without the second copies.
    expected = _cut(data, [e for e in copies if originals[e.arxiv_id] is not e])
    want = {e.arxiv_id: e for e in parse_list(expected).entries if e.arxiv_id in ids}
    lst = tmp_path / "list.md"
    start = _cut(data, copies)
    lst.write_bytes(start)
    monkeypatch.chdir(tmp_path)
    with FakeArxiv([_record(e) for e in originals.values()]) as fake:
        for key, value in {"DATABASE_URL": database_url, "ARXIV_URL": fake.url, "ARXIV_DELAY": "0.01"}.items():
            monkeypatch.setenv("DIFFSYNC_" + key, value)
        for arxiv_id, under in READDED:
            code, _, err = run_cli(capsys, monkeypatch, "add", arxiv_id, "-l", str(lst), "--under", under,
                                   "--summary", _summary(data, originals[arxiv_id]), "--write")
            assert code == 0, (arxiv_id, err)
    new = lst.read_bytes()
    got_entries = {e.arxiv_id: e for e in parse_list(new).entries if e.arxiv_id in ids}
    # add inserted the entries (and their blank lines) and changed no other byte
    assert _cut(new, sorted(got_entries.values(), key=lambda e: e.line)) == start
    differences: dict[str, dict[int, str]] = {}
    for arxiv_id, e in want.items():
        was = expected[e.span.start:e.span.end].decode().splitlines()
        got = new[got_entries[arxiv_id].span.start:got_entries[arxiv_id].span.end].decode().splitlines()
        differ = {n: f"{a!r} -> {b!r}" for n, (a, b) in enumerate(zip(was, got)) if a != b}
        if len(was) != len(got):
            differ[-1] = f"{len(was)} lines -> {len(got)}"
        if got_entries[arxiv_id].line != e.line:
            differ[-2] = f"placed at line {got_entries[arxiv_id].line}, not {e.line}"
        if differ:
            differences[arxiv_id] = differ
    print("\n".join(f"{i}: {d}" for i, d in differences.items()))
    assert {i: set(d) for i, d in differences.items()} == {i: set(d) for i, d in EXPECTED.items()}
