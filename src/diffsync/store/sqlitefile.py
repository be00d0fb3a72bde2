"""SQLite files: refuse one that is not a healthy SQLite database, and say why one cannot be written.

Checked before an engine opens the file, through a read-only connection,
so a foreign or damaged file is left exactly as it was found.
"""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from .. import errors

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class ReadOnly:
    why: str  # "on a read-only file system", ...
    immutable: bool  # SQLite cannot even create its -shm file: read the file as it is


def read_only(path: Path) -> ReadOnly | None:
    """Why the existing SQLite file ``path`` cannot be written by us, or None if it can."""
    try:
        if not path.is_file():
            return None
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return ReadOnly("on a read-only file system", True)
    except OSError:
        return None
    folder_writable = os.access(path.parent, os.W_OK)
    shm = Path(f"{path}-shm")
    if not os.access(path, os.W_OK):
        return ReadOnly("not writable by this user", not folder_writable and not shm.exists())
    if not folder_writable:  # SQLite writes its -wal/-shm/-journal files beside the database
        return ReadOnly("in a folder not writable by this user", not shm.exists())
    return None


def read_only_uri(path: Path, ro: ReadOnly) -> str:
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
    return uri + "&immutable=1" if ro.immutable else uri


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a healthy SQLite database, without touching it.

    A missing or empty file is a new database.  Anything else must carry
    the SQLite header and pass ``PRAGMA quick_check`` through a read-only
    connection; the -wal/-shm files such a check creates are removed again.
    """
    if path.is_dir():
        raise errors.DatabaseError(f"database {path} is a directory, not a SQLite file")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise errors.DatabaseError(f"cannot read database {path}: {exc.strerror}") from None
    if header != SQLITE_MAGIC:
        raise errors.DatabaseError(
            f"{path} is not a SQLite database; refusing to use or overwrite it")
    sidecars = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    existed = {p: p.exists() for p in sidecars}
    problem = _quick_check(path, read_only(path))
    if problem:
        # Leave the folder as we found it: drop the empty -wal/-shm our check made.
        wal = sidecars[0]
        if not existed[wal] and (not wal.exists() or wal.stat().st_size == 0):
            for p in sidecars:
                if not existed[p]:
                    try:
                        p.unlink(missing_ok=True)
                    except OSError:  # a read-only folder: nothing was made there either
                        pass
        raise errors.DatabaseError(
            f"database {path} is corrupt ({problem}); refusing to use or overwrite it")


def _quick_check(path: Path, ro: ReadOnly | None = None) -> str | None:
    """None if ``PRAGMA quick_check`` passes through a read-only connection, else why not."""
    uri = read_only_uri(path, ro or ReadOnly("", False))
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5)
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchmany(3)]
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):  # busy with a writer is not corruption
            return None
        not_corrupt = environment_problem(str(exc), path)
        if not_corrupt:
            raise errors.DatabaseError(not_corrupt) from None
        rows = [str(exc)]
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    if rows == ["ok"]:
        return None
    text = " ".join("; ".join(rows).split())
    return text if len(text) <= 160 else text[:157] + "..."


# SQLite's words for a healthy file it could not read or write: the disk, not the data.
_ENVIRONMENT = (
    ("database or disk is full", "the disk holding {db} is full; free some space and run "
                                 "again (the database itself is not damaged)"),
    ("disk i/o error", "I/O error on {db} ({error}); check the disk and its mount "
                       "(diffsync did not change the file)"),
    ("unable to open database file", "cannot open {db} ({error}); check its folder's "
                                     "permissions and free space"),
    ("readonly database", "read-only database: {db} cannot be written ({error})"),
    ("read-only file system", "read-only database: {db} is on a read-only file system"),
    ("authorization denied", "cannot open {db} ({error})"),
)


def environment_problem(error: str, path: Path | str) -> str | None:
    """What SQLite's ``error`` says about the disk rather than the file; None if it may be
    damage.  Only real damage may be called "corrupt": that word invites deleting the file,
    and every decision in it."""
    lowered = error.lower()
    for words, message in _ENVIRONMENT:
        if words in lowered:
            return message.format(db=path, error=" ".join(error.split())[:160])
    return None
