"""Columns as arrays: text held by pyarrow, codes into distinct values, integer keys
packed into one, runs of a sorted key. Nothing here knows what the columns hold.

pyarrow imports pandas (a sixth of a second) the first time it converts a Python or
numpy value, or gives an array to numpy. A command that never needs pandas would pay for
it all the same, so arrays cross between numpy and pyarrow here by their buffers, and
Python strings become pyarrow text through their bytes: pandas stays unloaded. Likewise
pyarrow's kernels are called by name (`call`): `pyarrow.compute` makes a Python function
for each of its three hundred as it loads (0.05 s), for a command that calls a dozen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import pyarrow as pa
from pyarrow._compute import (CastOptions, DictionaryEncodeOptions, MatchSubstringOptions,
                              SetLookupOptions, SliceOptions, TrimOptions,
                              call_function)

TEXT = pa.large_string()
CODED = pa.dictionary(pa.int32(), TEXT)  # text as codes into its distinct values
_INTS = {np.dtype(np.int8): pa.int8(), np.dtype(np.int32): pa.int32(),
         np.dtype(np.int64): pa.int64()}
__all__ = ["CastOptions", "MatchSubstringOptions", "SetLookupOptions"]  # for callers of call()


def call(kernel: str, *args, options=None):
    """Return what one of pyarrow's compute kernels gives for the arguments."""
    return call_function(kernel, list(args), options)
_NUMPY = {pa.int8(): np.int8, pa.int16(): np.int16, pa.int32(): np.int32,
          pa.int64(): np.int64, pa.uint8(): np.uint8, pa.uint32(): np.uint32,
          pa.uint64(): np.uint64, pa.float64(): np.float64}


# --- crossing between numpy and pyarrow ------------------------------------------------

def numpy_of(array: "pa.Array | pa.ChunkedArray") -> np.ndarray:
    """Return a pyarrow integer or boolean array (no missing values) as a numpy array."""
    if isinstance(array, pa.ChunkedArray):
        parts = [numpy_of(chunk) for chunk in array.chunks]
        if not parts:
            return np.zeros(0, dtype=bool if pa.types.is_boolean(array.type) else np.int64)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)
    if pa.types.is_boolean(array.type):
        bits = np.frombuffer(array.buffers()[1], dtype=np.uint8)
        return np.unpackbits(bits, bitorder="little", count=array.offset + len(array)) \
            [array.offset:].astype(bool)
    dtype = _NUMPY[array.type]
    return np.frombuffer(array.buffers()[1], dtype=dtype)[array.offset:
                                                          array.offset + len(array)]


def arrow_of(values: np.ndarray) -> pa.Array:
    """Return a numpy integer array as a pyarrow array of the same type, sharing memory,
    or a boolean array as a pyarrow boolean array."""
    if values.dtype == bool:
        return pa.Array.from_buffers(pa.bool_(), len(values), [
            None, pa.py_buffer(np.packbits(values, bitorder="little"))])
    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(_INTS[values.dtype], len(values),
                                 [None, pa.py_buffer(values)])


def text_of(strings: Iterable[str | None]) -> pa.Array:
    """Return Python strings as pyarrow text; None is a missing value."""
    strings = list(strings)
    missing = [s is None for s in strings]
    data = [b"" if s is None else s.encode("utf-8", "surrogatepass") for s in strings]
    offsets = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in data], out=offsets[1:])
    validity = None
    if any(missing):
        validity = pa.py_buffer(np.packbits(~np.array(missing), bitorder="little"))
    return pa.Array.from_buffers(TEXT, len(data), [validity, pa.py_buffer(offsets),
                                                   pa.py_buffer(b"".join(data))],
                                 null_count=sum(missing))


def decoded(column: "pa.Array | pa.ChunkedArray") -> "pa.Array | pa.ChunkedArray":
    """Return a column of text as text, not as codes into a dictionary."""
    if pa.types.is_dictionary(column.type):
        return call("cast", column, options=CastOptions(column.type.value_type))
    return column


def take(column: "pa.Array | pa.ChunkedArray", rows: np.ndarray) -> "pa.Array":
    """Return a pyarrow column's values at the given positions, as one array."""
    taken = call("take", column, arrow_of(rows.astype(np.int64, copy=False)))
    return taken.combine_chunks() if isinstance(taken, pa.ChunkedArray) else taken


def lengths(column: "pa.Array | pa.ChunkedArray") -> np.ndarray:
    """Return each text's length in bytes."""
    return numpy_of(call("binary_length", decoded(column)))


