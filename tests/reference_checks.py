"""The field reference of the built site, compared with the published JSON Schemas and the LinkML source.

Read from the HTML a reader gets: per class page, each field's section (its heading
and the facts under it); per release page, each enumeration's table. The JSON Schema
of the release says what the field allows; the label's JSON Schemas, oldest first, say
which release added it; the LinkML models (merged, not cut) say the same in their terms.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache, lru_cache
from pathlib import Path

from perseus.paths import GENERATED

SECTION = re.compile(r'<h3 id="([^"]+)"><code>([^<]+)</code>.*?</h3>\s*<dl>(.*?)</dl>', re.S)
FACT = re.compile(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", re.S)
CODE = re.compile(r"<code>(.*?)</code>", re.S)
ENUM_SECTION = re.compile(
    r'<h3 id="([^"]+)">[^<]*<a class="headerlink"[^>]*>[^<]*</a></h3>(?:(?!<h3).)*?<table>(.*?)</table>', re.S
)
ROW = re.compile(r"<tr>\s*(.*?)</tr>", re.S)
TD = re.compile(r"<td>(.*?)</td>", re.S)
# Definitions the generator adds beside the classes; they are no class of the model.
NOT_CLASSES = {"StepContainerItem", "ProvenanceStep", "CertificateMap"}


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


@cache
def schema(ref: str, strict: bool = False) -> dict:
    return json.loads((GENERATED / "jsonschema" / f"{ref}{'.strict' if strict else ''}.schema.json").read_text())


def releases() -> list[str]:
    return sorted(
        p.name.removesuffix(".schema.json")
        for p in (GENERATED / "jsonschema").glob("*.schema.json")
        if not p.name.endswith(".strict.schema.json")
    )


@cache
def registry_names() -> dict[str, str]:
    """LinkML class -> the registry's name for it (`registry_name`), used by registry-profile releases."""
    view = linkml_view()
    found = {}
    for name, cls in view.all_classes().items():
        value = (cls.annotations or {}).get("registry_name") if "registry_name" in (cls.annotations or {}) else None
        if value is not None:
            found[name] = str(getattr(value, "value", value))
    return found


def def_name(ref: str, linkml_class: str) -> str:
    """The class's definition name in the release's JSON Schema."""
    from perseus.releases import STRICT, get_release

    return linkml_class if get_release(ref).profile == STRICT else registry_names().get(linkml_class, linkml_class)


def linkml_class(ref: str, definition: str) -> str:
    return next(
        (c for c, r in registry_names().items() if r == definition and def_name(ref, c) == definition), definition
    )


def label_history(ref: str) -> list[str]:
    label, version = ref.split("@")
    return sorted(r for r in releases() if r.split("@")[0] == label and r.split("@")[1] <= version)


def classes(ref: str) -> list[str]:
    defs = schema(ref)["$defs"]
    return [n for n, d in defs.items() if d.get("type") == "object" and n not in NOT_CLASSES and n != "Quantity"]


def first_with_property(ref: str, cls: str, name: str) -> str | None:
    """`cls` is the definition's name in `ref`; an earlier release may name the same class differently."""
    model = linkml_class(ref, cls)
    for earlier in label_history(ref):
        if name in schema(earlier)["$defs"].get(def_name(earlier, model), {}).get("properties", {}):
            return earlier.split("@")[1]
    return None


def enum_values_in(ref: str, enum: str) -> list[str]:
    """The values of a LinkML enum in a release's schema: its definition, or, where the registry's
    profile writes enums where they are used, the values of the properties whose range it is."""
    defs = schema(ref)["$defs"]
    if enum in defs:
        return defs[enum].get("enum", [])
    view = linkml_view()
    found: list[str] = []
    for cls in view.all_classes():
        definition = defs.get(def_name(ref, cls), {})
        for slot in view.class_induced_slots(cls):
            if slot.range != enum:
                continue
            prop = _value_schema(definition.get("properties", {}).get(slot.alias or slot.name, {}))
            found += [v for v in prop.get("enum", []) if v not in found]
    return found


