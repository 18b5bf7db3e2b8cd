"""Pseudonyms for child IDs: a keyed hash (HMAC-SHA256), the same each month for one key.

There is no default key: a key in the code would let anyone who has the code turn a
7-digit child ID into its pseudonym, and so undo it by trying every ID. The council
keeps the key apart from the files; the same key gives the same pseudonym every month,
so per-child files from different months still line up.
"""

from __future__ import annotations

import codecs
import hashlib
import hmac
import os
import string
from pathlib import Path

from iro_stats.errors import DataError, UsageError

ENV_VAR = "IRO_STATS_KEY"
MIN_KEY_BYTES = 32
MIN_DISTINCT_BYTES = 16
LENGTH = 16  # hex digits kept: 64 bits, so two children sharing one is out of reach
MAKE_KEY = 'python -c "import secrets; print(secrets.token_hex(32))" > iro-stats.key'
# A key file saved by Notepad or PowerShell may be UTF-8 with a BOM or UTF-16: the key is
# its text, so the same key gives the same pseudonyms whichever way it was saved.
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"))


def _key_bytes(raw: bytes) -> bytes:
    """Return the key a file holds: its text as UTF-8 without a BOM, or its bytes, trimmed."""
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(encoding).strip().encode("utf-8")
            except UnicodeDecodeError:
                break
    return raw.strip()


def _variety(key: bytes) -> int:
    """Return how many distinct bytes the key's material has: of the bytes a hex key
    stands for (64 hex digits can show only 16 distinct characters), else of the key."""
    text = key.decode("ascii", "replace")
    if len(text) % 2 == 0 and text and all(ch in string.hexdigits for ch in text):
        return len(set(bytes.fromhex(text)))
    return len(set(key))


def load_key(key_file: str | Path | None = None, environ=None) -> bytes:
    """Return the key from key_file, else from the IRO_STATS_KEY environment variable.

    The key is read as bytes; it must be at least 32 bytes with at least 16 distinct ones.
    """
    environ = os.environ if environ is None else environ
    if key_file is not None:
        path = Path(key_file)
        try:
            key = _key_bytes(path.read_bytes())
        except FileNotFoundError:
            raise UsageError(f"{path}: no such key file; check its path")
        except OSError as exc:
            raise UsageError(f"{path}: the key file cannot be read ({exc.strerror})")
        where = str(path)
    elif environ.get(ENV_VAR):
        key = environ[ENV_VAR].strip().encode("utf-8")
        where = f"the {ENV_VAR} environment variable"
    else:
        raise UsageError(f"pseudonyms need a key: give a key file or set {ENV_VAR}; make "
                         f"one with: {MAKE_KEY}")
    if len(key) < MIN_KEY_BYTES:
        raise UsageError(f"{where}: the key is {len(key)} bytes; use at least "
                         f"{MIN_KEY_BYTES} random ones, made with: {MAKE_KEY}")
    if _variety(key) < MIN_DISTINCT_BYTES:
        raise UsageError(f"{where}: the key repeats itself ({_variety(key)} distinct bytes, "
                         f"fewer than {MIN_DISTINCT_BYTES}), so it is easy to guess; make a "
                         f"random one with: {MAKE_KEY}")
    return key


def key_warning(key_file: str | Path | None) -> str | None:
    """Return a warning when the key file can be read by other users (POSIX), else None."""
    if key_file is None or os.name != "posix":
        return None
    mode = Path(key_file).stat().st_mode
    if mode & 0o044:
        return (f"{key_file} can be read by other users of this computer, and with it "
                f"anyone can link pseudonyms back to children; make it yours only: "
                f"chmod 600 {key_file}")
    return None


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
