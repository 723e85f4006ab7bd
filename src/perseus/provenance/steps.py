"""Reading a record's containers without verifying them: for diagnosis, summaries and unsigned records.

ib1-provenance verifies a whole record and raises at the first failure without saying
where; the verifier walks the containers itself (here) to name the container and the
steps a failure belongs to. Verification proper is always the library's.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field


@dataclass
class Container:
    path: str  # JSON path of the container, e.g. $.provenance.steps[0]
    serial: str
    timestamp: str
    steps: list  # (index, encoded string)
    nested: list = field(default_factory=list)


def encode_step(step: dict) -> str:
    """Encode one step exactly as ib1-provenance does (it does so only while signing; unsigned
    records, such as synthetic data's and the unsigned calculator's, need it without a signer)."""
    return base64.urlsafe_b64encode(json.dumps(step, separators=(",", ":")).encode("utf-8")).decode("utf-8")


def decode_step(encoded: str) -> dict:
    """Decode one step as the library encodes it (base64url of compact JSON)."""
    padded = encoded + "=" * (-len(encoded) % 4)
    step = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    if not isinstance(step, dict):
        raise ValueError("the step is not a JSON object")
    return step


class Unreadable(ValueError):
    """The provenance object is not a record at all (not a failed verification)."""


def containers(steps, path: str = "$.provenance.steps") -> Container:
    """The tree of containers, innermost reachable through `nested`."""
    if not isinstance(steps, list) or not steps:
        raise Unreadable(f"{path}: a container must be a non-empty array")
    *data, block = steps
    if not (isinstance(block, list) and len(block) == 4):
        raise Unreadable(
            f"{path}[{len(steps) - 1}]: the last item of a container must be the signature block "
            "[0, certificateSerial, timestamp, signature]"
        )
    container = Container(path, str(block[1]), str(block[2]), [])
    for index, item in enumerate(data):
        if isinstance(item, str):
            container.steps.append((index, item))
        elif isinstance(item, list):
            container.nested.append(containers(item, f"{path}[{index}]"))
        else:
            raise Unreadable(f"{path}[{index}]: a container item must be an encoded step or a nested container")
    return container


def walk(container: Container):
    """Containers innermost first."""
    for inner in container.nested:
        yield from walk(inner)
    yield container


def step_ids(container: Container) -> list[str]:
    ids = []
    for index, encoded in container.steps:
        try:
            ids.append(f"{decode_step(encoded).get('id', '?')} ({decode_step(encoded).get('type', '?')})")
        except ValueError:
            ids.append(f"{container.path}[{index}] (undecodable)")
    return ids