def first_with_value(ref: str, enum: str, value: str) -> str | None:
    for earlier in label_history(ref):
        if value in enum_values_in(earlier, enum):
            return earlier.split("@")[1]
    return None


def first_with_class(ref: str, cls: str) -> str | None:
    model = linkml_class(ref, cls)
    return next((e.split("@")[1] for e in label_history(ref) if def_name(e, model) in schema(e)["$defs"]), None)


def _value_schema(prop: dict) -> dict:
    return prop.get("items", prop) if prop.get("type") == "array" else prop


def _enum_values(ref: str, prop: dict) -> list[str] | None:
    target = _value_schema(prop)
    if "$ref" in target:
        found = schema(ref)["$defs"][target["$ref"].rsplit("/", 1)[-1]]
        return found.get("enum")
    return target.get("enum")


def parse_class_page(page: str) -> dict[str, dict[str, str]]:
    """Field -> {fact: the dd as HTML}, plus the class's own facts under ""."""
    out = {}
    for _, name, facts in SECTION.findall(page):
        out[html.unescape(name)] = dict((text(k), v) for k, v in FACT.findall(facts))
    head = page.split('<h2 id="fields"', 1)[0]
    first_dl = re.search(r"<dl>(.*?)</dl>", head, re.S)
    out[""] = dict((text(k), v) for k, v in FACT.findall(first_dl.group(1))) if first_dl else {}
    return out


def linkml_view():
    from perseus.paths import SPEC_ROOT

    return _view(str(SPEC_ROOT))


@lru_cache(maxsize=1)
def _view(path: str):
    from linkml_runtime import SchemaView

    view = SchemaView(path)
    view.merge_imports()
    return view


def _linkml_date(view, cls: str, name: str) -> str:
    """The `added_in` the model gives a field: its own (on the attribute or slot), else its class's, else none."""
    slot = next(s for s in view.class_induced_slots(cls) if (s.alias or s.name) == name)
    own = [slot.annotations] + [view.get_slot(slot.name).annotations if slot.name in view.all_slots() else {}]
    for found in own:
        if found and "added_in" in found:
            value = found["added_in"]
            return str(getattr(value, "value", value))
    of_class = view.get_class(cls).annotations or {}
    value = of_class.get("added_in") if "added_in" in of_class else None
    return str(getattr(value, "value", value)) if value is not None else ""  # unannotated: in every release


