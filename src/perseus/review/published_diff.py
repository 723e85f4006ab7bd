"""What changed between two releases in the documents implementers download: the JSON Schema
and the OpenAPI document, row by row, in words, each row classed as breaking or not for
producers (who write the payload, or serve the API) and for consumers (who read it, or call it).

Every row names the JSON pointers it explains. After the rows are made, the raw differences
of the two documents (every leaf that differs) are matched to them; a leaf no row explains
becomes a row of its own marked unexplained, so nothing is ever left out of a pack, and the
tests require that no such row exists for the releases held.

Breaking, in this pack: for producers, when a payload or server valid under the old version
may be invalid under the new (a tightening); for consumers, when what a valid producer may
now send or answer was not valid under the old version (a loosening), or a client must change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from perseus.review.words import code, definition_words, field_words, rule_words, schema_words

TIGHTER_WHEN_HIGHER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
TIGHTER_WHEN_LOWER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
DOCUMENT_METADATA = ("$schema", "$id", "title", "description", "version", "x-ib1-registry-label")
RULE_KEYS = ("if", "then", "else")


@dataclass(frozen=True)
class PublishedChange:
    document: str  # "JSON Schema" or "OpenAPI"
    change: str  # added | removed | changed
    element: str  # class, field, enum value, rule, constraint, description, endpoint, parameter, response, header, example, ...
    name: str
    words: str
    producers: bool  # breaking for producers
    consumers: bool  # breaking for consumers
    covers: tuple[str, ...] = ()
    explained: bool = True

    def as_dict(self) -> dict:
        return {
            "document": self.document,
            "change": self.change,
            "element": self.element,
            "name": self.name,
            "words": self.words,
            "breaking_for_producers": self.producers,
            "breaking_for_consumers": self.consumers,
            "covers": list(self.covers),
            **({} if self.explained else {"explained": False}),
        }


def pointer(*tokens) -> str:
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in tokens)


def leaf_differences(old, new, at: str = "") -> list[str]:
    """The JSON pointer of every leaf that differs (lists by index, as a raw JSON diff sees them)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(old.keys() | new.keys()):
            sub = at + pointer(key)
            if key not in old or key not in new:
                out += leaves(new.get(key) if key in new else old.get(key), sub)
            else:
                out += leaf_differences(old[key], new[key], sub)
        return out
    if isinstance(old, list) and isinstance(new, list):
        out = []
        for index in range(max(len(old), len(new))):
            sub = f"{at}/{index}"
            if index >= len(old) or index >= len(new):
                out += leaves(new[index] if index < len(new) else old[index], sub)
            else:
                out += leaf_differences(old[index], new[index], sub)
        return out
    return [] if old == new and type(old) is type(new) else [at or "/"]


def leaves(value, at: str) -> list[str]:
    if isinstance(value, dict) and value:
        return [p for k, v in value.items() for p in leaves(v, at + pointer(k))]
    if isinstance(value, list) and value:
        return [p for i, v in enumerate(value) for p in leaves(v, f"{at}/{i}")]
    return [at]


def covered(leaf: str, covers: tuple[str, ...] | list[str]) -> bool:
    return any(leaf == c or leaf.startswith(c + "/") for c in covers)


