"""Replace a file all at once, so a crash never leaves it half-written.

Used for the list (export), derived files (``export -o``) and the daemon's
report: a temporary file beside the target, fsync, rename, fsync of the
folder.  Temporary files are named ``.NAME.diffsync-PID-RANDOM.tmp``, so a
later write recognises the leftovers of a killed run (its process gone) and
removes them.  Just before the rename the target can be checked against the
bytes the caller planned from, so a concurrent edit is refused, not lost.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import DiffsyncError, ListChangedError


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Read once at import, in the main thread: os.umask() sets while it reads, which
# would race with the daemon's worker threads if done per write.
_UMASK = _read_umask()

TEMP_MARK = "diffsync"


@dataclass(frozen=True)
class FileSnapshot:
    """What a file was when it was read: a write may demand it is still so."""

    sha256: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: str | os.PathLike[str], data: bytes) -> FileSnapshot:
        st = os.stat(path)
        return cls(hashlib.sha256(data).hexdigest(), st.st_size, st.st_mtime_ns)


def backup_path(path: str | os.PathLike[str]) -> Path:
    p = Path(os.path.realpath(path))
    return p.with_name(p.name + ".bak")


def _leftover_pattern(target: Path) -> re.Pattern[str]:
    name = re.escape(target.name)
    # Ours, and those of diffsync before 0.2 (mkstemp's 8 random characters).
    return re.compile(rf"^\.{name}\.(?:{TEMP_MARK}-(?P<pid>\d+)-[a-z0-9_]+|[a-z0-9_]{{8}})\.tmp$")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, not ours to signal
    return True


def remove_leftovers(target: Path) -> list[Path]:
    """Delete temporary files a killed write to ``target`` left behind; those removed."""
    pattern = _leftover_pattern(target)
    removed = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        m = pattern.match(name)
        if m is None or (m.group("pid") and _alive(int(m.group("pid")))):
            continue
        leftover = target.parent / name
        try:
            if leftover.is_file() and not leftover.is_symlink():
                leftover.unlink()
                removed.append(leftover)
        except OSError:
            pass
    return removed


def refuse_symlink(path: str | os.PathLike[str], what: str) -> None:
    """Derived files are never written through a symlink: it could point at anything."""
    if os.path.islink(path):
        raise DiffsyncError(f"{path}: is a symbolic link; diffsync does not write the {what} "
                            "through a link (remove it or choose another path)")


def write_atomic(path: str | os.PathLike[str], data: bytes, *, backup: bool = False,
                 mode: int | None = None, follow_symlink: bool = True,
                 expect: FileSnapshot | None = None) -> None:
    """Replace ``path`` by ``data`` all at once: a temporary file beside it, fsync, rename.

    The file's mode is kept, or is ``mode`` when given; a new file gets 0666
    less the umask, as ``open`` would give it; a backup gets the file's own
    mode.  A symlinked ``path`` keeps pointing at the (updated) target, unless
    ``follow_symlink`` is false: then a symlink is refused.  With ``backup``
    the previous contents are kept as ``PATH.bak`` (never through a symlink).
    With ``expect``, the file must still be that snapshot just before the
    rename (``ListChangedError`` otherwise).  On any failure the original is
    untouched and no temporary file is left behind.
    """
    if not follow_symlink:
        refuse_symlink(path, "file")
    target = Path(os.path.realpath(path))
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise DiffsyncError(f"cannot write {path}: {exc.strerror or exc}") from None
    # A rename replaces even a read-only file when the folder is writable: ask first.
    if st is not None and (not st.st_mode & 0o222 or not os.access(target, os.W_OK)):
        raise DiffsyncError(f"cannot write {path}: the file is read-only; it is unchanged")
    if backup and st is not None:
        refuse_symlink(backup_path(target), "backup")
    remove_leftovers(target)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.{TEMP_MARK}-{os.getpid()}-",
                                   suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is None:
            mode = 0o666 & ~_UMASK if st is None else st.st_mode & 0o7777
        os.chmod(tmp, mode)
        if st is not None:
            try:
                os.chown(tmp, st.st_uid, st.st_gid)
            except OSError:
                pass  # not ours to give away; the mode is what matters
        if backup and st is not None:
            write_atomic(backup_path(target), target.read_bytes(), mode=st.st_mode & 0o7777,
                         follow_symlink=False)
        if expect is not None:
            _still_as_planned(path, target, expect)
        os.replace(tmp, target)
        tmp = None
        _fsync_dir(target.parent)
    except OSError as exc:
        raise DiffsyncError(f"cannot write {path}: {exc.strerror or exc}; the file is unchanged") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _still_as_planned(path: str | os.PathLike[str], target: Path, expect: FileSnapshot) -> None:
    try:
        now = FileSnapshot.of(target, target.read_bytes())
    except OSError as exc:
        raise ListChangedError(f"{path}: cannot re-read it before writing ({exc.strerror or exc}); "
                               "it is unchanged") from None
    if now != expect:
        raise ListChangedError(f"{path}: changed while export ran (another edit); nothing written, "
                               f"run diffsync check {path} again")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
