"""Pages for every data specification release, rendered from its LinkML cut.

Per release: an overview (status, decision, neighbouring versions, downloads, class
diagram, enumerations, examples) at `specifications/<ref>/`, and one page per class at
`specifications/<ref>/<Class>/` with an anchor per field. Requirement levels are BCP 14
key words: a required field MUST be present; an optional one MAY be, or SHOULD be where
the model says so (`requirement_level: SHOULD`).
"""

from __future__ import annotations

from perseus.examples import all_examples
from perseus.releases import STRICT, Release, all_releases
from perseus.site import artefacts, diagrams
from perseus.site.downloads import download_link
from perseus.site.markdown import cell, json_example, key_values, table
from perseus.site.reference import Field, added_in, anchor, base_words, cut, fields, referrers
from perseus.site.status import badge, standing

BCP14 = (
    "The key words MUST, SHOULD and MAY are to be interpreted as described in BCP 14 "
    "([RFC 2119](https://www.rfc-editor.org/rfc/rfc2119), [RFC 8174](https://www.rfc-editor.org/rfc/rfc8174)) "
    "when, and only when, they appear in all capitals, as shown here."
)


def release_schema(ref: str) -> dict:
    """The release's generated JSON Schema (what its pages describe in the models' terms)."""
    import json

    from perseus.paths import GENERATED

    return json.loads((GENERATED / "jsonschema" / f"{ref}.schema.json").read_text())


def release_dir(ref: str) -> str:
    return f"specifications/{ref}"


def class_page(ref: str, cls: str) -> str:
    return f"{release_dir(ref)}/{cut(ref).shown(cls)}.md"


# --- words for one field ----------------------------------------------------------------------------


def _range_words(ref: str, f: Field, from_page: str) -> str:
    c = cut(ref)
    parts = []
    for name in f.ranges:
        if f.any_json:
            parts.append(
                "an encoded step, a nested list or the integer 0"
                if f.multivalued
                else "a JSON object (see the JSON Schema)"
            )
        elif name in c.view.all_classes():
            parts.append(f"a [{c.shown(name)}]({artefacts.link(from_page, class_page(ref, name))}) object")
        elif name in c.view.all_enums():
            parts.append(f"a [{name}]({artefacts.link(from_page, release_dir(ref) + '/index.md')}#{name}) value")
        else:
            parts.append(f"{base_words(c.view, name)} (`{name}`)")
    text = " or ".join(parts)
    return f"a list, each item {text}" if f.multivalued else text


def _requirement(f: Field) -> str:
    if f.level == "MUST":
        return "MUST be present."
    if f.level == "SHOULD":
        return f"SHOULD be present{' when ' + f.level_when if f.level_when else ''}; MAY be omitted otherwise."
    return "MAY be omitted."


def _bounds(f: Field) -> str | None:
    low = f"at least {f.minimum:g}" if f.minimum is not None else ""
    high = f"at most {f.maximum:g}" if f.maximum is not None else ""
    return " and ".join(x for x in (low, high) if x) or None


FORMAT_WORDS = {
    "date-time": "an RFC 3339 date-time (JSON Schema `format: date-time`): a validator that checks formats "
    "refuses an impossible date such as 30 February, which the pattern alone lets through",
    "date": "an RFC 3339 full date (JSON Schema `format: date`)",
    "uri": "an absolute URI (JSON Schema `format: uri`)",
}


def field_section(ref: str, f: Field, from_page: str) -> str:
    rows = [("Requirement", _requirement(f)), ("Type", _range_words(ref, f, from_page))]
    if f.pattern:
        where = (
            (
                " in the strict profile (`--strict`, the `.strict.schema.json` download); the registry profile "
                "leaves it out"
            )
            if f.pattern_strict_only
            else ""
        )
        rows.append(
            ("Pattern", f"the value MUST match `{f.pattern}` (a regular expression, as JSON Schema `pattern`){where}")
        )
    if f.enum_values:
        rows.append(("Allowed values", "one of " + ", ".join(f"`{v}`" for v in f.enum_values)))
    if bounds := _bounds(f):
        rows.append(("Bounds", f"the value MUST be {bounds}"))
    for fmt in f.formats:
        rows.append(("Format", f"the value MUST be {FORMAT_WORDS[fmt]}"))
    rows.append(("Added in", f.added_in))
    return f"### `{f.name}` {{#{f.anchor}}}\n\n" + key_values(rows) + f"{cell(f.description)}\n"


