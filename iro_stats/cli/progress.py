"""Progress on stderr for a step that takes a while: a line that says what is being
done and for how long (and how far, when the step can tell), shown only when stderr is
a terminal and the step has run longer than AFTER seconds, and cleared when it ends.
Redirected to a file or read by a program, stderr gets nothing from here."""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager

AFTER = 2.0  # seconds before a step shows its progress
EVERY = 0.5  # seconds between updates
ENV = "IRO_STATS_PROGRESS_AFTER"  # another delay, in seconds (tests use 0)

_shown = threading.Lock()  # the line on screen: written by one thread at a time
_current: list["Progress"] = []


class Progress:
    """The state of one step; `update(done, total)` is the library's callback."""

    def __init__(self, what: str, stream):
        self.what, self.stream = what, stream
        self.started = time.monotonic()
        self.done = self.total = 0
        self.width = 0  # of the line on screen, 0 when none is

    def update(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def line(self) -> str:
        seconds = int(time.monotonic() - self.started)
        if self.total:
            return (f"{self.what}: {self.done:,} of {self.total:,} rows "
                    f"({100 * self.done // self.total}%), {seconds} s")
        return f"{self.what}... {seconds} s"

    def show(self) -> None:
        with _shown:
            text = self.line()
            self.stream.write("\r" + text.ljust(self.width))
            self.stream.flush()
            self.width = len(text)

    def clear(self) -> None:
        with _shown:
            if self.width:
                self.stream.write("\r" + " " * self.width + "\r")
                self.stream.flush()
                self.width = 0


@contextmanager
def progress(what: str):
    """Yield a Progress for a step described by `what` ("reading the extracts"); its line
    appears once the step has run AFTER seconds, if stderr is a terminal."""
    stream = sys.stderr
    step = Progress(what, stream)
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):
        terminal = False
    if not terminal:
        yield step
        return
    try:
        after = float(os.environ.get(ENV, AFTER))
    except ValueError:
        after = AFTER
    finished = threading.Event()

    def tick():
        if after and finished.wait(after):
            return
        while True:  # shown at least once when there is no delay
            step.show()
            if finished.wait(EVERY):
                return

    ticker = threading.Thread(target=tick, name="progress", daemon=True)
    _current.append(step)
    ticker.start()
    try:
        yield step
    finally:
        finished.set()
        ticker.join()
        step.clear()
        _current.remove(step)


def clear() -> None:
    """Take any progress line off the screen, so a message can be printed in its place
    (the next update draws it again below)."""
    for step in _current:
        step.clear()
