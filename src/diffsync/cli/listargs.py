"""Which lists a command acts on: the LIST arguments, else every configured list.

Every command that acts on recorded findings (findings, accept, ignore, reopen, export,
decisions export) takes several lists, and with no LIST every list of the config
([list] path and [[lists]]), as ``check`` does.  A finding id is the same in two lists
that hold the same entry (``models.finding_id`` hashes the entry, not the list), so an
id given without its list is looked for in every list, and one found in several is
refused before anything is decided: a decision never lands on the wrong list.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Optional, Sequence

import typer

from ..errors import UsageError
from .common import checked_list, settings, shown_path

if TYPE_CHECKING:
    from ..store.store import Store

LISTS_OPTION = typer.Option(None, "--list", "-l", metavar="LIST",
                            help="A Markdown list; repeatable (default: every list of the config).")

Checked = list[tuple[int, Path]]  # (the store's list id, the list's path) per list


def ids_and_lists(args: Optional[Sequence[str]], options: Optional[Sequence[Path]]) -> tuple[list[str], list[Path]]:
    """Finding ids, and the lists: those given with --list, then the existing files that
    end the arguments (``accept 3f2a 91bc a.md b.md``)."""
    ids = list(args or [])
    tail: list[Path] = []
    while ids and Path(ids[-1]).is_file():
        tail.insert(0, Path(ids.pop()))
    return ids, list(dict.fromkeys([*(options or []), *tail]))


@contextmanager
def checked_lists(given: Optional[Sequence[Path]], database_url: Optional[str], *,
                  by_id: bool = False) -> Iterator[tuple[Store, Checked]]:
    """The store and every list to act on that has been checked.

    LISTs given: each of them (one never checked is a usage error naming it, before
    anything happens).  None: every configured list that was checked (a note names
    those never checked); a config with one list keeps ``checked_list``'s choice,
    except ``by_id`` (finding ids and nothing else to go by) when that list was never
    checked: then every checked list, so an id is found in its own list, not in the
    most recently checked one."""
    given = list(dict.fromkeys(given or []))
    s = settings(given[0] if given else None, database={"url": database_url})
    if not given and by_id and len(s.configured_lists()) < 2:
        from ..store.store import Store

        if Store.exists(s.database_url):
            with Store.open(s.database_url, busy_timeout=s.database.busy_timeout) as store:
                checked = [(list_id, Path(state.path)) for list_id, state in store.checked_lists()]
                if len(checked) > 1 and store.find_list(str(s.configured_lists()[0])) is None:
                    yield store, checked
                    return
    if len(given) == 1 or (not given and len(s.configured_lists()) < 2):
        with checked_list(given[0] if given else None, database_url) as (store, list_id, path):
            yield store, [(list_id, path)]
        return
    from ..store.store import Store

    if not Store.exists(s.database_url):
        raise UsageError(f"no check recorded yet ({Store.describe(s.database_url)} does not exist); "
                         "run diffsync check first")
    with Store.open(s.database_url, busy_timeout=s.database.busy_timeout) as store:
        paths = given or s.configured_lists()
        found = [(store.find_list(str(p)), p) for p in paths]
        never = [shown_path(str(p)) for list_id, p in found if list_id is None]
        if never and given:
            raise UsageError(f"no check recorded for {', '.join(never)}; run diffsync check "
                             f"{' '.join(never)} first")
        if len(never) == len(found):
            raise UsageError(f"none of the {len(found)} configured lists has been checked yet; "
                             "run diffsync check first")
        if never:
            print(f"diffsync: note: never checked: {', '.join(never)}", file=sys.stderr)
        # One list given twice (a.md, sub/../a.md) is acted on once: it is one list.
        once = {list_id: p for list_id, p in reversed(found) if list_id is not None}
        yield store, [(list_id, p) for list_id, p in found if list_id is not None and once[list_id] is p]


def ids_by_list(store: Store, checked: Checked, ids: Sequence[str], command: str) -> list[list[str]]:
    """The ids (or prefixes) ``ids`` split by the list that holds each, in ``checked``'s order.

    One list: every id is its own (the store names unknown and ambiguous ones).  Several:
    an id no list holds, or one that several lists hold, is refused with one line before
    anything is decided."""
    wanted = [i.strip() for i in ids if i.strip()]
    if len(checked) == 1:
        return [wanted]
    known = [[f.id for f in store.findings(list_id)] for list_id, _ in checked]
    split: list[list[str]] = [[] for _ in checked]
    unknown: list[str] = []
    for one in wanted:
        holders = [n for n, some in enumerate(known) if any(k.startswith(one) for k in some)]
        if len(holders) > 1:
            names = [shown_path(str(checked[n][1])) for n in holders]
            raise UsageError(f"finding {one} is in {len(holders)} lists ({', '.join(names)}); "
                             f"give its list: diffsync {command} {one} {names[0]}")
        if holders:
            split[holders[0]].append(one)
        else:
            unknown.append(one)
    if unknown:
        raise UsageError(f"unknown finding id{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)} "
                         f"(in none of {len(checked)} lists)")
    return split
