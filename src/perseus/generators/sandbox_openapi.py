"""The sandbox's OpenAPI document: the newest release of each API it serves, in one document.

Path items and component schemas are copied from the published release documents
unchanged (a conflict between two releases is an error, never resolved silently); the
document adds only the sandbox's bearer-token security scheme beside mutual TLS.
"""

from __future__ import annotations


def sandbox_openapi(documents: dict[str, dict]) -> dict:
    """`documents` maps each served release (label@date) to its published OpenAPI document."""
    paths: dict = {}
    schemas: dict = {}
    for ref, document in documents.items():
        for path, item in document["paths"].items():
            if path in paths:
                raise ValueError(f"{ref}: path {path} is also defined by another served release")
            paths[path] = item
        for name, schema in document["components"]["schemas"].items():
            if schemas.setdefault(name, schema) != schema:
                raise ValueError(f"{ref}: component schema {name} differs from another served release's")
    first = next(iter(documents.values()))
    refs = list(documents)
    return {
        "openapi": first["openapi"],
        "info": {
            "title": "Perseus sandbox",
            "version": max(ref.split("@")[1] for ref in refs),
            "description": (
                "The Perseus sandbox (`perseus sandbox`): " + ", ".join(refs) + " in one document, as published. "
                "The sandbox also accepts bearer tokens, so that it runs locally without certificates."
            ),
            "license": first["info"]["license"],
            "x-perseus-releases": refs,
        },
        "servers": [{"url": "/", "description": "The sandbox that serves this document."}],
        "security": [*first["security"], {"bearerToken": []}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": {
                **first["components"]["securitySchemes"],
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Sandbox only: one of the tokens `perseus sandbox` prints at start.",
                },
            },
            "schemas": dict(sorted(schemas.items())),
        },
    }