@dataclass
class _Differ:
    document: str
    old_defs: dict
    new_defs: dict
    meanings: dict  # enum name -> value -> meaning, from the LinkML cut
    rows: list[PublishedChange] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # a definition's registry name <-> its project name
    renamed: dict[str, str] = field(default_factory=dict)  # old definition name -> new name
    covering: tuple[str, ...] | None = None  # set while a subschema's rows cover its raw keys

    def row(self, change, element, name, words, producers, consumers, *covers) -> None:
        covers = self.covering if self.covering is not None else covers
        self.rows.append(
            PublishedChange(self.document, change, element, name, words, producers, consumers, tuple(covers))
        )

    def effective(self, schema, old: bool):
        """A subschema as it constrains values: a reference to an enum definition read as the enum
        itself, a reference to a renamed definition read under its new name."""
        if old and self.renamed:
            schema = _renamed_refs(schema, self.renamed)
        if not isinstance(schema, dict) or "$ref" not in schema:
            return schema
        prefix, name = schema["$ref"].rsplit("/", 1)
        defs = self.old_defs if old else self.new_defs
        target = defs.get(name) or {}
        if "enum" in target and "properties" not in target:
            out = {k: v for k, v in schema.items() if k != "$ref"}
            out.update({k: target[k] for k in ("type", "enum") if k in target})
            return out
        return schema

    def words(self, schema, new: bool = True) -> str:
        return schema_words(schema, self.new_defs if new else self.old_defs, self.meanings)

    # --- definitions ($defs, components/schemas) ---------------------------------------------
    def definitions(self, old: dict, new: dict, base: tuple) -> None:
        self.renamed = _renames(old, new, self.aliases)
        for before, after in sorted(self.renamed.items()):
            self.row(
                "changed",
                "class",
                after,
                f"definition {code(before)} is now named {code(after)}; clients generated from the "
                "document rename the type (what a payload must be is compared below)",
                False,
                True,
                pointer(*base, before),
                pointer(*base, after),
            )
            self.definition(after, old[before], new[after], (*base, after))
        for name in sorted(new.keys() - old.keys() - set(self.renamed.values())):
            self.row(
                "added",
                "class",
                name,
                "new definition " + definition_words(name, new[name], self.new_defs, self.meanings),
                False,
                False,
                pointer(*base, name),
            )
        for name in sorted(old.keys() - new.keys() - self.renamed.keys()):
            self.row(
                "removed",
                "class",
                name,
                f"definition {code(name)} removed; payloads that used it are no longer valid",
                True,
                True,
                pointer(*base, name),
            )
        for name in sorted(old.keys() & new.keys()):
            self.definition(name, old[name], new[name], (*base, name))

    def definition(self, name: str, a: dict, b: dict, at: tuple) -> None:
        for key in ("title", "description"):
            if a.get(key) != b.get(key):
                self.row(
                    "changed",
                    "description",
                    name,
                    f"{key} of {code(name)}: {a.get(key)!r} → {b.get(key)!r}",
                    False,
                    False,
                    pointer(*at, key),
                )
        if a.get("enum") != b.get("enum") and ("enum" in a or "enum" in b):
            self.enum_values(name, a.get("enum") or [], b.get("enum") or [], at)
        self.properties(name, a, b, at)
        self.rules(name, a, b, at)
        handled = {"title", "description", "enum", "properties", "required", "allOf", *RULE_KEYS}
        rest_a = {k: v for k, v in a.items() if k not in handled}
        rest_b = {k: v for k, v in b.items() if k not in handled}
        self.subschema(name, rest_a, rest_b, at)

    def enum_values(self, name: str, old: list, new: list, at: tuple) -> None:
        meanings = self.meanings.get(name) or {}
        for value in [v for v in new if v not in old]:
            meaning = f" ({meanings[value]})" if meanings.get(value) else ""
            self.row(
                "added",
                "enum value",
                f"{name}.{value}",
                f"{code(name)} may now be {code(value)}{meaning}; consumers must expect it",
                False,
                True,
                pointer(*at, "enum"),
            )
        for value in [v for v in old if v not in new]:
            self.row(
                "removed",
                "enum value",
                f"{name}.{value}",
                f"{code(name)} may no longer be {code(value)}; producers must stop sending it",
                True,
                False,
                pointer(*at, "enum"),
            )
        if [v for v in old if v in new] != [v for v in new if v in old]:
            self.row(
                "changed",
                "enum value",
                name,
                f"the values of {code(name)} are listed in another order",
                False,
                False,
                pointer(*at, "enum"),
            )

    def properties(self, name: str, a: dict, b: dict, at: tuple) -> None:
        pa, pb = a.get("properties") or {}, b.get("properties") or {}
        ra, rb = set(a.get("required") or []), set(b.get("required") or [])
        closed_before, closed_after = a.get("additionalProperties") is False, b.get("additionalProperties") is False
        required_at = pointer(*at, "required")
        for prop in sorted(pb.keys() - pa.keys()):
            required = prop in rb
            covers = [pointer(*at, "properties", prop)] + ([required_at] if required else [])
            consequence = (
                " Consumers that validate with the old schema refuse payloads that carry it." if closed_before else ""
            )
            self.row(
                "added",
                "field",
                f"{name}.{prop}",
                "new field " + field_words(prop, pb[prop], required, self.new_defs, self.meanings) + "." + consequence,
                required,
                closed_before,
                *covers,
            )
        for prop in sorted(pa.keys() - pb.keys()):
            covers = [pointer(*at, "properties", prop)] + ([required_at] if prop in ra else [])
            self.row(
                "removed",
                "field",
                f"{name}.{prop}",
                f"field {code(prop)} removed"
                + ("; producers that still send it are refused" if closed_after else "")
                + ("; consumers that relied on it being there must cope without it" if prop in ra else ""),
                closed_after,
                prop in ra,
                *covers,
            )
        for prop in sorted(pa.keys() & pb.keys()):
            if (prop in ra) != (prop in rb):
                now = prop in rb
                self.row(
                    "changed",
                    "required",
                    f"{name}.{prop}",
                    f"{code(prop)} is now {'required: producers must always send it' if now else 'optional: consumers must cope without it'}",
                    now,
                    not now,
                    required_at,
                )
            self.property(name, prop, pa[prop], pb[prop], (*at, "properties", prop))
        stray = (ra ^ rb) - set(pa) - set(pb)
        if stray:
            self.row(
                "changed",
                "required",
                name,
                f"required names without a field changed: {sorted(stray)}",
                True,
                True,
                required_at,
            )

    def property(self, cls: str, prop: str, a: dict, b: dict, at: tuple) -> None:
        name = f"{cls}.{prop}"
        if a.get("description") != b.get("description"):
            self.row(
                "changed",
                "description",
                name,
                f"description of {code(prop)}: {a.get('description')!r} → {b.get('description')!r}",
                False,
                False,
                pointer(*at, "description"),
            )
        self.subschema(
            name,
            {k: v for k, v in a.items() if k != "description"},
            {k: v for k, v in b.items() if k != "description"},
            at,
        )

    def subschema(self, name: str, a: dict, b: dict, at: tuple) -> None:
        """Compare what two subschemas allow; the rows cover every key written differently."""
        raw = [k for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k)]
        if not raw:
            return
        ea, eb = self.effective(a, True), self.effective(b, False)
        covers, outer = tuple(pointer(*at, k) for k in raw), self.covering
        if ea == eb:
            target = b.get("$ref", a.get("$ref", ""))
            self.row(
                "changed",
                "form",
                name,
                f"written differently, allowing the same values: {self.words(b)}"
                + (f" (now through the definition {code(target.rsplit('/', 1)[-1])})" if "$ref" in b else ""),
                False,
                False,
                *covers,
            )
            return
        self.covering = covers if outer is None else outer
        try:
            for key in sorted(ea.keys() | eb.keys()):
                if ea.get(key) != eb.get(key):
                    self.constraint(name, key, ea.get(key), eb.get(key), at, ea, eb)
        finally:
            self.covering = outer

    def constraint(self, name: str, key: str, old, new, at: tuple, a: dict, b: dict) -> None:
        where = pointer(*at, key)
        if (
            key in ("additionalProperties", "items", "propertyNames")
            and isinstance(old, dict)
            and isinstance(new, dict)
        ):
            part = {"additionalProperties": "each value", "items": "each item", "propertyNames": "each key"}[key]
            self.subschema(f"{name} ({part})", old, new, (*at, key))
            return
        if key == "enum":
            self.enum_values(name, old or [], new or [], at)
            return
        if key in ("title", "examples", "$comment"):
            self.row("changed", "description", name, f"{key}: {code(old)} → {code(new)}", False, False, where)
            return
        if key in TIGHTER_WHEN_HIGHER + TIGHTER_WHEN_LOWER and (
            old is None or new is None or isinstance(old, (int, float))
        ):
            tighter = old is None or (new is not None and (new > old if key in TIGHTER_WHEN_HIGHER else new < old))
            if new is None:
                tighter = False
            self.row(
                "changed",
                "bound",
                name,
                f"{key} {code(old) if old is not None else '(none)'} → {code(new) if new is not None else '(none)'}: "
                f"{self.words(b, True)}",
                tighter,
                not tighter,
                where,
            )
            return
        if key == "additionalProperties":
            closing = new is False
            self.row(
                "changed",
                "constraint",
                name,
                "no keys beyond those listed are now allowed"
                if closing
                else f"keys beyond those listed are now allowed ({self.words({'additionalProperties': new})})",
                closing,
                not closing,
                where,
            )
            return
        if key == "pattern":
            if old is None or new is None:
                self.row(
                    "changed",
                    "pattern",
                    name,
                    f"pattern {'added' if new else 'removed'}: "
                    + (self.words({"pattern": new}) if new else f"was {self.words({'pattern': old}, False)}"),
                    new is not None,
                    new is None,
                    where,
                )
            else:
                self.row(
                    "changed",
                    "pattern",
                    name,
                    f"was {self.words({'pattern': old}, False)}; now {self.words({'pattern': new})}",
                    True,
                    True,
                    where,
                )
            return
        if key == "format":
            self.row(
                "changed", "format", name, f"format {code(old)} → {code(new)}", new is not None, old is not None, where
            )
            return
        if key == "default":
            self.row(
                "changed", "default", name, f"value used when left out: {code(old)} → {code(new)}", False, True, where
            )
            return
        before = self.words(a, False)
        after = self.words(b, True)
        self.row("changed", "type", name, f"{key} changed: was {before}; now {after}", True, True, where)

    # --- rules (if/then, allOf of if/then) ---------------------------------------------------
    def rules(self, name: str, a: dict, b: dict, at: tuple) -> None:
        def rules_of(schema: dict) -> list[str]:
            found = [schema] if "if" in schema else []
            found += [s for s in schema.get("allOf") or [] if "if" in s]
            return [json.dumps({k: r[k] for k in RULE_KEYS if k in r}, sort_keys=True) for r in found]

        ra, rb = rules_of(a), rules_of(b)
        covers = [pointer(*at, k) for k in (*RULE_KEYS, "allOf")]
        for rule in [r for r in rb if r not in ra]:
            self.row(
                "added",
                "rule",
                name,
                "new rule " + rule_words(json.loads(rule), self.new_defs, self.meanings),
                True,
                False,
                *covers,
            )
        for rule in [r for r in ra if r not in rb]:
            self.row(
                "removed",
                "rule",
                name,
                "rule removed: " + rule_words(json.loads(rule), self.old_defs, self.meanings),
                False,
                True,
                *covers,
            )
        other_a = [s for s in a.get("allOf") or [] if "if" not in s]
        other_b = [s for s in b.get("allOf") or [] if "if" not in s]
        if other_a != other_b:
            self.row(
                "changed",
                "constraint",
                name,
                f"also must be: was {self.words({'allOf': other_a}, False)}; now {self.words({'allOf': other_b})}",
                True,
                True,
                pointer(*at, "allOf"),
            )