# --- class pages ------------------------------------------------------------------------------------


def _type_text(ref: str, f: Field) -> str:
    names = ["Any" if f.any_json else cut(ref).shown(n) if n in cut(ref).view.all_classes() else n for n in f.ranges]
    return " | ".join(names) + ("[*]" if f.multivalued else "") + ("" if f.level == "MUST" else "?")


def _class_box(ref: str, cls: str, href: str, focus: bool = False) -> diagrams.Box:
    return diagrams.Box(cls, href, [(f.name, _type_text(ref, f)) for f in fields(ref, cls)], focus, cut(ref).shown(cls))


def class_diagram(ref: str, cls: str) -> str:
    """The class, the classes that hold it (left) and the classes it holds (right)."""
    c = cut(ref)
    known = set(c.classes())
    holders = list(dict.fromkeys(other for other, _ in referrers(ref, cls) if other != cls))
    held = list(dict.fromkeys(r for f in fields(ref, cls) for r in f.ranges if r in known and r != cls))
    href = lambda name: f"../{c.shown(name)}/"  # noqa: E731 (pages use directory URLs: <ref>/<Class>/)
    columns = [
        [_class_box(ref, h, href(h)) for h in holders],
        [_class_box(ref, cls, href(cls), focus=True)],
        [_class_box(ref, h, href(h)) for h in held],
    ]
    edges = [(h, f.name, cls) for h in holders for f in fields(ref, h) if cls in f.ranges]
    edges += [(cls, f.name, r) for f in fields(ref, cls) for r in f.ranges if r in held]
    return diagrams.svg(
        [col for col in columns if col], edges, f"{c.shown(cls)} in {ref}: the classes that hold it and that it holds"
    )


def release_diagram(ref: str, href_prefix: str) -> str:
    """Every class of the release, in columns by distance from the payloads."""
    c = cut(ref)
    known = set(c.classes())
    depth = {p: 0 for p in c.release.payloads if p in known}
    todo = list(depth)
    while todo:
        name = todo.pop(0)
        for f in fields(ref, name):
            for r in f.ranges:
                if r in known and r not in depth:
                    depth[r] = depth[name] + 1
                    todo.append(r)
    columns = [
        [
            _class_box(ref, n, f"{href_prefix}{c.shown(n)}/")
            for n in sorted(depth, key=lambda n: c.classes().index(n))
            if depth[n] == level
        ]
        for level in range(max(depth.values()) + 1)
    ]
    edges = [(n, f.name, r) for n in depth for f in fields(ref, n) for r in f.ranges if r in depth and r != n]
    return diagrams.svg(columns, edges, f"The classes of {ref}")


def class_examples(ref: str) -> dict[str, list[tuple[str, str, object]]]:
    """Class -> [(example file, JSON path, value)]: payload examples, and the objects nested in them."""
    found: dict[str, list] = {}

    def walk(cls: str, value, source: str, path: str) -> None:
        if not isinstance(value, dict):
            return
        found.setdefault(cls, [])
        if len(found[cls]) < 2:
            found[cls].append((source, path, value))
        for f in fields(ref, cls):
            target = next((r for r in f.ranges if r in set(cut(ref).classes())), None)
            if target is None or f.name not in value:
                continue
            items = value[f.name] if f.multivalued else [value[f.name]]
            for i, item in enumerate(items[:1]):
                walk(target, item, source, f"{path}.{f.name}" + (f"[{i}]" if f.multivalued else ""))

    for example in all_examples():
        if ref in example.valid_in:
            walk(example.cls, example.load(), example.path.name, "$")
    return found