# --- text: what is blank, and trimming -------------------------------------------------

def blank(column: "pa.Array | pa.ChunkedArray") -> np.ndarray:
    """Return, for each text, whether it is empty or only white space (as str.strip()
    judges it: pyarrow and Python agree on which characters are white space)."""
    if pa.types.is_dictionary(column.type):  # each distinct text judged once
        chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
        parts = [blank(c.dictionary)[numpy_of(c.indices)] for c in chunks]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)
    return (lengths(column) == 0) | numpy_of(call("utf8_is_space", column))


def strip(column: "pa.Array | pa.ChunkedArray") -> "pa.Array | pa.ChunkedArray":
    """Return the texts with white space at either end removed (str.strip())."""
    return call("utf8_trim_whitespace", decoded(column))


# --- codes into distinct values --------------------------------------------------------

@dataclass
class Coded:
    """A column as a code per row into its distinct values: values[codes] is the column.

    values: a pyarrow array (text) or a numpy object array (Python values, such as a
    workbook's cells). Equal codes mean equal values, but a value may be held more than
    once (once per part joined)."""

    codes: np.ndarray  # int32
    values: "pa.Array | np.ndarray"

    def objects(self) -> np.ndarray:
        """Return the distinct values as a numpy object array of Python values."""
        if isinstance(self.values, np.ndarray):
            return self.values
        out = np.empty(len(self.values), dtype=object)
        out[:] = self.values.to_pylist()
        return out


def encode(column: "pa.Array | pa.ChunkedArray | np.ndarray") -> Coded:
    """Return a column as codes into its distinct values: pyarrow text is hashed by
    pyarrow; Python values (a workbook's cells) by a dict, equal values sharing a code."""
    if isinstance(column, np.ndarray):
        index: dict = {}
        codes = np.fromiter((index.setdefault(_hashable(v), len(index)) for v in column),
                            dtype=np.int32, count=len(column))
        values = np.empty(len(index), dtype=object)
        values[:] = [_unhashable(k) for k in index]
        return Coded(codes, values)
    if pa.types.is_dictionary(column.type):  # encoded as parsed: one table of values
        encoded = column.unify_dictionaries() if isinstance(column, pa.ChunkedArray) \
            else column
    else:
        encoded = call("dictionary_encode", column, options=DictionaryEncodeOptions("encode"))
    if isinstance(encoded, pa.ChunkedArray):
        chunks = encoded.chunks
        if not chunks:
            return Coded(np.zeros(0, dtype=np.int32), text_of([]))
        # One table of values serves every chunk: the last chunk's holds them all.
        codes = numpy_of(pa.chunked_array([c.indices for c in chunks]))
        return Coded(codes.astype(np.int32, copy=False), chunks[-1].dictionary)
    return Coded(numpy_of(encoded.indices).astype(np.int32, copy=False), encoded.dictionary)


def _hashable(value):
    # 1, 1.0 and True are equal as dict keys; as cells they are not the same.
    return (type(value), value) if isinstance(value, (bool, int, float)) else value


def _unhashable(key):
    return key[1] if isinstance(key, tuple) else key


def join(parts: Sequence[Coded]) -> Coded:
    """Return the codes of several columns joined end to end (values of the later parts
    numbered after the earlier parts')."""
    if len(parts) == 1:
        return parts[0]
    codes, offset = [], 0
    for part in parts:
        codes.append(part.codes + offset)
        offset += len(part.values)
    if any(isinstance(p.values, np.ndarray) for p in parts):
        values = np.concatenate([p.objects() for p in parts])
    else:
        values = pa.concat_arrays([p.values for p in parts])
    return Coded(np.concatenate(codes).astype(np.int32, copy=False), values)


def text_keys(column: "pa.ChunkedArray", leading_zeros: bool = True) \
        -> tuple[np.ndarray, int]:
    """Return a key per text, equal where the texts are once stripped, -1 where a text is
    blank, and a bound every key is below. leading_zeros=False: texts of digits alone
    that differ only in leading zeros ('0012345', '12345') share a key too (`unpadded`).

    Texts that are each a number after a prefix they all share ("WF-1024", "1024") are
    keyed by that number, read by a few passes over the column; others are hashed, one
    by one, which takes three times as long on a million IDs."""
    numbered = _numbered(column, leading_zeros)
    if numbered is not None:
        return numbered
    coded = encode(column)
    stripped = strip(coded.values)
    codes = coded.codes
    if not leading_zeros:
        stripped = unpadded(stripped)
    if (lengths(stripped) != lengths(coded.values)).any():
        again = encode(stripped)
        codes, stripped = again.codes[codes], again.values
    key = codes.astype(np.int64)
    blank = lengths(stripped) == 0
    if blank.any():
        key[blank[codes]] = -1
    return key, len(stripped)