def _renamed_refs(value, renamed: dict[str, str]):
    """`value` with every reference to a renamed definition pointing at its new name."""
    if isinstance(value, dict):
        out = {k: _renamed_refs(v, renamed) for k, v in value.items()}
        if isinstance(out.get("$ref"), str):
            prefix, _, name = out["$ref"].rpartition("/")
            out["$ref"] = f"{prefix}/{renamed.get(name, name)}"
        return out
    if isinstance(value, list):
        return [_renamed_refs(v, renamed) for v in value]
    return value


def _shape(schema: dict):
    """What identifies a definition across a rename: its enum values, or its field names."""
    if "enum" in schema:
        return ("enum", tuple(schema["enum"]))
    if "properties" in schema:
        return ("object", tuple(sorted(schema["properties"])))
    return ("other", tuple(sorted(k for k in schema if k not in ("title", "description"))))


def _renames(old: dict, new: dict, aliases: dict[str, str]) -> dict[str, str]:
    """Definitions that only changed name: first as the LinkML source records it (a class's
    `registry_name`, either way round), then a removed one matched to the added one of the same
    shape (field names or enum values) whose text is most alike; each added one is matched once."""
    from difflib import SequenceMatcher

    both_ways = {**aliases, **{v: k for k, v in aliases.items()}}
    added = {n: _shape(new[n]) for n in new.keys() - old.keys()}
    out: dict[str, str] = {n: both_ways[n] for n in sorted(old.keys() - new.keys()) if both_ways.get(n) in added}
    for name in sorted(old.keys() - new.keys() - out.keys()):
        candidates = [n for n, shape in added.items() if shape == _shape(old[name]) and n not in out.values()]
        if candidates:
            text = json.dumps(old[name], sort_keys=True)
            out[name] = max(
                candidates, key=lambda n: (SequenceMatcher(None, text, json.dumps(new[n], sort_keys=True)).ratio(), n)
            )
    return out


