"""Rules cases found by checking the real lists against a stand-in arXiv.

Each test is a constructed case of a defect seen there; names and titles
are real papers' public metadata, used as facts.
"""

from __future__ import annotations

from datetime import date

from diffsync.models import Kind, SearchMatch
from diffsync.rules import compare, search_key
from test_rules_helpers import entry, record

CONTROLNET = record("Adding Conditional Control to Text-to-Image Diffusion Models",
                    ("Lvmin Zhang", "Anyi Rao", "Maneesh Agrawala"), "2302.05543")


def test_missing_id_names_shared_authors_of_a_match_read_back_from_storage():
    # The pipeline reloads stored matches without their shared authors.
    e = entry("Adding Conditional Control to Text-to-Image Diffusion Models",
              ("Lvmin Zhang", "Maneesh Agrawala"), None)
    stored = SearchMatch(record=CONTROLNET, score=100.0)
    found = compare([e], {}, searches={search_key(e): stored})
    missing = [f for f in found if f.kind is Kind.MISSING_ID]
    assert len(missing) == 1
    assert "shared authors: Lvmin Zhang, Maneesh Agrawala)" in missing[0].message