def class_page_text(release: Release, cls: str, examples: dict) -> str:
    ref = release.ref
    page = class_page(ref, cls)
    c = cut(ref)
    definition = c.view.get_class(cls)
    held_by = referrers(ref, cls)
    s = standing(ref, "data-specification")
    name = c.shown(cls)
    used = (
        ", ".join(f"[{c.shown(other)}]({c.shown(other)}.md#{anchor(field)}) `{field}`" for other, field in held_by)
        if held_by
        else "none: it is a payload of the release"
    )
    also = f" (the models' `{cls}`)" if name != cls else ""
    definition_schema = release_schema(ref)["$defs"].get(name, {})
    closed = definition_schema.get("additionalProperties") is False
    out = [
        f"---\ntitle: {name} ({ref})\nsearch:\n  boost: 0.5\n---\n",  # one page per class and release: below the overviews
        f"# {name}\n",
        f"{badge(s.status)} A class of [{ref}](index.md){also}. {cell(definition.description)}\n",
        key_values(
            [
                ("Added in", added_in(release, "class", cls)),
                (
                    "Payload",
                    "yes, a response body of the API" if cls in release.payloads else "no, held by another class",
                ),
                ("Held by", used),
                (
                    "Other keys",
                    "refused: the object is closed"
                    if closed
                    else "allowed: the object is open to keys this release does not define"
                    + (
                        "; the strict profile refuses them"
                        if release.has_strict_profile and release.profile != STRICT
                        else ""
                    ),
                ),
                ("In other versions", _other_versions(release, cls)),
            ]
        ),
        f"## Fields\n\n{BCP14}\n",
        table(
            ["field", "requirement", "type", "added in"],
            [[f"[`{f.name}`](#{f.anchor})", f.level, _range_words(ref, f, page), f.added_in] for f in fields(ref, cls)],
        ),
    ]
    out += [field_section(ref, f, page) for f in fields(ref, cls)]
    rules = definition.rules or []
    if rules:
        out.append("## Rules\n")
        out += [
            f"- {cell(rule.description)} (added in {added_in(release, 'rule', cls, rule.description)})"
            for rule in rules
        ]
        out.append("")
    out.append("## Diagram\n")
    out.append(
        diagrams.frame(
            class_diagram(ref, cls),
            f"{name} (highlighted), the classes that hold it and the classes it "
            "holds; a trailing ? marks a field that MAY or SHOULD be present, [*] a list.",
        )
    )
    out.append("## Example\n")
    shown = examples.get(cls, [])
    if not shown:
        out.append("No example of this release holds one.\n")
    for source, path, value in shown:
        where = "the whole payload" if path == "$" else f"`{path}`"
        out.append(f"From `{source}`, {where}:\n")
        out.append(json_example(value, ref, name, source if path == "$" else f"{source} {path}"))
    return "\n".join(out)


def _other_versions(release: Release, cls: str) -> str:
    parts = []
    for ref in artefacts.versions(release.label):
        if ref == release.ref:
            continue
        if cls in cut(ref).classes():
            parts.append(f"[{ref}](../{ref}/{cut(ref).shown(cls)}.md)")
    return ", ".join(parts) or "none"


# --- release pages ----------------------------------------------------------------------------------


def _enum_section(release: Release, name: str) -> str:
    enum = cut(release.ref).view.get_enum(name)
    rows = [
        [f"`{v}`", f"`{pv.meaning}`" if pv.meaning else "", added_in(release, "value", name, v), pv.description]
        for v, pv in enum.permissible_values.items()
    ]
    return (
        f"### {name} {{#{name}}}\n\n{cell(enum.description)} Added in {added_in(release, 'enum', name)}.\n\n"
        + table(["value", "meaning", "added in", "description"], rows)
    )