def _meta(differ: _Differ, old: dict, new: dict, keys, at: tuple = ()) -> None:
    for key in keys:
        if old.get(key) != new.get(key):
            what = {"version": "version", "$id": "identifier", "x-ib1-registry-label": "registry label"}.get(key, key)
            differ.row(
                "changed" if key in old and key in new else ("added" if key in new else "removed"),
                "metadata",
                ".".join((*at, key)) if at else key,
                f"{what}: {code(old.get(key)) if key in old else '(none)'} → "
                f"{code(new.get(key)) if key in new else '(none)'}",
                False,
                False,
                pointer(*at, key),
            )


def jsonschema_changes(old: dict, new: dict, meanings: dict, aliases: dict | None = None) -> list[PublishedChange]:
    differ = _Differ("JSON Schema", old.get("$defs") or {}, new.get("$defs") or {}, meanings, aliases=aliases or {})
    _meta(differ, old, new, DOCUMENT_METADATA)
    served_a = [s.get("$ref") for s in old.get("anyOf") or []]
    served_b = [s.get("$ref") for s in new.get("anyOf") or []]
    for ref in [r for r in served_b if r not in served_a]:
        differ.row(
            "added",
            "payload",
            ref.rsplit("/", 1)[-1],
            f"the release now serves {code(ref.rsplit('/', 1)[-1])} payloads",
            False,
            True,
            "/anyOf",
        )
    for ref in [r for r in served_a if r not in served_b]:
        differ.row(
            "removed",
            "payload",
            ref.rsplit("/", 1)[-1],
            f"the release no longer serves {code(ref.rsplit('/', 1)[-1])}",
            True,
            False,
            "/anyOf",
        )
    differ.definitions(differ.old_defs, differ.new_defs, ("$defs",))
    return _with_unexplained(differ, old, new)


