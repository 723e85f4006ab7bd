"""numpy arrays from pyarrow columns and back through their buffers, so that pandas is never imported.

Why not `to_numpy` and `pa.array`: pyarrow imports pandas, when it is installed, on the first
conversion either way (its C++ conversion and `pandas-shim.pxi`), and there is no switch to stop
it. That import is about 0.45 s, a third of `perseus calculate --portfolio` on 100 meters
(benchmarks/bench_portfolio.py), and the portfolio path needs none of pandas. What it does need
(fixed-width numbers, null masks, strings) is a view of `Array.buffers()` or a call of
`Array.from_buffers`, both public pyarrow API. Any other type goes through `to_numpy` as before.
"""

from __future__ import annotations

import numpy as np

_WIDTHS = {  # pyarrow type id name -> numpy dtype of its values buffer
    "int8": np.int8,
    "int16": np.int16,
    "int32": np.int32,
    "int64": np.int64,
    "uint8": np.uint8,
    "uint16": np.uint16,
    "uint32": np.uint32,
    "uint64": np.uint64,
    "float": np.float32,
    "double": np.float64,
}


def _bits(buffer, offset: int, length: int) -> np.ndarray:
    """A bit-packed buffer (Arrow's validity bitmaps and booleans: least significant bit first) as bools."""
    packed = np.frombuffer(buffer, dtype=np.uint8)
    return np.unpackbits(packed, bitorder="little")[offset : offset + length].astype(bool)


def _dtype(array):
    import pyarrow as pa

    kind = array.type
    if pa.types.is_timestamp(kind) or pa.types.is_duration(kind) or pa.types.is_date64(kind):
        return np.dtype(np.int64)  # as their int64 ticks; callers cast the column to int64 first anyway
    name = str(kind)
    return np.dtype(_WIDTHS[name]) if name in _WIDTHS else None


def _chunk_values(array) -> np.ndarray:
    dtype = _dtype(array)
    if dtype is None:
        if str(array.type) == "bool" and not array.null_count:
            return _bits(array.buffers()[1], array.offset, len(array))
        return np.asarray(array.to_numpy(zero_copy_only=False))  # a type the portfolio path does not expect
    values = np.frombuffer(array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * dtype.itemsize)
    if array.null_count:  # as pyarrow's to_numpy gives them: NaN, in floats
        values = np.where(_valid(array), values, np.nan)
    return values


def _valid(array) -> np.ndarray:
    if not array.null_count:
        return np.ones(len(array), dtype=bool)
    return _bits(array.buffers()[0], array.offset, len(array))


def _chunks(column) -> list:
    return list(column.chunks) if hasattr(column, "chunks") else [column]


def numbers(column) -> np.ndarray:
    """A pyarrow Array or ChunkedArray of numbers (or timestamps, as their ticks) as one numpy array.
    Nulls become NaN, so a column with nulls comes back as floats, as from `to_numpy`."""
    parts = [_chunk_values(chunk) for chunk in _chunks(column)]
    if not parts:
        return np.zeros(0, dtype=_dtype(column) or np.float64)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def nulls(column) -> np.ndarray:
    """Where the column is null."""
    parts = [~_valid(chunk) for chunk in _chunks(column)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def from_numbers(values: np.ndarray, kind):
    """A pyarrow Array of type `kind` holding `values`, whose dtype must be as wide as `kind` (int64 for timestamps)."""
    import pyarrow as pa

    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(values)])


def strings(values) -> object:
    """A pyarrow large_string Array of these Python strings (the type pandas writes str columns as)."""
    import pyarrow as pa

    encoded = [value.encode("utf-8") for value in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return pa.Array.from_buffers(
        pa.large_string(), len(encoded), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    )


def fill_text(column, value: str):
    """`pc.fill_null(column, value)` for a column of text (or of dictionary-encoded text), with the filler made
    in the column's type here: `pc.fill_null` would make it with `pa.scalar`, which imports pandas."""
    import pyarrow.compute as pc

    if not column.null_count:
        return column
    return pc.fill_null(column, pc.cast(strings([value]), column.type)[0])


def repeated(value: str, count: int) -> object:
    """`value` `count` times, as a large_string Array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.take(strings([value]), from_numbers(np.zeros(count, dtype=np.int64), pa.int64()))
