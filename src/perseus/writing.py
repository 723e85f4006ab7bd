"""How Perseus writes what it produces: JSON as text, and files that readers never see half-written."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def dump_json(data) -> str:
    """Two-space indent, characters as they are, one final newline: reports and generated files alike."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_atomically(target: Path, text: str) -> None:
    """Write to a temporary file beside the target, then rename: readers never see half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes the file private; give it the usual mode
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
