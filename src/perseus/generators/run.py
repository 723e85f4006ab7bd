"""Regenerate everything derived from spec/ in one process (each gen-* process costs a second)."""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path

from perseus.paths import ROOT
from perseus.writing import dump_json, write_atomically

# What `perseus generate` writes; the cache key leaves them out, since they are its results.
OUTPUTS = ("generated/", "src/perseus/models.py", "CHANGELOG.md")


def cached_generated_files() -> dict[str, str]:
    """`generated_files()`, made again only when a source changed since the last run (perseus.build_cache).
    `perseus generate` uses it; everything else, the drift tests included, generates afresh."""
    from perseus import build_cache

    return build_cache.cached("generated", build_cache.digest(build_cache.excluding(*OUTPUTS)), generated_files)


def generated_files() -> dict[str, str]:
    """Every generated file, as a path relative to the repository root mapped to its text."""
    # Imported here, so that a cached `perseus generate` starts without LinkML and the generators.
    from perseus.examples import openapi_examples
    from perseus.generators.jsonschema import release_jsonschema
    from perseus.generators.linkml_cut import linkml_cut
    from perseus.generators.methodology_schema import methodology_jsonschema
    from perseus.generators.openapi import release_openapi
    from perseus.generators.provenance_steps import step_jsonschema
    from perseus.generators.pydantic import pydantic_models
    from perseus.generators.record_schemas import record_schema_files
    from perseus.generators.sandbox_openapi import sandbox_openapi
    from perseus.governance.changelog import changelog
    from perseus.paths import METHODOLOGY_SCHEMA, SANDBOX_OPENAPI
    from perseus.permission_texts import rendered_files as permission_text_files
    from perseus.provenance.model import STEP_SCHEMA_RELATIVE
    from perseus.releases import STRICT, all_releases
    from perseus.review.pack import review_pack_files
    from perseus.sandbox.served import newest_releases
    from perseus.sla import published_sla
    from perseus.spec_versions import cut_schema

    files: dict[str, str] = {}
    documents: dict[str, dict] = {}
    for release in all_releases():
        schema = cut_schema(release)
        files[f"generated/linkml/{release.ref}.yaml"] = linkml_cut(deepcopy(schema))
        jsonschema = release_jsonschema(release, schema)
        files[f"generated/jsonschema/{release.ref}.schema.json"] = dump_json(jsonschema)
        if release.has_strict_profile and release.profile != STRICT:
            files[f"generated/jsonschema/{release.ref}.strict.schema.json"] = dump_json(
                release_jsonschema(release, schema, strict=True)
            )
        documents[release.ref] = release_openapi(release, jsonschema, openapi_examples(release.ref))
        files[f"generated/openapi/{release.ref}.json"] = dump_json(documents[release.ref])
    files[SANDBOX_OPENAPI] = dump_json(sandbox_openapi({r.ref: documents[r.ref] for r in newest_releases()}))
    files["src/perseus/models.py"] = pydantic_models()
    files[STEP_SCHEMA_RELATIVE] = dump_json(step_jsonschema())
    files.update(permission_text_files())
    files.update(review_pack_files(documents=files))
    files[METHODOLOGY_SCHEMA] = dump_json(methodology_jsonschema())
    files.update({path: dump_json(schema) for path, schema in record_schema_files().items()})
    sla_path, sla = published_sla()
    files[sla_path] = dump_json(sla)
    files["CHANGELOG.md"] = changelog()
    return files


def write_all(root: Path = ROOT, files: dict[str, str] | None = None) -> list[Path]:
    """Write the generated files under `root`; files that no longer belong are removed."""
    files = files if files is not None else generated_files()
    written = []
    for rel, text in files.items():
        target = root / rel
        if not target.exists() or target.read_text() != text:
            write_atomically(target, text)
        written.append(target)
    wanted = {root / rel for rel in files}
    for stale in (root / "generated").rglob("*"):
        if stale.is_file() and stale not in wanted and stale.name != "README.md":
            stale.unlink()
    return written