def _operation_words(method: str, path: str, op: dict, defs: dict, meanings: dict) -> str:
    params = "; ".join(
        f"{p.get('in')} parameter {code(p.get('name'))} "
        f"({'required' if p.get('required') else 'optional'}, {schema_words(p.get('schema'), defs, meanings)})"
        for p in op.get("parameters") or []
    )
    responses = "; ".join(f"{c}: {_response_words(r, defs, meanings)}" for c, r in (op.get("responses") or {}).items())
    return f"{method.upper()} {path}" + (f"; parameters: {params}" if params else "") + f"; responses: {responses}"


def _response_words(response: dict, defs: dict, meanings: dict) -> str:
    parts = [response.get("description", "")]
    for media, content in (response.get("content") or {}).items():
        parts.append(f"body {media}, {schema_words(content.get('schema'), defs, meanings)}")
        if content.get("examples"):
            parts.append("examples " + ", ".join(code(n) for n in content["examples"]))
    for header, spec in (response.get("headers") or {}).items():
        parts.append(
            f"header {code(header)} ({'required' if spec.get('required') else 'optional'}, "
            f"{schema_words(spec.get('schema'), defs, meanings)})"
        )
    return "; ".join(p for p in parts if p)


def _operations(differ: _Differ, old: dict, new: dict) -> None:
    pa, pb = old.get("paths") or {}, new.get("paths") or {}
    for path in sorted(pb.keys() - pa.keys()):
        for method, op in pb[path].items():
            differ.row(
                "added",
                "endpoint",
                f"{method.upper()} {path}",
                "new endpoint " + _operation_words(method, path, op, differ.new_defs, differ.meanings),
                True,
                False,
                pointer("paths", path),
            )
    for path in sorted(pa.keys() - pb.keys()):
        differ.row(
            "removed",
            "endpoint",
            path,
            f"endpoint {code(path)} removed; clients that call it fail",
            False,
            True,
            pointer("paths", path),
        )
    for path in sorted(pa.keys() & pb.keys()):
        for method in sorted(pb[path].keys() - pa[path].keys()):
            differ.row(
                "added",
                "endpoint",
                f"{method.upper()} {path}",
                "new operation " + _operation_words(method, path, pb[path][method], differ.new_defs, differ.meanings),
                True,
                False,
                pointer("paths", path, method),
            )
        for method in sorted(pa[path].keys() - pb[path].keys()):
            differ.row(
                "removed",
                "endpoint",
                f"{method.upper()} {path}",
                "operation removed",
                False,
                True,
                pointer("paths", path, method),
            )
        for method in sorted(pa[path].keys() & pb[path].keys()):
            _operation(differ, f"{method.upper()} {path}", pa[path][method], pb[path][method], ("paths", path, method))


