"""Writing outputs safely: atomically, never over an input file or another output,
child-level files readable by their owner only, and a pack's files together or not at all.
A write the system refuses (permissions, a full disk) is one line naming the file."""

from __future__ import annotations

import errno
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from iro_stats.errors import DataError, UsageError

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
    not_special(path)
    if path.is_symlink():  # write the file the link names, and keep the link
        path = Path(os.path.realpath(path))
    return path


def not_special(path: Path, name: str = "") -> None:
    """Refuse an existing output that is not a regular file (a device such as /dev/full, a
    pipe): the output is written beside it and renamed into place, which would replace the
    device itself."""
    if path.exists() and not path.is_file() and not path.is_dir():
        raise UsageError(f"{name + ' ' if name else ''}{path}: not a regular file (a device "
                         "or pipe); give the name of a file to write")


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
        not_special(path, name)
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
    # A pack's file is held under the name it was given (write_together), whatever
    # check_target resolves a link to.
    held = _held.get(Path(path).absolute())
    path = check_target(path, inputs)
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix,
                                        dir=path.parent)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    os.close(handle)
    if not private or os.name != "posix":
        # mkstemp makes the file private (0600); give a committee file the mode a normal
        # new file gets, so a pack saved to a shared drive can be opened by colleagues.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
    try:
        yield Path(temp)
        os.replace(temp, held or path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise cannot_write(path, exc) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_text(path: str | Path, text: str, inputs: list[str | Path] = (),
               private: bool = False) -> Path:
    """Write text (UTF-8) to path atomically and return the path."""
    with atomic_path(path, inputs, private) as temp:
        temp.write_text(text, encoding="utf-8", newline="")
    return Path(path)


FULL = (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC))
DENIED = (errno.EACCES, errno.EPERM, errno.EROFS)


def cannot_write(path: str | Path, exc: OSError) -> DataError:
    """Return the one-line error for a write the system refused, having let go of what
    the failed write held: a file whose buffer cannot be flushed to a full disk would
    otherwise print a traceback of its own when it is freed, after the error line."""
    _release(exc)
    path = Path(path)
    reason = exc.strerror or str(exc)
    if exc.errno in FULL:
        return DataError(f"{path}: not enough space to write it ({reason}); free some "
                         "space or write to another drive, then run again")
    if exc.errno in DENIED:
        return DataError(f"{path}: cannot write in {path.parent or '.'} ({reason}); choose a "
                         "folder you can write to, or ask for access to this one")
    return DataError(f"{path}: cannot write it ({reason}); check the drive and the folder, "
                     "then run again")


def _release(exc: BaseException) -> None:
    """Free the objects a failed write's frames hold (open files first), with the
    errors their closing raises kept quiet: the write has already failed."""
    import gc
    import sys
    import traceback

    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        while exc is not None:
            traceback.clear_frames(exc.__traceback__)
            exc = exc.__context__
        gc.collect()
    finally:
        sys.unraisablehook = hook