def class_page_problems(ref: str, cls: str, page: str) -> list[str]:
    """Every difference between a class page and the release's JSON Schema and the LinkML model."""
    where = f"{ref} {cls}"
    definition = schema(ref)["$defs"][cls]
    properties, required = definition.get("properties", {}), set(definition.get("required", []))
    shown = parse_class_page(page)
    problems = []
    class_date = text(shown[""].get("Added in", ""))
    if class_date != first_with_class(ref, cls):
        problems.append(
            f"{where}: class added in {class_date!r}, but the label's first schema with it is "
            f"{first_with_class(ref, cls)}"
        )
    fields = {k: v for k, v in shown.items() if k}
    if set(fields) != set(properties):
        problems.append(f"{where}: fields shown {sorted(fields)} but the schema has {sorted(properties)}")
    view = linkml_view()
    model = linkml_class(ref, cls)
    induced = {(s.alias or s.name): s for s in view.class_induced_slots(model)}
    strict_definition = (
        schema(ref, True)["$defs"].get(cls, {})
        if (GENERATED / "jsonschema" / f"{ref}.strict.schema.json").exists()
        else {}
    )
    closed = definition.get("additionalProperties") is False
    other_keys = text(shown[""].get("Other keys", ""))
    if other_keys.startswith("refused") != closed:
        problems.append(
            f"{where}: other keys shown {other_keys!r}, but the schema's additionalProperties is "
            f"{definition.get('additionalProperties')}"
        )
    for name, prop in properties.items():
        facts = fields.get(name)
        if facts is None:
            continue
        at = f"{where}.{name}"
        level = text(facts.get("Requirement", "")).split(" ")[0]
        if (level == "MUST") != (name in required):
            problems.append(
                f"{at}: shown {level}, but the schema {'requires' if name in required else 'does not require'} it"
            )
        if name in induced and bool(induced[name].required) != (name in required):
            problems.append(f"{at}: LinkML says required={induced[name].required}, the schema disagrees")
        target = _value_schema(prop)
        pattern = target.get("pattern")
        codes = [html.unescape(c) for c in CODE.findall(facts.get("Pattern", ""))]
        if "strict profile" in text(facts.get("Pattern", "")):  # the pattern of the strict file only
            strict_prop = _value_schema(strict_definition.get("properties", {}).get(name, {}))
            if pattern is not None or codes[0] != strict_prop.get("pattern"):
                problems.append(
                    f"{at}: strict-only pattern shown {codes[0]!r}; schema {pattern!r}, strict schema "
                    f"{strict_prop.get('pattern')!r}"
                )
        elif (codes[0] if codes else None) != pattern:
            problems.append(f"{at}: pattern shown {codes[0] if codes else None!r}, schema {pattern!r}")
        values = _enum_values(ref, prop)
        listed = [html.unescape(c) for c in CODE.findall(facts.get("Allowed values", ""))]
        if (listed or None) != values:
            problems.append(f"{at}: values shown {listed}, schema {values}")
        bounds = text(facts.get("Bounds", ""))
        low = re.search(r"at least (-?[0-9.]+)", bounds)
        high = re.search(r"at most (-?[0-9.]+)", bounds)
        for word, found, expected in (
            ("minimum", low, target.get("minimum")),
            ("maximum", high, target.get("maximum")),
        ):
            if (float(found.group(1)) if found else None) != (float(expected) if expected is not None else None):
                problems.append(f"{at}: {word} shown {found.group(1) if found else None}, schema {expected}")
        fmt = target.get("format")
        shown_formats = re.findall(r"format: ([a-z-]+)", text(facts.get("Format", "")))
        if shown_formats != ([fmt] if fmt else []):
            problems.append(f"{at}: format shown {shown_formats}, schema {fmt}")
        date = text(facts.get("Added in", ""))
        expected = first_with_property(ref, cls, name)
        if date != expected:
            problems.append(f"{at}: added in {date!r}, but the label's first schema with it is {expected}")
        if name in induced and date < _linkml_date(view, model, name):
            problems.append(
                f"{at}: added in {date}, before the LinkML date {_linkml_date(view, model, name)} of the field or its class"
            )
    return problems


def enum_problems(ref: str, page: str) -> list[str]:
    """Each enumeration's table on the release page against the values the schema allows and the label's history."""
    problems = []
    sections = {name: body for name, body in ENUM_SECTION.findall(page)}
    view = linkml_view()
    wanted = [name for name in view.all_enums() if enum_values_in(ref, name)]
    for name in wanted:
        body = sections.get(name)
        if body is None:
            problems.append(f"{ref}: no table for enumeration {name}")
            continue
        rows = [[text(c) for c in TD.findall(r)] for r in ROW.findall(body.split("<tbody>", 1)[-1])]
        if [r[0] for r in rows] != enum_values_in(ref, name):
            problems.append(f"{ref} {name}: values shown {[r[0] for r in rows]}, schema {enum_values_in(ref, name)}")
        for row in rows:
            expected = first_with_value(ref, name, row[0])
            if row[2] != expected:
                problems.append(
                    f"{ref} {name}.{row[0]}: added in {row[2]!r}, the label's first schema with it is {expected}"
                )
    return problems


def reference_problems(site: Path) -> list[str]:
    problems = []
    for ref in releases():
        folder = site / "specifications" / ref
        problems += enum_problems(ref, (folder / "index.html").read_text())
        for cls in classes(ref):
            page = folder / cls / "index.html"
            if not page.exists():
                problems.append(f"{ref}: no page for class {cls}")
                continue
            problems += class_page_problems(ref, cls, page.read_text())
    return problems
