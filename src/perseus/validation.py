"""Validate payloads against a published data specification.

The generated JSON Schema of the release is the single reference. The command uses
jsonschema-rs (a Rust implementation of the same JSON Schema drafts) because a
meter-year of readings validates about twenty times faster than with the pure
Python `jsonschema`; the tests check both agree on every example.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from perseus.paths import GENERATED


class SpecUnavailable(LookupError):
    """The named specification or type does not exist."""


class PayloadUnreadable(ValueError):
    """The file cannot be read or parsed."""


@dataclass(frozen=True)
class Problem:
    path: str  # JSON path of the offending value, e.g. $.data[3].energy.unitCode
    rule: str  # the JSON Schema keyword broken, e.g. pattern
    message: str
    explanation: str = ""  # the specification's own words for the rule, where it has them

    def __str__(self) -> str:
        why = f" ({self.explanation})" if self.explanation else ""
        return f"{self.path}: {self.message} [rule: {self.rule}]{why}"


STRICT_SUFFIX = ".strict.schema.json"


def schema_path_for(ref: str, strict: bool = False) -> Path:
    """The release's JSON Schema; with `strict`, its strict profile (the file itself when the
    release is written in the strict profile)."""
    if strict:
        from perseus.releases import STRICT, UnknownRelease, get_release

        try:
            release = get_release(ref)
        except UnknownRelease as exc:
            raise SpecUnavailable(str(exc)) from None
        if not release.has_strict_profile:
            newer = [r.ref for r in _releases_building_on(release) if r.has_strict_profile]
            hint = f"; the project's rules for these payloads: {' or '.join(newer)} with --strict" if newer else ""
            raise SpecUnavailable(f"{ref} reproduces the registry's document and has no strict profile{hint}")
        if release.profile != STRICT:
            return GENERATED / "jsonschema" / f"{ref}{STRICT_SUFFIX}"
    return GENERATED / "jsonschema" / f"{ref}.schema.json"


def _releases_building_on(release):
    from perseus.releases import all_releases, ancestry

    return [r for r in all_releases() if r is not release and release in ancestry(r)]


def load_release_schema(ref: str, strict: bool = False) -> dict:
    path = schema_path_for(ref, strict)
    if not path.exists():
        known = sorted(
            p.name.removesuffix(".schema.json")
            for p in path.parent.glob("*.schema.json")
            if not p.name.endswith(STRICT_SUFFIX)
        )
        raise SpecUnavailable(f"no data specification {ref!r}; published: {', '.join(known)}")
    return json.loads(path.read_text())


def payload_classes(schema: dict) -> list[str]:
    return [item["$ref"].rsplit("/", 1)[-1] for item in schema["anyOf"]]


def detect_class(schema: dict, payload) -> str:
    """The payload class whose properties the payload's keys match best.

    Classes are open in most releases and some require nothing (`HTTPValidationError`), so
    the match is on the keys a class defines, not on its required keys alone: a report
    missing its `provenance` is still an `EmissionsReport`, and is refused as one."""
    if not isinstance(payload, dict):
        raise SpecUnavailable("the payload is not a JSON object, so its type cannot be detected; give --type")
    keys = set(payload)
    candidates = []
    for name in payload_classes(schema):
        definition = schema["$defs"][name]
        required = set(definition.get("required", ()))
        known = set(definition.get("properties", {}))
        if keys & known or required <= keys:
            candidates.append((len(keys & known) - len(keys - known), required <= keys, len(required), name))
    if not candidates:
        raise SpecUnavailable(
            f"the payload matches none of {', '.join(payload_classes(schema))} (keys: {', '.join(sorted(keys))}); give --type"
        )
    return max(candidates)[3]


def class_schema(schema: dict, cls: str) -> dict:
    if cls not in schema["$defs"]:
        raise SpecUnavailable(f"no type {cls!r} in {schema['x-ib1-registry-label']}@{schema['version']}")
    return {"$schema": schema["$schema"], "$ref": f"#/$defs/{cls}", "$defs": schema["$defs"]}


def json_path(parts) -> str:
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _explanation(schema: dict, schema_path) -> str:
    """The description of the nearest enclosing rule (`then`) on the schema path, if any."""
    node, found = schema, ""
    for part in schema_path:
        if part == "$ref":
            node = _resolve(schema, node["$ref"])
            continue
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and part == "then" and node.get("description"):
            found = node["description"]
    return found


def _resolve(schema: dict, ref: str) -> dict:
    node = schema
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def validate_payload(schema: dict, cls: str, payload, limit: int = 100) -> list[Problem]:
    import jsonschema_rs

    wrapped = class_schema(schema, cls)
    validator = jsonschema_rs.validator_for(wrapped, validate_formats=True)
    problems = []
    for error in validator.iter_errors(payload):
        rule = str(error.schema_path[-1]) if error.schema_path else "schema"
        problems.append(
            Problem(
                path=json_path(error.instance_path),
                rule=rule,
                message=error.message,
                explanation=_explanation(wrapped, list(error.schema_path)),
            )
        )
        if len(problems) >= limit:
            break
    return problems


def read_payload(path: Path):
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PayloadUnreadable(f"{path}: cannot read: {exc}") from exc
    if path.suffix.lower() in (".yaml", ".yml"):
        return _read_yaml(path, text)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PayloadUnreadable(f"{path}: line {exc.lineno} column {exc.colno}: not valid JSON: {exc.msg}") from exc


def _read_yaml(path: Path, text: str):
    import yaml

    class StringTimestamps(yaml.SafeLoader):
        """Keeps timestamps as the strings written, so they are validated as written."""

    StringTimestamps.yaml_implicit_resolvers = {
        key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    try:
        return yaml.load(text, Loader=StringTimestamps)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise PayloadUnreadable(f"{path}: not valid YAML: {exc}") from exc
