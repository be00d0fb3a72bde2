"""Which entry of the list a finding was raised on (``own_entry``), found through an index built once.

Export, its read-back check and the finding re-keying ask this for every
accepted finding; scanning the entries each time made a 3,000-fix export
quadratic (2.6 s of its time).  ``EntryIndex`` groups the entries by key
once, so each question costs the few entries sharing that key.
"""

from __future__ import annotations

from ..models import Entry, Finding, ParsedList, finding_id


class EntryIndex:
    """The entries of one parsed list by key, in list order, to answer ``own_entry`` per finding."""

    def __init__(self, parsed: ParsedList) -> None:
        self.parsed = parsed  # the entries around a finding's, for fixes written like its neighbours
        self._by_key: dict[str, list[Entry]] = {}
        for e in parsed.entries:
            self._by_key.setdefault(e.key, []).append(e)

    def own_entry(self, f: Finding) -> Entry | None:
        """The one entry the finding was raised on: its key at its line, else its copy number.

        Never every entry of the paper: a decision belongs to the entry it was made
        on, and a twin elsewhere in the list is left to its own finding.
        """
        same_key = self._by_key.get(f.entry_key, ())
        at_line = [e for e in same_key if e.line == f.line]
        if len(at_line) == 1:
            return at_line[0]
        # Lines moved (an export inserted a line above): the finding id names the copy.
        for n, e in enumerate(same_key):
            if finding_id(f.kind, e.key, n) == f.id:
                return e
        return None

