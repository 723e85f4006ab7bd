"""The example payloads in spec/examples, and which releases each is valid or invalid in.

spec/examples/index.yaml lists every file: valid ones with the releases that accept
them, invalid ones with the releases that refuse them and the fault they carry (the
JSON path and the JSON Schema keyword that must report it). A file is named
`ClassName-what.json`, so its class is the part before the first hyphen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from perseus.paths import EXAMPLES
from perseus.yaml_loading import safe_load


@dataclass(frozen=True)
class Example:
    path: Path
    cls: str
    valid_in: tuple[str, ...]
    invalid_in: tuple[str, ...]
    fault_path: str | None = None
    fault_rule: str | None = None
    summary: str = ""

    @property
    def name(self) -> str:
        return self.path.stem

    def load(self):
        return json.loads(self.path.read_text())


@lru_cache(maxsize=1)
def all_examples() -> tuple[Example, ...]:
    index = safe_load((EXAMPLES / "index.yaml").read_text())
    found = []
    for name, entry in index["valid"].items():
        found.append(
            Example(
                path=EXAMPLES / "valid" / name,
                cls=name.split("-")[0].removesuffix(".json"),
                valid_in=tuple(entry["valid_in"]),
                invalid_in=tuple(entry.get("invalid_in", ())),
                summary=entry.get("summary", ""),
            )
        )
    for name, entry in index["invalid"].items():
        found.append(
            Example(
                path=EXAMPLES / "invalid" / name,
                cls=name.split("-")[0].removesuffix(".json"),
                valid_in=(),
                invalid_in=tuple(entry["invalid_in"]),
                fault_path=entry["path"],
                fault_rule=entry["rule"],
                summary=entry.get("summary", ""),
            )
        )
    return tuple(found)


def openapi_examples(release_ref: str) -> dict[str, dict]:
    """Valid examples of a release, grouped by class, as OpenAPI example objects."""
    grouped: dict[str, dict] = {}
    for example in all_examples():
        if release_ref in example.valid_in:
            grouped.setdefault(example.cls, {})[example.name] = {
                "summary": example.summary,
                "value": example.load(),
            }
    return grouped
