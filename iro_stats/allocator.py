"""Memory allocator settings for one command-line run over a large extract.

Cleaning a million rows makes and drops many arrays of tens of megabytes. By default
glibc hands each one back to the system when it is freed and asks for fresh pages for
the next, and on a virtual machine every fresh page costs a fault: measured on the
benchmark (docs/performance.md), half the run went on page faults. Keeping freed memory
for reuse, and letting pyarrow allocate from the same heap, roughly halves the time of
`report` on a million rows and does not raise its peak memory.

Only the command line's `main()` calls this, as the process starts: a program that
imports iro_stats, or calls the `cli` group in-process (as the tests do), keeps its own
allocator settings.
"""

from __future__ import annotations

import os
import sys

M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters, from <malloc.h>
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
KEEP = 1 << 30  # memory blocks below 1 GiB come from, and go back to, the process heap


def keep_freed_memory() -> bool:
    """Ask glibc to reuse freed memory rather than return it to the system, and pyarrow
    to allocate through glibc too; return whether the settings took (Linux with glibc)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc (musl, ...): leave it as it is
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    if not (mallopt(M_MMAP_THRESHOLD, KEEP) and mallopt(M_TRIM_THRESHOLD, KEEP)):
        return False
    # One heap for every thread (pyarrow's and ours encode columns side by side), so
    # memory one thread frees is memory another reuses: 70 MB less at the peak.
    mallopt(M_ARENA_MAX, 1)
    # Read by pyarrow when it first allocates, so only if it has not been loaded yet.
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    return True