def _operation(differ: _Differ, name: str, a: dict, b: dict, at: tuple) -> None:
    for key in sorted((a.keys() | b.keys()) - {"parameters", "responses"}):
        if a.get(key) != b.get(key):
            renames = key in ("operationId", "tags")
            differ.row(
                "changed",
                "operation",
                name,
                f"{key}: {code(a.get(key))} → {code(b.get(key))}"
                + ("; clients generated from the document change" if renames else ""),
                key == "security",
                renames or key == "security",
                pointer(*at, key),
            )
    params_a = {(p.get("in"), p.get("name")): p for p in a.get("parameters") or []}
    params_b = {(p.get("in"), p.get("name")): p for p in b.get("parameters") or []}
    covers = pointer(*at, "parameters")
    for key in [k for k in params_b if k not in params_a]:
        p = params_b[key]
        required = bool(p.get("required"))
        differ.row(
            "added",
            "parameter",
            f"{name} {key[0]} {key[1]}",
            f"new {'required' if required else 'optional'} {key[0]} parameter {code(key[1])}: "
            f"{schema_words(p.get('schema'), differ.new_defs, differ.meanings)}. {p.get('description', '')}".strip(),
            True,
            required,
            covers,
        )
    for key in [k for k in params_a if k not in params_b]:
        differ.row(
            "removed",
            "parameter",
            f"{name} {key[0]} {key[1]}",
            f"{key[0]} parameter {code(key[1])} removed",
            False,
            True,
            covers,
        )
    for key in [k for k in params_a if k in params_b]:
        pa, pb = params_a[key], params_b[key]
        for field_name in sorted(pa.keys() | pb.keys()):
            if pa.get(field_name) != pb.get(field_name):
                now_required = field_name == "required" and pb.get("required")
                differ.row(
                    "changed",
                    "parameter",
                    f"{name} {key[0]} {key[1]}",
                    f"{field_name}: {code(pa.get(field_name))} → {code(pb.get(field_name))}",
                    field_name not in ("description", "example", "examples"),
                    bool(now_required) or field_name in ("schema", "in"),
                    covers,
                )
    if [k for k in params_a if k in params_b] != [k for k in params_b if k in params_a]:
        differ.row("changed", "parameter", name, "parameters listed in another order", False, False, covers)
    _responses(differ, name, a.get("responses") or {}, b.get("responses") or {}, (*at, "responses"))


