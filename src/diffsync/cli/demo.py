"""``diffsync demo``: the whole loop on a bundled example, offline, in seconds.

A newcomer's first command must work on a fresh machine with or without
network, so the demo serves the bundled example papers from the fake arXiv
in this process on 127.0.0.1 and runs the real commands against a copy of
the bundled list in a folder of its own.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Optional

import typer

from ..errors import UsageError
from .common import app

_NEXT_STEPS = """\
That was the whole loop, on a copy in {folder}
(the fake arXiv served the papers; nothing left this machine).

Next, on your own list (this talks to arXiv, one request every 3 s):

  diffsync check path/to/list.md        # report drift; exit 1 if any
  diffsync review path/to/list.md       # accept / ignore / skip, one by one
  diffsync export path/to/list.md       # the diff of what you accepted
  diffsync export path/to/list.md --write
  diffsync add 2208.12242 path/to/list.md -u HEADING  # add a paper
"""


@app.command()
def demo(
    folder: Optional[Path] = typer.Option(
        None, "--dir", metavar="DIR",
        help="Run in this new folder and keep it (default: a temporary folder, removed)."),
) -> None:
    """Try diffsync offline: check, accept and export on a bundled example list.

    Copies a small list with planted drift into a folder of its own, serves
    its papers from the bundled fake arXiv on 127.0.0.1, and runs check,
    accept and export there. Your files, database and config are not touched.

    Example:  diffsync demo --dir ./try-diffsync
    """
    from ..fake_arxiv import FakeArxiv
    from ..fake_arxiv.example import EXAMPLE_LIST, example_papers
    from ..fake_venues import FakeVenues, World
    from ..fake_venues.fromlist import world_from_list

    if folder is not None and folder.exists():
        raise UsageError(f"{folder}: already exists; --dir takes a new folder")
    work = (folder or Path(tempfile.mkdtemp(prefix="diffsync-demo-"))).resolve()  # it chdirs there
    work.mkdir(parents=True, exist_ok=True)
    try:
        papers = example_papers()
        # The venue sources know the example's venues, and a few of its preprints were published.
        world, _ = world_from_list(Path(EXAMPLE_LIST).read_bytes(), {
            r.arxiv_id: (r.title, r.authors, r.published.year) for r in papers}, every=3, most=2,
            move_listed=False)
        with FakeArxiv(papers) as fake, FakeVenues(World(world)) as venues:
            _run_loop(work, fake.url, venues)
    finally:
        if folder is None:
            shutil.rmtree(work, ignore_errors=True)
    print(_NEXT_STEPS.format(folder=work if folder else "a temporary folder"))


def _run_loop(work: Path, arxiv_url: str, venues: Any) -> None:
    from ..fake_arxiv.example import EXAMPLE_LIST

    shutil.copyfile(EXAMPLE_LIST, work / "list.md")
    config = work / "config.toml"
    config.write_text(
        f'[list]\npath = "list.md"\n\n[arxiv]\nurl = "{arxiv_url}"\ndelay = 0.05\n'
        f'backoff = 0.1\n\n[database]\nurl = "sqlite:///{(work / "diffsync.db").as_posix()}"\n\n'
        f'[venues]\nsemantic_scholar_url = "{venues.s2_url}"\nopenreview_url = "{venues.openreview_url}"\n'
        f'dblp_url = "{venues.dblp_url}"\ndelay = 0.01\n',
        encoding="utf-8")
    base = ["--config", str(config)]
    here = Path.cwd()
    os.chdir(work)  # so paths print as a user's would: list.md, a/list.md
    try:
        _step(base, "check", "list.md", expect=(0, 1))
        _step(base, "accept", "--kind", "title,authors,date,wrong_id,missing_id,link,venue", "list.md")
        _step(base, "export", "list.md")
    finally:
        os.chdir(here)


def _step(base: list[str], *args: str, expect: tuple[int, ...] = (0,)) -> None:
    shown = " ".join(args)
    print(f"\n$ diffsync {shown}", flush=True)
    # The real commands, in process: the demo shows exactly what they print.
    code = app(args=[*base, *args], prog_name="diffsync", standalone_mode=False)
    code = code if isinstance(code, int) else 0
    sys.stdout.flush()
    if code not in expect:
        raise UsageError(f"demo step 'diffsync {shown}' ended with exit {code}")
