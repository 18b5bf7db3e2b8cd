"""The integer machinery under grouping and duplicate finding orders and matches rows
as sorting and comparing their columns would, when the columns fit in one packed number
and when they do not (a pooled extract of several million rows)."""

import numpy as np

from iro_stats.columns import bits, combine
from iro_stats.escalations import _sort


def test_one_sort_orders_rows_as_a_stable_sort_on_their_columns_whatever_their_size():
    rng = np.random.default_rng(13)
    for scale in (1, 1 << 40):  # packed into one number; too wide to pack
        key = rng.integers(0, 50, size=2000) * scale
        raised = rng.integers(0, 30, size=2000)
        stage = rng.integers(0, 5, size=2000)
        valid = np.sort(rng.choice(5000, size=2000, replace=False))
        order = _sort(key, raised, stage, valid, [bits(p) for p in (key, raised, stage, valid)])
        expected = sorted(range(2000), key=lambda i: (key[i], raised[i], stage[i], valid[i]))
        assert order.rows.tolist() == valid[expected].tolist()
        triples = [(key[i], raised[i], stage[i]) for i in expected]
        assert order.same.tolist() == [a == b for a, b in zip(triples, triples[1:])] + [False]
        assert order.key.tolist() == key[expected].tolist()
        assert order.raised.tolist() == raised[expected].tolist()
        assert order.stage.tolist() == stage[expected].tolist()


def test_combined_codes_are_equal_exactly_where_every_column_is():
    rng = np.random.default_rng(7)
    columns = [rng.integers(0, 3, size=3000) * (1 << 30) for _ in range(3)]  # 93 bits
    combined = combine(columns)
    rows = list(zip(*(c.tolist() for c in columns)))
    for i in range(0, 3000, 37):
        same = combined == combined[i]
        assert same.tolist() == [r == rows[i] for r in rows]


def test_text_keys_are_equal_exactly_where_the_stripped_texts_are():
    import pyarrow as pa

    from iro_stats.columns import TEXT, text_keys

    columns = [
        ["WF-1024", "WF-7", "", "WF-1024", "WF-90000000000"],  # numbers after a prefix
        ["1024", "7", "1024", "", "7"],  # numbers
        ["007", "7", "07", "7"],  # leading zeros: hashed, all different
        [" WF-7", "WF-7", "WF-7 ", "WF-8"],  # spaces: hashed, stripped
        ["WF-7", "ESC-7", "WF-7", "7"],  # prefixes differ
        ["WF-", "WF-1", "WF-"],  # a prefix alone
        ["", ""],
        ["12345678901234567890", "12345678901234567890", "1"],  # past int64
    ]
    for texts in columns:
        column = pa.chunked_array([pa.array(texts[:2], TEXT), pa.array(texts[2:], TEXT)])
        key, bound = text_keys(column)
        stripped = [t.strip() for t in texts]
        assert [k == -1 for k in key] == [not t for t in stripped], texts
        assert (key < bound).all(), texts
        for i in range(len(texts)):
            assert [key[i] == k for k in key] == \
                [stripped[i] == s for s in stripped] or not stripped[i], texts
