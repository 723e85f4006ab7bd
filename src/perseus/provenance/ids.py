"""Step ids derived from what a record holds, so that the same inputs give the same record.

ib1-provenance (record.py, `Record.add_step`) allots every step a random id
(`secrets.token_urlsafe(15)`) and refuses a step that brings an `id` of its own, so a
caller cannot pass one. `DerivedIds` wraps the library at that one point: the library
checks and stores the step as always, then the id it allotted is replaced, before anything
can refer to it, by one of the same form (20 characters of base64url, 15 bytes) taken
from a running SHA-256 over the trust framework, every record nested so far and every
step so far. A step's id therefore depends on its own content (inputs named by their
derived ids) and on everything added before it: the same files, datasets, methodologies
and `--taken-at` give the same ids; any change gives other ones.
"""

from __future__ import annotations

import base64
import hashlib
import json

from ib1.provenance import Record

ID_BYTES = 15  # as the library's token_urlsafe(15)


class DerivedIds(Record):
    def __init__(self, trust_framework: str, record: dict | None = None):
        super().__init__(trust_framework, record)
        self._state = hashlib.sha256(trust_framework.encode()).digest()
        if record is not None:
            self._absorb(b"record", record["steps"])

    def _absorb(self, kind: bytes, value) -> None:
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        self._state = hashlib.sha256(self._state + kind + b"\0" + text).digest()

    def add_record(self, record: Record) -> None:
        super().add_record(record)
        self._absorb(b"record", record.encoded()["steps"])

    def add_step(self, step_in: dict) -> str:
        allotted = super().add_step(step_in)
        step = self._additional_steps[-1]
        assert step["id"] == allotted, "ib1-provenance no longer appends the step it allots an id to"
        self._absorb(b"step", {k: v for k, v in step.items() if k != "id"})
        step["id"] = base64.urlsafe_b64encode(self._state[:ID_BYTES]).decode("ascii")
        return step["id"]
