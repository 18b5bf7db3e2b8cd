"""Writing outputs safely: atomically, never over an input file or another output, and
child-level files readable by their owner only."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from iro_stats.errors import UsageError

EXTRACT_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".ods")


def check_target(path: str | Path, inputs: list[str | Path] = ()) -> Path:
    """Return the output path, refusing one that is an input or whose folder is missing."""
    path = Path(path)
    for given in inputs:
        given = Path(given)
        if path.exists() and given.exists() and os.path.samefile(path, given):
            raise UsageError(f"{path}: this is one of the input files; write to another "
                             "file so the extract is not overwritten")
        if given.is_dir() and path.resolve().parent == given.resolve() \
                and path.suffix.lower() in EXTRACT_SUFFIXES:
            raise UsageError(f"{path}: this would add a file to the input folder "
                             f"{given}, where the next run would read it; write it elsewhere")
    if not path.parent.exists():
        raise UsageError(f"{path}: the folder {path.parent} does not exist; create it first")
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; give a file name")
    return path


def _same(a: Path, b: Path) -> bool:
    """Return whether two paths name one file: links followed, hard links compared by
    inode where both exist."""
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def check_outputs(outputs: list[tuple[str, str | Path | None]],
                  inputs: list[str | Path] = ()) -> None:
    """Refuse, before any work, two outputs that are one file, or an output that is an
    input or would land in an input folder as an extract. outputs: (what the message calls
    it, e.g. the CLI's option "--rejects"; its path or None)."""
    given = [(name, Path(p)) for name, p in outputs if p is not None]
    for i, (name, path) in enumerate(given):
        for other, other_path in given[:i]:
            if _same(path, other_path):
                raise UsageError(f"{other} {other_path} and {name} {path} are the same file; "
                                 "give each its own name")
        for source in map(Path, inputs):
            if source.is_dir():
                if path.suffix.lower() in EXTRACT_SUFFIXES \
                        and _same(Path(os.path.realpath(path)).parent, source):
                    raise UsageError(f"{name} {path} would add a file to the input folder "
                                     f"{source}, where the next run would read it; write it "
                                     "elsewhere")
            elif _same(path, source):
                raise UsageError(f"{name} {path} is the input file {source}; write to another "
                                 "file so the extract is not overwritten")


@contextmanager
def atomic_path(path: str | Path, inputs: list[str | Path] = (), private: bool = False):
    """Yield a temporary path beside `path`; on success it replaces `path` in one step.

    private: the file holds child-level data, so on POSIX systems it is readable and
    writable by its owner only (mode 600), whatever the umask.
    """
    path = check_target(path, inputs)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix,
                                    dir=path.parent)
    os.close(handle)
    if not private or os.name != "posix":
        # mkstemp makes the file private (0600); give a committee file the mode a normal
        # new file gets, so a pack saved to a shared drive can be opened by colleagues.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
    try:
        yield Path(temp)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_text(path: str | Path, text: str, inputs: list[str | Path] = (),
               private: bool = False) -> Path:
    """Write text (UTF-8) to path atomically and return the path."""
    with atomic_path(path, inputs, private) as temp:
        temp.write_text(text, encoding="utf-8", newline="")
    return Path(path)
