"""Read YAML records (governance, permission texts) and validate them with LinkML's own validator.

Errors name the file, the JSON path inside it and the rule broken, so a reviewer can
fix a record without reading code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from perseus.paths import SPEC


class RecordInvalid(ValueError):
    """A record file that cannot be read or breaks its LinkML model."""


@cache
def _validator(module: str):
    # Imported here: LinkML takes about a second to load and most commands never need it.
    from linkml.validator import Validator
    from linkml.validator.plugins import JsonschemaValidationPlugin

    return Validator(str(SPEC / module), validation_plugins=[JsonschemaValidationPlugin(closed=True)])


def problems(instance, target_class: str, module: str) -> list[str]:
    """Each problem as `JSON path: message` (the first line of the validator's message)."""
    report = _validator(module).validate(instance, target_class)
    return [result.message.splitlines()[0] for result in report.results]


def read_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise RecordInvalid(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise RecordInvalid(f"{path}: not valid YAML: {exc}") from None


def load_record(path: Path, target_class: str, module: str):
    """Read one YAML record and check it against `target_class` of spec/`module`."""
    data = read_yaml(path)
    found = problems(data, target_class, module)
    if found:
        lines = "\n".join(f"  {p}" for p in found)
        raise RecordInvalid(f"{path}: invalid {target_class} ({len(found)} problem(s)):\n{lines}")
    return data