def _responses(differ: _Differ, name: str, ra: dict, rb: dict, at: tuple) -> None:
    for status in sorted(rb.keys() - ra.keys()):
        differ.row(
            "added",
            "response",
            f"{name} {status}",
            f"new response {status}: {_response_words(rb[status], differ.new_defs, differ.meanings)}; clients must handle it",
            False,
            True,
            pointer(*at, status),
        )
    for status in sorted(ra.keys() - rb.keys()):
        differ.row(
            "removed",
            "response",
            f"{name} {status}",
            f"response {status} is no longer documented; servers must not answer it",
            True,
            False,
            pointer(*at, status),
        )
    for status in sorted(ra.keys() & rb.keys()):
        a, b, here = ra[status], rb[status], f"{name} {status}"
        if a.get("description") != b.get("description"):
            differ.row(
                "changed",
                "description",
                here,
                f"{a.get('description')!r} → {b.get('description')!r}",
                False,
                False,
                pointer(*at, status, "description"),
            )
        for key in sorted((a.keys() | b.keys()) - {"description", "content", "headers"}):
            if a.get(key) != b.get(key):
                differ.row(
                    "changed",
                    "response",
                    here,
                    f"{key}: {code(a.get(key))} → {code(b.get(key))}",
                    True,
                    True,
                    pointer(*at, status, key),
                )
        _contents(differ, here, a.get("content") or {}, b.get("content") or {}, (*at, status, "content"))
        _headers(differ, here, a.get("headers") or {}, b.get("headers") or {}, (*at, status, "headers"))


def _contents(differ: _Differ, name: str, ca: dict, cb: dict, at: tuple) -> None:
    for media in sorted(cb.keys() - ca.keys()):
        first = not ca  # a body where there was none constrains servers; another media type is new to clients
        differ.row(
            "added",
            "body",
            f"{name} {media}",
            f"body now {media}: {schema_words(cb[media].get('schema'), differ.new_defs, differ.meanings)}",
            first,
            not first,
            pointer(*at, media),
        )
    for media in sorted(ca.keys() - cb.keys()):
        differ.row("removed", "body", f"{name} {media}", f"no longer answers {media}", True, False, pointer(*at, media))
    for media in sorted(ca.keys() & cb.keys()):
        a, b = ca[media], cb[media]
        if a.get("schema") != b.get("schema"):
            differ.row(
                "changed",
                "body",
                f"{name} {media}",
                f"body was {schema_words(a.get('schema'), differ.old_defs, differ.meanings)}; "
                f"now {schema_words(b.get('schema'), differ.new_defs, differ.meanings)}",
                True,
                True,
                pointer(*at, media, "schema"),
            )
        ea, eb = a.get("examples") or {}, b.get("examples") or {}
        for example in sorted(eb.keys() - ea.keys()):
            differ.row(
                "added",
                "example",
                f"{name} {example}",
                f"example {code(example)}: {eb[example].get('summary', '')}",
                False,
                False,
                pointer(*at, media, "examples", example),
            )
        for example in sorted(ea.keys() - eb.keys()):
            differ.row(
                "removed",
                "example",
                f"{name} {example}",
                f"example {code(example)} removed",
                False,
                False,
                pointer(*at, media, "examples", example),
            )
        for example in sorted(ea.keys() & eb.keys()):
            if ea[example] != eb[example]:
                differ.row(
                    "changed",
                    "example",
                    f"{name} {example}",
                    f"example {code(example)} changed",
                    False,
                    False,
                    pointer(*at, media, "examples", example),
                )
        for key in sorted((a.keys() | b.keys()) - {"schema", "examples"}):
            if a.get(key) != b.get(key):
                differ.row(
                    "changed",
                    "body",
                    f"{name} {media}",
                    f"{key}: {code(a.get(key))} → {code(b.get(key))}",
                    False,
                    False,
                    pointer(*at, media, key),
                )