def make_folder(path: str | Path) -> Path:
    """Return the folder, made (with its parents) when missing."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    return path


# --- files written as one unit (the monthly pack) -------------------------------------

LOCK_WAIT = 5.0  # seconds a second run waits for the first to finish writing
PARTIAL = ".partial"  # a file being written: never read as an extract, swept when stale


class Busy(DataError):
    """Another process is writing the same files."""


@contextmanager
def lock(stem: str | Path, wait: float | None = None):
    """Hold a lock on the files named `stem`.* (a folder's `iro-escalations-2018-12`
    pack) while the block runs: a second process asking for it waits up to `wait`
    seconds (LOCK_WAIT), then raises Busy. The system lets go of it when the process
    ends, however it ends. Files a killed run left half-written are removed once held."""
    stem = Path(stem)
    with _unwind_on_signals():  # so the lock file goes too when the run is stopped
        yield from _locked(stem, LOCK_WAIT if wait is None else wait)


def _locked(stem: Path, wait: float):
    import time

    path = stem.with_name(f".{stem.name}.lock")
    deadline = time.monotonic() + wait
    while True:
        try:
            handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise cannot_write(path, exc) from None
        if _try_lock(handle) and _still_there(handle, path):
            break
        os.close(handle)
        if time.monotonic() >= deadline:
            raise Busy(f"{stem.parent}: another iro-stats run is writing {stem.name} here; "
                       "let it finish, then run again")
        time.sleep(0.1)
    try:
        for stale in stem.parent.glob(f"*{stem.name}*{PARTIAL}"):
            stale.unlink(missing_ok=True)
        yield
    finally:
        if os.name == "posix":  # elsewhere an open file cannot be removed: it stays
            path.unlink(missing_ok=True)
        os.close(handle)


def _try_lock(handle: int) -> bool:
    """Return whether this process now holds the lock on the open file."""
    try:
        if os.name == "posix":
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            import msvcrt

            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _still_there(handle: int, path: Path) -> bool:
    """Return whether the locked file is still the one at path: a run that finished
    removed its lock file, and one made since is the lock to take."""
    if os.name != "posix":
        return True
    try:
        return os.path.samestat(os.fstat(handle), os.stat(path))
    except FileNotFoundError:
        return False


# path -> the temporary file it is written to until write_together puts it in place
_held: dict[Path, Path] = {}


@contextmanager
def write_together(paths: list[Path], inputs: list[str | Path] = ()):
    """Hold back the files written to `paths` inside the block (by atomic_path, under
    temporary names in the same folder); when the block ends well, put them all in place
    at once (an old set is replaced whole, or kept whole if a rename fails); when it does
    not, on an error, Ctrl-C or SIGTERM, remove them."""
    paths = [check_target(p, inputs) for p in paths]
    temps: list[Path] = []
    with _unwind_on_signals():
        try:
            for path in paths:
                try:
                    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=PARTIAL,
                                                    dir=path.parent)
                except OSError as exc:
                    raise cannot_write(path, exc) from None
                os.close(handle)
                temps.append(Path(temp))
                _held[path.absolute()] = Path(temp)
            yield
            with _signals_held():
                if _signalled:  # interrupted, though nothing unwound
                    _unwind(_signalled[0])
                _replace_all(list(zip(temps, paths)))
        finally:
            for path, temp in zip(paths, temps):
                _held.pop(path.absolute(), None)
                temp.unlink(missing_ok=True)


def _replace_all(pairs: list[tuple[Path, Path]]) -> None:
    """Rename each new file over its path; if one cannot be, put every old file back."""
    done: list[tuple[Path, Path | None]] = []  # (path, where its old file waits)
    try:
        for temp, path in pairs:
            old = None
            if path.exists():
                old = temp.with_name(temp.name + ".old")
                os.replace(path, old)
            done.append((path, old))
            os.replace(temp, path)
    except OSError as exc:
        failed = path
        for path, old in reversed(done):
            if old is not None:
                os.replace(old, path)
            else:
                path.unlink(missing_ok=True)
        raise DataError(f"{failed}: cannot replace it ({exc.strerror or exc}); close it if it "
                        "is open (in Excel or Word), then run again; no file was changed") \
            from None
    for _, old in done:
        if old is not None:
            old.unlink(missing_ok=True)


# Ctrl-C and SIGTERM received since the outermost _unwind_on_signals began (a lock held,
# files being written); _watching: how many of those blocks are running.
_signalled: list[int] = []
_watching: list[bool] = []


@contextmanager
def _unwind_on_signals():
    """While the block runs, Ctrl-C and SIGTERM unwind the process (SIGTERM ending it
    with status 143) so the files being written are removed, and each is remembered: one
    that lands while Python runs a cleanup callback is swallowed there ("Exception
    ignored in..."), so write_together looks here before it puts anything in place."""
    import signal
    import sys
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(number, frame):
        _signalled.append(number)
        _unwind(number)

    def quiet(unraisable):  # the signal is remembered; its echo in a callback is noise
        if not isinstance(unraisable.exc_value, (KeyboardInterrupt, SystemExit)):
            hook(unraisable)

    if not _watching:
        _signalled.clear()
    numbers = [n for n in ("SIGINT", "SIGTERM") if hasattr(signal, n)]
    before = {n: signal.signal(getattr(signal, n), stop) for n in numbers}
    hook, sys.unraisablehook = sys.unraisablehook, quiet
    _watching.append(True)
    try:
        yield
    finally:
        _watching.pop()
        sys.unraisablehook = hook
        for name, handler in before.items():
            signal.signal(getattr(signal, name), handler)


def _unwind(number: int):
    """Raise what a signal means here: KeyboardInterrupt for Ctrl-C (click says
    "Aborted!", status 1), SystemExit(143) for SIGTERM."""
    import signal

    if number == signal.SIGINT:
        raise KeyboardInterrupt
    raise SystemExit(128 + number)


@contextmanager
def _signals_held():
    """Hold Ctrl-C and SIGTERM back (where the system allows) while the renames run, so
    they are all done or, on an error, all undone."""
    import signal
    import threading

    if not hasattr(signal, "pthread_sigmask") \
            or threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
