"""Walk a JSON Schema tree and rewrite its `$ref`s: rename definitions, move them, inline them."""

from __future__ import annotations

from collections.abc import Callable


def map_refs(node, rewrite: Callable[[str], str]):
    """A copy of `node` with every `$ref` value passed through `rewrite`."""
    if isinstance(node, dict):
        return {
            k: (rewrite(v) if k == "$ref" and isinstance(v, str) else map_refs(v, rewrite)) for k, v in node.items()
        }
    if isinstance(node, list):
        return [map_refs(item, rewrite) for item in node]
    return node


def inline_refs(node, definitions: dict[str, dict], prefix: str):
    """A copy of `node` with every `$ref` to `prefix + name` (name in `definitions`) replaced by the
    definition itself; keys written beside the `$ref` (a description) win over the definition's."""
    if isinstance(node, list):
        return [inline_refs(item, definitions, prefix) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(prefix) and ref[len(prefix) :] in definitions:
        siblings = {k: inline_refs(v, definitions, prefix) for k, v in node.items() if k != "$ref"}
        return {**definitions[ref[len(prefix) :]], **siblings}
    return {k: inline_refs(v, definitions, prefix) for k, v in node.items()}


def rename_definitions(defs: dict[str, dict], names: dict[str, str], prefix: str) -> dict[str, dict]:
    """`defs` with each definition in `names` under its new name (and title), every `$ref` to it rewritten."""

    def rewrite(ref: str) -> str:
        if ref.startswith(prefix) and ref[len(prefix) :] in names:
            return prefix + names[ref[len(prefix) :]]
        return ref

    renamed = {}
    for name, definition in defs.items():
        new = names.get(name, name)
        definition = map_refs(definition, rewrite)
        if new != name and definition.get("title") == name:
            definition["title"] = new
        renamed[new] = definition
    return renamed