def _headers(differ: _Differ, name: str, ha: dict, hb: dict, at: tuple) -> None:
    for header in sorted(hb.keys() - ha.keys()):
        spec = hb[header]
        differ.row(
            "added",
            "header",
            f"{name} {header}",
            f"new {'required' if spec.get('required') else 'optional'} header {code(header)}: "
            f"{schema_words(spec.get('schema'), differ.new_defs, differ.meanings)}. {spec.get('description', '')}".strip(),
            bool(spec.get("required")),
            False,
            pointer(*at, header),
        )
    for header in sorted(ha.keys() - hb.keys()):
        differ.row(
            "removed",
            "header",
            f"{name} {header}",
            f"header {code(header)} no longer documented",
            False,
            bool(ha[header].get("required")),
            pointer(*at, header),
        )
    for header in sorted(ha.keys() & hb.keys()):
        if ha[header] != hb[header]:
            differ.row(
                "changed",
                "header",
                f"{name} {header}",
                f"was {schema_words(ha[header].get('schema'), differ.old_defs, differ.meanings)}"
                f" ({'required' if ha[header].get('required') else 'optional'}); now "
                f"{schema_words(hb[header].get('schema'), differ.new_defs, differ.meanings)}"
                f" ({'required' if hb[header].get('required') else 'optional'})",
                True,
                True,
                pointer(*at, header),
            )


def openapi_changes(old: dict, new: dict, meanings: dict, aliases: dict | None = None) -> list[PublishedChange]:
    old_defs = (old.get("components") or {}).get("schemas") or {}
    new_defs = (new.get("components") or {}).get("schemas") or {}
    differ = _Differ("OpenAPI", old_defs, new_defs, meanings, aliases=aliases or {})
    _meta(differ, old, new, ("openapi", "jsonSchemaDialect"))
    _meta(
        differ,
        old.get("info") or {},
        new.get("info") or {},
        sorted((old.get("info") or {}).keys() | (new.get("info") or {}).keys()),
        ("info",),
    )
    for key in ("servers", "security", "tags"):
        if old.get(key) != new.get(key):
            differ.row(
                "changed",
                "metadata",
                key,
                f"{key}: {code(old.get(key))} → {code(new.get(key))}",
                key == "security",
                key == "security",
                pointer(key),
            )
    _operations(differ, old, new)
    sa = (old.get("components") or {}).get("securitySchemes") or {}
    sb = (new.get("components") or {}).get("securitySchemes") or {}
    if sa != sb:
        differ.row(
            "changed",
            "security",
            "securitySchemes",
            f"security schemes: {code(sa)} → {code(sb)}",
            True,
            True,
            pointer("components", "securitySchemes"),
        )
    differ.definitions(old_defs, new_defs, ("components", "schemas"))
    return _with_unexplained(differ, old, new)


def _with_unexplained(differ: _Differ, old: dict, new: dict) -> list[PublishedChange]:
    covers = [c for r in differ.rows for c in r.covers]
    for leaf in leaf_differences(old, new):
        if not covered(leaf, covers):
            differ.rows.append(
                PublishedChange(
                    differ.document,
                    "changed",
                    "unexplained",
                    leaf,
                    f"a difference no rule of the pack explains at {code(leaf)}",
                    True,
                    True,
                    (leaf,),
                    explained=False,
                )
            )
            covers.append(leaf)
    return differ.rows
