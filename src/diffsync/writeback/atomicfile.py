"""Replace a file all at once, so a crash never leaves it half-written.

Used for the list (export) and the daemon's report: a temporary file beside
the target, fsync, rename, fsync of the folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import DiffsyncError


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Read once at import, in the main thread: os.umask() sets while it reads, which
# would race with the daemon's worker threads if done per write.
_UMASK = _read_umask()


def backup_path(path: str | os.PathLike[str]) -> Path:
    p = Path(path)
    return p.with_name(p.name + ".bak")


def write_atomic(path: str | os.PathLike[str], data: bytes, *, backup: bool = False,
                 mode: int | None = None) -> None:
    """Replace ``path`` by ``data`` all at once: a temporary file beside it, fsync, rename.

    The file's mode is kept, or is ``mode`` when given; a new file gets 0666
    less the umask, as ``open`` would give it (not mkstemp's owner-only 0600);
    a backup gets the file's own mode.  A symlink keeps pointing at the (updated) target.
    With ``backup`` the previous contents are kept as ``PATH.bak``.  On any
    failure the original is untouched and no temporary file is left behind.
    """
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
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is None:
            mode = 0o666 & ~_UMASK if st is None else st.st_mode & 0o7777
        os.chmod(tmp_name, mode)
        if st is not None:
            try:
                os.chown(tmp_name, st.st_uid, st.st_gid)
            except OSError:
                pass  # not ours to give away; the mode is what matters
        if backup and st is not None:
            write_atomic(backup_path(target), target.read_bytes(), mode=st.st_mode & 0o7777)
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_dir(target.parent)
    except OSError as exc:
        raise DiffsyncError(f"cannot write {path}: {exc.strerror or exc}; the file is unchanged") from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


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
