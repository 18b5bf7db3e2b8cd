"""Writing outputs safely: atomically, and never over an input file."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from iro_stats.errors import UsageError


def check_target(path: str | Path, inputs: list[str | Path] = ()) -> Path:
    """Return the output path, refusing one that is an input or whose folder is missing."""
    path = Path(path)
    for given in inputs:
        given = Path(given)
        if path.exists() and given.exists() and os.path.samefile(path, given):
            raise UsageError(f"{path}: this is one of the input files; choose another "
                             "--output so the extract is not overwritten")
        if given.is_dir() and path.resolve().parent == given.resolve() \
                and path.suffix.lower() in (".csv", ".xlsx", ".xlsm", ".xls", ".ods"):
            raise UsageError(f"{path}: this would add a file to the input folder "
                             f"{given}, where the next run would read it; write it elsewhere")
    if not path.parent.exists():
        raise UsageError(f"{path}: the folder {path.parent} does not exist; create it first")
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; give a file name for --output")
    return path


@contextmanager
def atomic_path(path: str | Path, inputs: list[str | Path] = ()):
    """Yield a temporary path beside `path`; on success it replaces `path` in one step."""
    path = check_target(path, inputs)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix,
                                    dir=path.parent)
    os.close(handle)
    # mkstemp makes the file private (0600); give it the mode a normal new file gets, so a
    # pack saved to a shared drive can be opened by colleagues.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temp, 0o666 & ~umask)
    try:
        yield Path(temp)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_text(path: str | Path, text: str, inputs: list[str | Path] = ()) -> Path:
    """Write text (UTF-8) to path atomically and return the path."""
    with atomic_path(path, inputs) as temp:
        temp.write_text(text, encoding="utf-8", newline="")
    return Path(path)