def _numbered(column: "pa.ChunkedArray", leading_zeros: bool = True) \
        -> tuple[np.ndarray, int] | None:
    """Return text_keys of texts that are a number after a shared prefix (blank ones
    aside): each text's number less the least; None for other texts, or numbers too
    far apart to key in 32 bits."""
    size = lengths(column)
    filled = np.flatnonzero(size)
    if not len(filled):
        return None
    first = column[int(filled[0])].as_py()
    prefix = first.rstrip("0123456789")
    digits, width = column, size
    ok = numpy_of(call("ascii_is_decimal", column)) if not prefix else \
        numpy_of(call("starts_with", column, options=MatchSubstringOptions(prefix)))
    if prefix:
        digits = call("utf8_slice_codeunits", column, options=SliceOptions(len(prefix)))
        width = size - len(prefix.encode("utf-8"))
        ok &= numpy_of(call("ascii_is_decimal", digits))
    ok &= width <= 18
    if leading_zeros or prefix:
        # A leading zero counts: '007' and '7' are different IDs, but the same number.
        ok &= ~numpy_of(call("starts_with", digits, options=MatchSubstringOptions("0"))) \
            | (width == 1)
    blank = size == 0
    if not (ok | blank).all():
        return None
    if blank.any():
        digits = call("if_else", arrow_of(blank), text_of(["0"])[0], digits)
    number = numpy_of(call("cast", digits, options=CastOptions(pa.int64())))
    low, high = number[filled].min(), number[filled].max()
    if high - low >= 1 << 32:
        return None
    key = number - low
    key[blank] = -1
    return key, int(high - low) + 1


def unpadded(texts: "pa.Array | pa.ChunkedArray") -> "pa.Array | pa.ChunkedArray":
    """Return the texts with those of digits alone written without their leading zeros
    ('0012345' -> '12345', '000' -> '0'); other texts as they are."""
    texts = decoded(texts)
    padded = call("and", call("ascii_is_decimal", texts),
                  call("starts_with", texts, options=MatchSubstringOptions("0")))
    if not call("any", padded).as_py():
        return texts
    trimmed = call("utf8_ltrim", texts, options=TrimOptions("0"))
    zero = text_of(["0"])[0]
    trimmed = call("if_else", call("equal", call("binary_length", trimmed), pa.scalar(0)),
                   zero, trimmed)
    return call("if_else", padded, trimmed, texts)


def renumber(values: np.ndarray) -> np.ndarray:
    """Return a code for each value (hashable Python values, or numbers) such that equal
    values, and only they, share a code."""
    if values.dtype != object:
        return np.unique(values, return_inverse=True)[1].reshape(-1).astype(np.int32)
    index: dict = {}
    return np.fromiter((index.setdefault(_hashable(v), len(index)) for v in values),
                       dtype=np.int32, count=len(values))


# --- integer keys -----------------------------------------------------------------------

def bits(values: np.ndarray) -> int:
    """Return how many bits the largest of some non-negative integers needs."""
    return max(int(values.max()).bit_length(), 1) if len(values) else 1


def pack(parts: list[np.ndarray], widths: list[int] | None = None) -> np.ndarray | None:
    """Return non-negative integer columns packed into one int64 each row, the first the
    most significant, so that ordering the packed numbers orders the columns in turn;
    None when they need more than 63 bits. widths: bits for each part (else measured)."""
    widths = widths or [bits(p) for p in parts]
    if sum(widths) > 63:
        return None
    packed = np.zeros(len(parts[0]), dtype=np.int64)
    for part, width in zip(parts, widths):
        packed <<= width  # in place: no fresh array for each part
        packed |= part
    return packed


def combine(keys: list[np.ndarray]) -> np.ndarray:
    """Return one code per row for several columns of non-negative integer codes: equal
    where every column is."""
    combined = np.zeros(len(keys[0]), dtype=np.int64)
    width = 0
    for key in keys:
        need = bits(key)
        if width + need > 63:  # renumber densely before the packing could overflow
            combined = renumber(combined).astype(np.int64)
            width = bits(combined)
        combined <<= need
        combined |= key
        width += need
    return combined
