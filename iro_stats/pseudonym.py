"""Pseudonyms for child IDs: a keyed hash (HMAC-SHA256), the same each month for one key.

There is no default key: a key in the code would let anyone who has the code turn a
7-digit child ID into its pseudonym, and so undo it by trying every ID. The council
keeps the key apart from the files; the same key gives the same pseudonym every month,
so per-child files from different months still line up.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from iro_stats.errors import DataError, UsageError

ENV_VAR = "IRO_STATS_KEY"
MIN_KEY_LENGTH = 16
LENGTH = 16  # hex digits kept: 64 bits, so two children sharing one is out of reach
MAKE_KEY = 'python -c "import secrets; print(secrets.token_hex(32))" > iro-stats.key'


def load_key(key_file: str | Path | None = None, environ=None) -> bytes:
    """Return the key from key_file, else from the IRO_STATS_KEY environment variable."""
    environ = os.environ if environ is None else environ
    if key_file is not None:
        path = Path(key_file)
        try:
            key = path.read_bytes().strip()
        except FileNotFoundError:
            raise UsageError(f"{path}: no such key file; check the --key-file path")
        except OSError as exc:
            raise UsageError(f"{path}: the key file cannot be read ({exc.strerror})")
        where = str(path)
    elif environ.get(ENV_VAR):
        key = environ[ENV_VAR].strip().encode("utf-8")
        where = f"the {ENV_VAR} environment variable"
    else:
        raise UsageError(f"--pseudonymise needs a key: give --key-file FILE or set {ENV_VAR}; "
                         f"make one with: {MAKE_KEY}")
    if len(key) < MIN_KEY_LENGTH:
        raise UsageError(f"{where}: the key is {len(key)} characters; use at least "
                         f"{MIN_KEY_LENGTH} random ones, e.g. made with: {MAKE_KEY}")
    return key


def pseudonym(key: bytes, child_id: str) -> str:
    """Return the pseudonym of a child ID: the first 16 hex digits of its HMAC-SHA256."""
    return hmac.new(key, child_id.encode("utf-8"), hashlib.sha256).hexdigest()[:LENGTH]


def pseudonymiser(key: bytes):
    """Return a function child ID -> pseudonym that refuses to give two IDs one pseudonym."""
    seen: dict[str, str] = {}

    def convert(child_id: str) -> str:
        name = pseudonym(key, child_id)
        if seen.setdefault(name, child_id) != child_id:  # about 1 in 10^10 for 10^5 children
            raise DataError(f"two child IDs share the pseudonym {name}; use a new key")
        return name
    return convert
