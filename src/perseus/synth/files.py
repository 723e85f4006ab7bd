"""Writing synthetic output: all files of one run appear together or not at all.

Each file is written to a temporary name beside its target and renamed into place
only when every file of the run has been written, so an error leaves no partial output.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from perseus.synth.payloads import SYNTHETIC_KEY


def json_bytes(payload) -> bytes:
    return (json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def csv_bytes(frame) -> bytes:
    """CSV with timestamps as `YYYY-MM-DDThh:mm:ssZ`, the wire format of the JSON."""
    out = frame.copy()
    for column in ("from", "to"):
        out[column] = out[column].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


def csvw_metadata_bytes(csv_name: str, columns: list[str], metadata: dict) -> bytes:
    """W3C CSV on the Web metadata for a CSV file (`<file>-metadata.json`): CSV itself has no
    place for metadata, and a sidecar keeps the CSV readable by any parser."""
    document = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": csv_name,
        "dc:title": f"SYNTHETIC {metadata.get('content', 'data')}",
        "dc:description": metadata["description"],
        SYNTHETIC_KEY: metadata,
        "tableSchema": {"columns": [{"name": column, "titles": column} for column in columns]},
    }
    return json_bytes(document)


def parquet_bytes(frame, metadata: dict) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    merged = {**(table.schema.metadata or {}), SYNTHETIC_KEY.encode(): json.dumps(metadata, sort_keys=True).encode()}
    table = table.replace_schema_metadata(merged)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def table_files(frame, path: Path, fmt: str, metadata: dict) -> dict[Path, bytes]:
    """The files for a table in `fmt` (csv adds its CSVW metadata sidecar)."""
    if fmt == "parquet":
        return {path: parquet_bytes(frame, metadata)}
    sidecar = path.with_name(path.name + "-metadata.json")
    return {path: csv_bytes(frame), sidecar: csvw_metadata_bytes(path.name, list(frame.columns), metadata)}


def write_all(files: dict[Path, bytes]) -> list[Path]:
    """Write every file atomically as a group: temporaries first, renames last."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((temporary, path))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes files private; give them the usual mode
        for temporary, path in staged:
            os.replace(temporary, path)
    except BaseException:
        for temporary, _ in staged:
            if os.path.exists(temporary):
                os.unlink(temporary)
        raise
    return [path for _, path in staged]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
