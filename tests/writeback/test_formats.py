"""JSON, CSV and BibTeX export of the corrected entries."""

from __future__ import annotations

import csv
import io
import json

import pytest

from diffsync.writeback.formats import (CorrectedEntry, bibtex_escape, corrected_entries, to_bibtex,
                                     to_csv, to_json)
from diffsync.models import Kind
from helpers.builders import paper
from helpers.export import DDPM, finding, parsed


def _entries(accepted=()):
    return corrected_entries(parsed(), {DDPM.arxiv_id: DDPM, "2202.00512": PD}, accepted)


PD = paper("2202.00512", "Progressive Distillation for Fast Sampling of Diffusion Models",
            ("Tim Salimans", "Jonathan Ho"), "2022-02-01", ("cs.LG", "stat.ML"))


def test_json_has_canonical_and_listed_fields():
    data = json.loads(to_json(_entries()))["entries"]
    first = data[0]
    assert first["title"] == DDPM.title and first["listed"]["title"] == "Denoising Diffusion Probabilistic Modles"
    assert first["authors"] == list(DDPM.authors) and first["published"] == "2020-06-19"
    assert first["venue"] == "NeurIPS 2020." and first["links"][1]["label"] == "Github"
    assert len(data) == 8


def test_accepted_missing_id_gives_the_entry_its_arxiv_record():
    entries = _entries([finding(Kind.MISSING_ID, 23, "2202.00512")])
    pd = next(c for c in entries if c.entry.line == 23)
    assert pd.arxiv_id == "2202.00512" and pd.title == PD.title


def test_csv_round_trips_and_defuses_formulas():
    rows = list(csv.DictReader(io.StringIO(to_csv(_entries()))))
    assert rows[0]["arxiv_id"] == "2006.11239" and rows[0]["authors"] == "Jonathan Ho; Ajay Jain; Pieter Abbeel"
    assert rows[0]["listed_authors"] == "Jonathan Ho; Ajay Jain; Pieter Abbel"
    evil = paper("2006.11239", "=HYPERLINK(\"x\")", ("A B",), "2020-06-19")
    rows = list(csv.DictReader(io.StringIO(to_csv(corrected_entries(parsed(), {evil.arxiv_id: evil})))))
    assert rows[0]["title"] == "'=HYPERLINK(\"x\")"


def test_bibtex_is_citable():
    bib = to_bibtex(_entries([finding(Kind.MISSING_ID, 23, "2202.00512")]))
    assert bib.count("@misc{") == 7  # DDPM listed twice, cited once
    pd = bib[bib.index("@misc{salimans2022progressive,"):].split("\n}\n")[0]
    assert "  author        = {Tim Salimans and Jonathan Ho}" in pd
    assert "  eprint        = {2202.00512}" in pd and "  archivePrefix = {arXiv}" in pd
    assert "  primaryClass  = {cs.LG}" in pd and "  year          = {2022}" in pd
    assert "  note          = {ICLR 2022}" in pd
    assert bib.count("{") == bib.count("}")


@pytest.mark.parametrize("raw, escaped", [
    ("Fast & Cheap 100% _really_ #1", r"Fast \& Cheap 100\% \_really\_ \#1"),
    (r"Already \& escaped", r"Already \& escaped"),
    (r"$\epsilon$-prediction with $x_t^2$", r"$\epsilon$-prediction with $x_t^2$"),
    (r"\textit{Score} matching", r"\textit{Score} matching"),
    ("Unbalanced } brace {", r"Unbalanced \} brace {}"),
    ("a ~ b ^ c", r"a \textasciitilde{} b \textasciicircum{} c"),
])
def test_bibtex_escape(raw, escaped):
    assert bibtex_escape(raw) == escaped


def test_citation_keys_are_unique():
    twin = paper("2101.00001", "Denoising Diffusion Again", ("Jonathan Ho",), "2020-01-01")
    e = parsed().entries[0]
    bib = to_bibtex([CorrectedEntry(e, "2006.11239", DDPM), CorrectedEntry(e, "2101.00001", twin)])
    assert "@misc{ho2020denoising," in bib and "@misc{ho2020denoisinga," in bib
