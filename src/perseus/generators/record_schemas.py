"""JSON Schemas of the record models (API descriptions, governance records, permission texts), so
that commands check records against their LinkML model without loading LinkML (about 1.4 s per
process; `perseus governance check` and every governance step load records). Each is what LinkML's
own validator generates from the module, closed (no keys the model does not define); the files are
committed and drift-checked like the rest of generated/."""

from __future__ import annotations

import json

from linkml.generators.jsonschemagen import JsonSchemaGenerator

from perseus.paths import ROOT, SPEC, record_schema_path
from perseus.records import SOURCES_KEY, file_digest
from perseus.yaml_loading import safe_load

# The spec/ modules records are read against (perseus.records.load_record's `module`).
RECORD_MODULES = ("api.yaml", "governance.yaml", "permission_text.yaml")


def sources(module: str) -> list[str]:
    """The spec/ files the module's schema comes from: the module and its imports, `linkml:` ones aside."""
    found, todo = [], [module.removesuffix(".yaml")]
    while todo:
        name = todo.pop(0)
        rel = f"spec/{name}.yaml"
        if rel in found:
            continue
        found.append(rel)
        imports = safe_load((ROOT / rel).read_text()).get("imports") or []
        todo += [i for i in imports if not i.startswith("linkml:")]
    return sorted(found)


def source_digests(module: str) -> dict[str, str | None]:
    return {rel: file_digest(ROOT / rel) for rel in sources(module)}


def record_jsonschema(module: str) -> dict:
    # The options of linkml.validator's JsonschemaValidationPlugin(closed=True), which checked records before.
    generator = JsonSchemaGenerator(
        str(SPEC / module), mergeimports=True, not_closed=False, include_range_class_descendants=True
    )
    return {**json.loads(generator.serialize()), SOURCES_KEY: source_digests(module)}


def record_schema_files() -> dict[str, dict]:
    return {record_schema_path(module): record_jsonschema(module) for module in RECORD_MODULES}
