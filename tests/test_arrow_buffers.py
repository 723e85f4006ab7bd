"""perseus.calculator.arrow_buffers gives what pyarrow's own conversions give, without importing pandas."""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given
from hypothesis import strategies as st

from perseus.calculator import arrow_buffers

KINDS = [pa.int8(), pa.int32(), pa.int64(), pa.uint16(), pa.float32(), pa.float64()]


@st.composite
def columns(draw):
    """A ChunkedArray of one numeric type, with nulls, whose chunks are slices (a non-zero offset)."""
    kind = draw(st.sampled_from(KINDS))
    values = (
        st.one_of(st.none(), st.integers(0, 100))
        if pa.types.is_integer(kind)
        else st.one_of(st.none(), st.floats(-1e6, 1e6, width=32))
    )
    chunks = []
    for _ in range(draw(st.integers(0, 3))):
        items = draw(st.lists(values, max_size=40))
        start = draw(st.integers(0, len(items)))
        chunks.append(pa.array(items, type=kind).slice(start))
    return pa.chunked_array(chunks, type=kind)


@given(columns())
def test_numbers_and_nulls_are_pyarrows_own(column):
    expected = column.to_numpy()
    found = arrow_buffers.numbers(column)
    assert found.dtype == expected.dtype and len(found) == len(expected)
    np.testing.assert_array_equal(found, expected)  # NaN where null, in both
    np.testing.assert_array_equal(arrow_buffers.nulls(column), column.is_null().to_numpy())


@given(st.lists(st.booleans(), max_size=40), st.integers(0, 8))
def test_booleans_unpack_from_their_bits(values, start):
    array = pa.array(values, type=pa.bool_()).slice(min(start, len(values)))
    np.testing.assert_array_equal(arrow_buffers.numbers(array), array.to_numpy(zero_copy_only=False))


@given(st.lists(st.text(max_size=6), max_size=20))
def test_strings_round_trip(values):
    array = arrow_buffers.strings(values)
    assert array.type == pa.large_string() and array.to_pylist() == values
    array.validate(full=True)


def test_timestamps_and_text_fills():
    ns = np.array([0, 1_800_000_000_000, 3_600_000_000_000], dtype=np.int64)
    stamps = arrow_buffers.from_numbers(ns, pa.timestamp("ns", "UTC"))
    assert stamps.equals(pa.array(ns, type=pa.timestamp("ns", "UTC")))
    np.testing.assert_array_equal(arrow_buffers.numbers(pc.cast(stamps, pa.int64())), ns)
    text = pa.chunked_array([pa.array(["a", None]), pa.array([None, "b"])])
    assert arrow_buffers.fill_text(text, "").to_pylist() == ["a", "", "", "b"]
    assert arrow_buffers.fill_text(text.combine_chunks().dictionary_encode(), "").to_pylist() == ["a", "", "", "b"]
    assert arrow_buffers.repeated("KGM", 3).to_pylist() == ["KGM"] * 3
