"""Where the configuration and the database are: they follow the list, not the current folder.

A command run from any folder of a list's repository finds the same config and
database: the config is looked for beside the list and in its parent folders up
to the repository root, then in the current folder and its parents up to its
repository root.  With no config, the database lives at the list's repository
root (or beside the list outside a repository).  A database an earlier version
created in the current folder keeps working where it is, with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CONFIG_NAME = "config.toml"
DATABASE_NAME = "diffsync.db"
# A folder holding one of these is a repository root; the search stops there.
REPO_MARKERS = (".git", ".hg", ".svn")


def repo_root(folder: Path) -> Path | None:
    """The repository ``folder`` is in (the nearest folder with .git, .hg or .svn), if any."""
    for d in (folder, *folder.parents):
        if any((d / marker).exists() for marker in REPO_MARKERS):
            return d
    return None


def upward(folder: Path) -> list[Path]:
    """``folder`` and its parents up to its repository root; only ``folder`` outside one."""
    root = repo_root(folder)
    if root is None:
        return [folder]
    chain = [folder]
    while chain[-1] != root:
        chain.append(chain[-1].parent)
    return chain


def _folder_of(list_path: Path | None) -> Path | None:
    return None if list_path is None else Path(list_path).expanduser().resolve().parent


def find_config(list_path: Path | None, cwd: Path) -> Path | None:
    """The config.toml that goes with ``list_path`` (or with ``cwd`` when there is no list)."""
    places: list[Path] = []
    folder = _folder_of(list_path)
    if folder is not None:
        places += upward(folder)
    places += upward(cwd.resolve())
    for place in dict.fromkeys(places):
        candidate = place / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class DatabaseFile:
    path: Path
    note: str | None = None  # said when an existing database elsewhere was chosen


def default_database(config_dir: Path | None, list_path: Path | None, cwd: Path) -> DatabaseFile:
    """The default SQLite file: beside the config found, else at the list's repository root.

    If that file does not exist yet but a database does where an earlier version put it
    (the current folder), that one is used and the note says so: never an empty history
    beside a full one without a word.
    """
    cwd = cwd.resolve()
    anchor = _folder_of(list_path) or cwd
    home = config_dir if config_dir is not None else (repo_root(anchor) or anchor)
    chosen = home / DATABASE_NAME
    if chosen.exists():
        return DatabaseFile(chosen)
    others = [cwd / DATABASE_NAME]
    if config_dir is not None:  # a config added later, beside a list already checked
        others.append((repo_root(anchor) or anchor) / DATABASE_NAME)
    for other in dict.fromkeys(others):
        if other != chosen and other.exists():
            return DatabaseFile(other, note=(
                f"using the existing database {other}; the default place for this list is now "
                f"{chosen} (move the file there, or set [database] url, to keep one history)"))
    return DatabaseFile(chosen)