def release_page(release: Release) -> str:
    ref = release.ref
    page = f"{release_dir(ref)}/index.md"
    c = cut(ref)
    strict = (
        ", " + download_link(f"jsonschema/{ref}.strict.schema.json", "JSON Schema, strict profile", 2)
        if release.has_strict_profile and release.profile != STRICT
        else ""
    )
    rows = artefacts.related(ref, page) + [
        (
            "Profile",
            f"{release.profile}: "
            + (
                "objects closed, timestamps in `Z`, as approved"
                if release.profile == STRICT
                else "as the registry's documents: objects open to further keys, RFC 3339 timestamps"
            ),
        ),
        (
            "Downloads",
            f"{download_link(f'jsonschema/{ref}.schema.json', 'JSON Schema', 2)}{strict}, "
            f"{download_link(f'openapi/{ref}.json', 'OpenAPI document', 2)}, "
            "[LinkML sources](../../downloads/index.md#linkml-sources)",
        ),
        ("API reference", f"[{ref}](../../api/{ref}.md)"),
    ]
    if release.reproduces:
        rows.append(
            (
                "Reproduces",
                f"the registry's document <{release.reproduces}>; see "
                "[Differences from the registry](../../registry/index.md)",
            )
        )
    if release.builds_on:
        rows.append(("Builds on", ", ".join(f"[{r}](../{r}/index.md)" for r in release.builds_on)))
    out = [
        f"---\ntitle: {ref} (data specification)\n---\n",
        f"# {release.title} ({ref})\n",
        f"{cell(release.description)}\n",
        key_values(rows),
        "## Classes\n",
        "Payloads are the response bodies the API serves; the other classes are held by them. " + BCP14 + "\n",
        table(
            ["class", "payload", "what it is", "added in"],
            [
                [
                    f"[{c.shown(n)}]({c.shown(n)}.md)",
                    "yes" if n in release.payloads else "",
                    c.view.get_class(n).description,
                    added_in(release, "class", n),
                ]
                for n in c.classes()
            ],
        ),
        "### Diagram\n",
        diagrams.frame(
            release_diagram(ref, ""),
            f"The classes of {ref}; an arrow runs from a field to the class it holds. "
            "Each box links to its class page.",
            "diagram.svg",
        ),
        "## Enumerations\n",
    ]
    out += [_enum_section(release, name) for name in c.enums()]
    out.append(
        "## Examples\n\nEach is shown on the page of its class, and can be downloaded with the others "
        "([examples](../../downloads/index.md#examples)).\n"
    )
    out.append(
        table(
            ["example", "class", "what it shows"],
            [
                [f"`{e.path.name}`", f"[{c.shown(e.cls)}]({c.shown(e.cls)}.md#example)", e.summary]
                for e in all_examples()
                if ref in e.valid_in
            ],
        )
    )
    return "\n".join(out)


def pages() -> dict[str, str]:
    releases = all_releases()
    rows = [
        [
            f"[{r.ref}]({r.ref}/index.md)",
            badge(standing(r.ref).status),
            f"{'the registry’s' if r.deployed else 'the project’s'}, {r.profile} profile",
            r.description,
        ]
        for r in sorted(releases, key=lambda r: (r.label, r.version))
    ]
    index = (
        "---\ntitle: Data specifications\n---\n\n# Data specifications\n\nEvery published version, cut from the LinkML "
        "models in `spec/`. Each version has a page per class, with an anchor per field; the "
        "[latest](../latest/index.md) page of each label names the version to build against. The registry's releases "
        "are reproduced; the project's build on them. The registry profile accepts what the registry's documents "
        "accept; the strict profile adds the project's rules (closed objects, timestamps in `Z`, calendar months). "
        f"[Differences from the registry](../registry/index.md) lists every difference.\n\n{BCP14}\n\n"
        + table(["release", "status", "whose", "what it is"], rows)
    )
    out = {"specifications/index.md": index}
    for release in releases:
        out[f"{release_dir(release.ref)}/index.md"] = release_page(release)
        examples = class_examples(release.ref)
        for cls in cut(release.ref).classes():
            out[class_page(release.ref, cls)] = class_page_text(release, cls, examples)
    return out


def assets() -> dict[str, bytes]:
    return {f"{release_dir(r.ref)}/diagram.svg": release_diagram(r.ref, "./").encode() for r in all_releases()}
