"""Record the verdicts of the release corpus in spec/corpus/index.yaml.

    .venv/bin/python tools/corpus_verdicts.py --registry DIR   # when the corpus is written
    .venv/bin/python tools/corpus_verdicts.py                  # after a release changes

DIR holds copies of the registry's published API documents (`<label>@<date>.json`,
from registry/core/registry/scheme/perseus/files/api/ of icebreakerone/registry); they
are never committed here. With --registry, every payload still without a registry
verdict gets one from each document that defines its class: JSON Schema 2020-12 (the
dialect of OpenAPI 3.1) with formats asserted, checked by both `jsonschema` and
`jsonschema-rs`, which must agree. Verdicts already recorded are kept unless
--rewrite is given. The releases' own verdicts are always recomputed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

import jsonschema
import jsonschema_rs
import yaml

from perseus.corpus import CORPUS, INVALID, VALID, all_payloads, computed_verdicts, load_index

HEADER = """\
# The release corpus: real-shaped payloads of every class the Perseus APIs serve, each
# with the verdicts it gets (written by tools/corpus_verdicts.py; the payloads by
# tools/corpus_payloads.py).
#   registry: the verdict of each registry document that defines the class, worked out
#             from the registry's published documents on the date in `registry_verdicts`
#             (JSON Schema 2020-12, formats asserted, jsonschema and jsonschema-rs agreeing).
#   releases: the verdict of each release here that serves the class (its default profile;
#             for the 2025-10-27 releases that is the strict profile they were approved in).
#   strict:   the verdict of the strict profile (`perseus validate --strict`) of the
#             project's registry-profile releases.
# `aspect` names what the payload exercises; spec/corpus/aspects.yaml says why any
# release here differs from the registry on it. tests/test_release_corpus.py checks
# that the releases still give these verdicts and that the reproductions of the
# registry's releases agree with its documents except for the listed fixes.
"""


def registry_documents(folder: Path) -> dict[str, dict]:
    documents = {}
    for path in sorted(folder.glob("*@*.json")):
        document = json.loads(path.read_text())
        if document.get("components", {}).get("schemas"):
            documents[path.stem] = document
    if not documents:
        raise SystemExit(f"{folder}: no registry API document with component schemas")
    return documents


def registry_verdict(document: dict, cls: str, payload) -> str:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": f"#/components/schemas/{cls}",
              "components": document["components"]}
    python = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    python_valid = python.is_valid(payload)
    rust_valid = jsonschema_rs.validator_for(schema, validate_formats=True).is_valid(payload)
    if python_valid != rust_valid:
        raise ValueError(f"jsonschema says {python_valid}, jsonschema-rs says {rust_valid}")
    return VALID if python_valid else INVALID


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registry", type=Path, metavar="DIR", help="copies of the registry's API documents")
    parser.add_argument("--rewrite", action="store_true", help="recompute registry verdicts already recorded")
    args = parser.parse_args(argv)
    index = load_index()
    documents = registry_documents(args.registry) if args.registry else {}
    by_file = {p.file: p for p in all_payloads()}
    for entry in index["payloads"]:
        payload = by_file[entry["file"]]
        body = payload.load()
        recorded = dict(entry.get("registry") or {})
        for ref, document in documents.items():
            if payload.cls in document["components"]["schemas"] and (args.rewrite or ref not in recorded):
                try:
                    recorded[ref] = registry_verdict(document, payload.cls, body)
                except ValueError as exc:
                    raise SystemExit(f"{payload.file} against {ref}: validators disagree ({exc}); change the payload")
        entry["registry"] = dict(sorted(recorded.items()))
        entry["releases"], entry["strict"] = computed_verdicts(payload)
    if documents:
        index["registry_verdicts"] = {
            "worked_out": datetime.date.today().isoformat(),
            "documents": {ref: f"https://registry.core.trust.ib1.org/scheme/perseus/api/{ref}.json" for ref in documents},
        }
    ordered = {"registry_verdicts": index.get("registry_verdicts"), "payloads": index["payloads"]}
    text = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=120)
    (CORPUS / "index.yaml").write_text(HEADER + text)
    print(f"{len(index['payloads'])} payloads; registry documents read: {', '.join(documents) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
