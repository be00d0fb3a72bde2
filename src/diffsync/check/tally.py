"""What one run did with arXiv, for every list it checks: counted as it happens."""

from __future__ import annotations

from dataclasses import dataclass, field

from .compare import Unchecked


@dataclass
class RunTally:
    # One accumulator per run, not a value each stage returns: a stage that fails half-way
    # has still made requests, and the failed run's log must count them.
    requests: int = 0
    fetched_ids: set[str] = field(default_factory=set)  # papers fetched (or found missing)
    searched_keys: set[str] = field(default_factory=set)  # entries title-searched
    unchecked: dict[str, str] = field(default_factory=dict)  # ID or search key -> why
    # Answers that could not be read or stored: what (an ID or a search) -> warning line.
    unreadable: dict[str, str] = field(default_factory=dict)
    interrupted: bool = False

    @property
    def fetched(self) -> int:
        return len(self.fetched_ids)

    @property
    def searched(self) -> int:
        return len(self.searched_keys)

    def skip(self, what: str, warning: str) -> None:
        """One paper or search is left unchecked this run; the run goes on."""
        self.unchecked[what] = warning
        self.unreadable[what] = warning

    def share(self, ids: list[str], keys: list[str]) -> Unchecked:
        """One list's part: its papers and entries (the requests are the whole run's)."""
        mine = set(ids) | set(keys)
        return Unchecked(fetched=len(self.fetched_ids.intersection(ids)), requests=self.requests,
                         searched=len(self.searched_keys.intersection(keys)),
                         unchecked=frozenset(mine.intersection(self.unchecked)),
                         unreadable=frozenset(mine.intersection(self.unreadable)))

    def unreadable_of(self, ids: list[str], keys: list[str]) -> dict[str, str]:
        mine = set(ids) | set(keys)
        return {what: w for what, w in self.unreadable.items() if what in mine}

    def warnings(self, ids: list[str], keys: list[str]) -> list[str]:
        return list(self.unreadable_of(ids, keys).values())

    def note(self, ids: list[str], keys: list[str]) -> str | None:
        """The run log's line on what this list left unchecked."""
        mine = set(ids) | set(keys)
        reasons = [w for what, w in self.unchecked.items() if what in mine]
        if not reasons:
            return None
        return f"{len(reasons)} papers unchecked this run ({reasons[0]})"
