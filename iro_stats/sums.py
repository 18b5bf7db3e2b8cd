"""Which unknowns a set of sums fixes, and from what: generic linear algebra, no domain
words.

A sum says the values of some cells add up to the values of others. Given which cells
are unknown (the rest are known numbers), an unknown is fixed when every way of filling
in the unknowns that keeps every sum true gives it the same value: when adding and
taking away some of the sums leaves it alone beside known numbers. Those known numbers
are what it is worked out from.
"""

from __future__ import annotations

from typing import Hashable, Sequence

Sum = tuple[Sequence[Hashable], Sequence[Hashable]]  # (parts, totals): sum(parts) = sum(totals)


def worked_out(sums: list[Sum], unknown: set) -> dict:
    """Return {each unknown the sums fix: the known cells it is worked out from}."""
    import numpy as np

    cells = sorted({c for parts, totals in sums for c in (*parts, *totals)} | unknown,
                   key=repr)
    at = {cell: k for k, cell in enumerate(cells)}
    matrix = np.zeros((len(sums), len(cells)))
    for i, (parts, totals) in enumerate(sums):
        for sign, group in ((1, parts), (-1, totals)):
            for cell in group:
                matrix[i, at[cell]] += sign
    columns = np.array(sorted(at[c] for c in unknown), dtype=np.int64)
    if not len(columns) or not len(sums):
        return {}
    left, values, basis = np.linalg.svd(matrix[:, columns], full_matrices=False)
    rank = int((values > values[0] * max(len(sums), len(columns)) * 1e-12).sum()) \
        if values[0] else 0
    left, values, basis = left[:, :rank], values[:rank], basis[:rank]
    # An unknown is fixed when its unit vector lies in the row space: all its length
    # there. The sums' combination that leaves it alone is then the pseudo-inverse's
    # row for it; what that combination keeps of the known cells is what it takes.
    fixed = np.flatnonzero((basis ** 2).sum(axis=0) > 1 - 1e-9)
    found = {}
    for k in fixed:
        weights = left @ (basis[:, k] / values)
        takes = weights @ matrix
        takes[columns] = 0
        found[cells[columns[k]]] = {cells[j] for j in np.flatnonzero(np.abs(takes) > 1e-9)}
    return found
