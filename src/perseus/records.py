"""Read YAML records (governance, permission texts, API descriptions) and check them against their
LinkML model, through its generated JSON Schema (perseus.generators.record_schemas).

Errors name the file, the JSON path inside it and the rule broken, so a reviewer can
fix a record without reading code.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from functools import cache, lru_cache
from pathlib import Path

import yaml

from perseus.yaml_loading import safe_load


class RecordInvalid(ValueError):
    """A record file that cannot be read or breaks its LinkML model."""


# Keys of the generated schema's root that a class's schema keeps (linkml.validator's choice, so
# that messages are worded as LinkML's own validator words them).
_ROOT_KEYS = ("$schema", "$id", "metamodel_version", "version", "title", "type")
# Where a generated record schema keeps the digests of the spec/ files it was made from: it is used
# only while they match, so an edited model is never checked by a stale schema.
SOURCES_KEY = "x-perseus-sources"


@cache
def _module_schema(module: str) -> dict:
    """The module's generated JSON Schema (generated/models/records/), or, when spec/ has changed
    since it was generated, the same schema made now with LinkML (about 1.5 s)."""
    from perseus.paths import ROOT, record_schema_path

    path = ROOT / record_schema_path(module)
    if path.exists():
        schema = json.loads(path.read_text())
        recorded = schema.get(SOURCES_KEY) or {}
        if recorded and all(file_digest(ROOT / rel) == digest for rel, digest in recorded.items()):
            return schema
    from perseus.generators.record_schemas import record_jsonschema

    return record_jsonschema(module)


def file_digest(path: Path) -> str | None:
    try:
        return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


@cache
def _validator(module: str, target_class: str):
    import jsonschema

    schema = _module_schema(module)
    cls = schema["$defs"][target_class]
    root = {k: schema[k] for k in _ROOT_KEYS if k in schema}
    root["$defs"] = schema["$defs"]
    root.update({k: v for k, v in cls.items() if k not in (*_ROOT_KEYS, "$defs", "additionalProperties")})
    root["additionalProperties"] = False  # closed: no keys the model does not define
    validator = jsonschema.validators.validator_for(root, default=jsonschema.Draft7Validator)
    return validator(root, format_checker=validator.FORMAT_CHECKER)


def problems(instance, target_class: str, module: str) -> list[str]:
    """Each problem as `message in /json/path` (the first line of the message), as LinkML's validator reports it."""
    from jsonschema.exceptions import best_match

    found = []
    for error in _validator(module, target_class).iter_errors(instance):
        best = best_match([error])
        path = "/".join(str(p) for p in best.absolute_path)
        found.append(f"{best.message} in /{path}".splitlines()[0])
    return found


def _read_text(path: Path) -> str:
    try:
        return path.read_text()
    except FileNotFoundError:
        raise RecordInvalid(f"{path}: file not found") from None


def _parse(path: Path, text: str):
    try:
        return safe_load(text)
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
