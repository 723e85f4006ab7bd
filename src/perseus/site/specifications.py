"""Pages for every data specification release, rendered from its LinkML cut."""

from __future__ import annotations

from linkml_runtime import SchemaView

from perseus.examples import all_examples
from perseus.releases import STRICT, Release, all_releases
from perseus.site.markdown import cell, json_example, table
from perseus.spec_versions import annotation, cut_schema


def _range_text(view: SchemaView, slot) -> str:
    names = [slot.range] if slot.range else [x.range for x in slot.any_of or []]
    parts = []
    for name in names:
        if name in view.all_classes() and view.get_class(name).class_uri == "linkml:Any":
            parts.append("encoded step, nested list, or the integer 0")
        elif name in view.all_classes() or name in view.all_enums():
            parts.append(f"[{name}](#{name.lower()})")
        else:
            parts.append(f"`{name}`")
    text = " or ".join(parts)
    return f"list of {text}" if slot.multivalued else text


def _constraints(view: SchemaView, slot, release: Release) -> str:
    found = []
    rng = view.all_types().get(slot.range)
    pattern = slot.pattern or (rng.pattern if rng else None)
    if pattern:
        strict_only = rng is not None and annotation(rng, "pattern_profile") == STRICT and release.profile != STRICT
        found.append(f"pattern `{pattern}`" + (" (strict profile only)" if strict_only else ""))
    if slot.minimum_value is not None:
        found.append(f"≥ {slot.minimum_value}")
    if slot.maximum_value is not None:
        found.append(f"≤ {slot.maximum_value}")
    if rng is not None and rng.base == "XSDDateTime":
        found.append("date-time")
    if slot.range in view.all_enums():
        found.append("one of " + ", ".join(f"`{v}`" for v in view.get_enum(slot.range).permissible_values))
    return "; ".join(found)


def release_page(release: Release) -> str:
    first = min(r.version for r in all_releases() if r.label == release.label)

    def added_in(element) -> str:  # unannotated elements are in the label's first release
        return annotation(element, "added_in") or first

    schema = cut_schema(release)
    view = SchemaView(schema)
    strict = (
        f', <a href="../../downloads/jsonschema/{release.ref}.strict.schema.json">JSON Schema, strict profile</a>'
        if release.has_strict_profile and release.profile != STRICT
        else ""
    )
    out = [
        f"# {release.ref}\n",
        f"{release.description}\n",
        f"Status: **{release.status}**. Profile: **{release.profile}**. Downloads: "
        f'<a href="../../downloads/jsonschema/{release.ref}.schema.json">JSON Schema</a>{strict}, '
        f'<a href="../../downloads/openapi/{release.ref}.json">OpenAPI</a>; '
        f"[API reference](../api/{release.ref}.md).\n",
        "Payloads: " + ", ".join(f"[{p}](#{p.lower()})" for p in release.payloads) + ".\n",
    ]
    if release.reproduces:
        out.append(
            f"Reproduces the registry's document <{release.reproduces}>; see "
            "[Differences from the registry](../registry/index.md).\n"
        )
    if release.builds_on:
        out.append("Builds on " + ", ".join(f"[{ref}]({ref}.md)" for ref in release.builds_on) + ".\n")
    classes = [c for c in view.all_classes().values() if not c.abstract and c.class_uri != "linkml:Any"]
    classes.sort(key=lambda c: (c.name not in release.payloads, c.name))
    for cls in classes:
        out.append(f"## {cls.name}\n\n{cls.description} (Added in {added_in(cls)}.)\n")
        rows = []
        for slot in view.class_induced_slots(cls.name):
            rows.append(
                [
                    f"`{slot.alias or slot.name}`",
                    _range_text(view, slot),
                    "required" if slot.required else "optional",
                    _constraints(view, slot, release),
                    added_in(slot),
                    slot.description,
                ]
            )
        out.append(table(["field", "type", "required", "constraints", "added in", "description"], rows))
        for rule in cls.rules or []:
            out.append(f"Rule (added in {added_in(rule)}): {rule.description}\n")
    for enum in sorted(view.all_enums().values(), key=lambda e: e.name):
        out.append(f"## {enum.name}\n\n{enum.description}\n")
        rows = [[f"`{v}`", pv.meaning or "", added_in(pv), pv.description] for v, pv in enum.permissible_values.items()]
        out.append(table(["value", "meaning", "added in", "description"], rows))
    out.append("## Examples\n")
    for example in all_examples():
        if release.ref in example.valid_in:
            out.append(f"### {example.name}\n\n{cell(example.summary)}\n")
            out.append(json_example(example.load(), release.ref, example.cls, example.path.name))
    return "\n".join(out)


def pages() -> dict[str, str]:
    releases = all_releases()
    rows = [
        [
            f"[{r.ref}]({r.ref}.md)",
            r.status,
            r.profile,
            "the registry's" if r.deployed else "the project's",
            ", ".join(r.builds_on),
            r.description,
        ]
        for r in releases
    ]
    index = (
        "# Data specifications\n\nEvery published version, cut from the LinkML models in `spec/`: the registry's "
        "releases, reproduced, and the project's, which build on them. The registry profile accepts what the "
        "registry's documents accept; the strict profile adds the project's rules (closed objects, timestamps "
        "in `Z`, calendar months). [Differences from the registry](../registry/index.md) lists every difference.\n\n"
    )
    index += table(["release", "status", "profile", "whose", "builds on", "what it is"], rows)
    return {"specifications/index.md": index} | {f"specifications/{r.ref}.md": release_page(r) for r in releases}
