"""Read YAML records (governance, permission texts) and validate them with LinkML's own validator.

Errors name the file, the JSON path inside it and the rule broken, so a reviewer can
fix a record without reading code.
"""

from __future__ import annotations

import pickle
from functools import cache, lru_cache
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


# libyaml's parser when PyYAML has it (the same safe constructors, about ten times faster).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_text(path: Path) -> str:
    try:
        return path.read_text()
    except FileNotFoundError:
        raise RecordInvalid(f"{path}: file not found") from None


def _parse(path: Path, text: str):
    try:
        return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        raise RecordInvalid(f"{path}: not valid YAML: {exc}") from None


def read_yaml(path: Path):
    return _parse(path, _read_text(path))


@lru_cache(maxsize=512)
def _checked(path: Path, text: str, target_class: str, module: str) -> bytes:
    """A record read and checked once per process for the same text (a command renders the
    same permission texts and records many times), kept pickled so each caller gets a copy."""
    data = _parse(path, text)
    found = problems(data, target_class, module)
    if found:
        lines = "\n".join(f"  {p}" for p in found)
        raise RecordInvalid(f"{path}: invalid {target_class} ({len(found)} problem(s)):\n{lines}")
    return pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)


def load_record(path: Path, target_class: str, module: str):
    """Read one YAML record and check it against `target_class` of spec/`module`."""
    return pickle.loads(_checked(path, _read_text(path), target_class, module))
