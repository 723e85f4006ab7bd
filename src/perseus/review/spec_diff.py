"""Differences between two versions of a data specification, from their cut LinkML schemas."""

from __future__ import annotations

from perseus.review.changes import Change

# The slot properties a reviewer must see change: they change what payloads validate.
CONSTRAINTS = (
    "range",
    "required",
    "multivalued",
    "pattern",
    "minimum_value",
    "maximum_value",
    "equals_string",
    "equals_string_in",
    "inlined",
    "inlined_as_list",
    "identifier",
)


def _plain(value):
    if value is None:
        return None
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (bool, int, float)):
        return value
    return str(value)


def describe(schema) -> dict:
    """Classes (fields with constraints, rules) and enums (values) of one cut schema."""
    from linkml_runtime import SchemaView

    view = SchemaView(schema)
    classes = {}
    for name, cls in sorted(view.all_classes().items()):
        fields = {}
        for slot in view.class_induced_slots(name):
            constraints = {key: _plain(getattr(slot, key, None)) for key in CONSTRAINTS}
            if slot.any_of:
                constraints["range"] = [str(x.range) for x in slot.any_of]
            fields[slot.name] = {k: v for k, v in constraints.items() if v not in (None, False, [])}
        rules = sorted(str(rule.description or rule) for rule in cls.rules or [])
        classes[name] = {"is_a": cls.is_a, "fields": fields, "rules": rules}
    enums = {name: sorted(enum.permissible_values) for name, enum in sorted(view.all_enums().items())}
    meanings = {
        name: {str(v): pv.description for v, pv in enum.permissible_values.items() if pv.description}
        for name, enum in sorted(view.all_enums().items())
    }
    types = {
        name: {k: _plain(getattr(t, k, None)) for k in ("typeof", "pattern", "minimum_value", "maximum_value")}
        for name, t in sorted(view.schema.types.items())
    }
    from perseus.spec_versions import annotation

    aliases = {
        annotation(cls, "registry_name"): name
        for name, cls in view.all_classes().items()
        if annotation(cls, "registry_name")
    }
    return {"classes": classes, "enums": enums, "types": types, "meanings": meanings, "aliases": aliases}


EMPTY: dict[str, dict] = {"classes": {}, "enums": {}, "types": {}, "meanings": {}, "aliases": {}}


def constraint_words(constraints: dict) -> str:
    """A slot's constraints in words: `required, a list of Reading, pattern ^…$`."""
    parts = ["required" if constraints.get("required") else "optional"]
    ranges = constraints.get("range")
    kind = " or ".join(ranges) if isinstance(ranges, list) else (ranges or "text")
    parts.append(f"a list of {kind}" if constraints.get("multivalued") else f"a {kind}")
    for key, words in (
        ("pattern", "matching `{}`"),
        ("minimum_value", "at least {}"),
        ("maximum_value", "at most {}"),
        ("equals_string", "always `{}`"),
        ("equals_string_in", "one of {}"),
    ):
        if constraints.get(key) is not None:
            parts.append(words.format(constraints[key]))
    if constraints.get("identifier"):
        parts.append("the identifier")
    return ", ".join(parts)


def compare(old: dict, new: dict) -> list[Change]:
    changes: list[Change] = []
    old_classes, new_classes = old["classes"], new["classes"]
    for name in sorted(new_classes.keys() - old_classes.keys()):
        changes.append(Change("added", "class", name, detail="fields: " + ", ".join(new_classes[name]["fields"])))
    for name in sorted(old_classes.keys() - new_classes.keys()):
        changes.append(Change("removed", "class", name))
    for name in sorted(old_classes.keys() & new_classes.keys()):
        before, after = old_classes[name], new_classes[name]
        if before["is_a"] != after["is_a"]:
            changes.append(Change("changed", "class", name, before["is_a"], after["is_a"], "is_a"))
        for field in sorted(after["fields"].keys() - before["fields"].keys()):
            changes.append(
                Change(
                    "added",
                    "field",
                    f"{name}.{field}",
                    new=after["fields"][field],
                    detail=constraint_words(after["fields"][field]),
                )
            )
        for field in sorted(before["fields"].keys() - after["fields"].keys()):
            changes.append(
                Change(
                    "removed",
                    "field",
                    f"{name}.{field}",
                    old=before["fields"][field],
                    detail=constraint_words(before["fields"][field]),
                )
            )
        for field in sorted(before["fields"].keys() & after["fields"].keys()):
            a, b = before["fields"][field], after["fields"][field]
            for key in sorted(a.keys() | b.keys()):
                if a.get(key) != b.get(key):
                    changes.append(Change("changed", "constraint", f"{name}.{field}", a.get(key), b.get(key), key))
        for rule in sorted(set(after["rules"]) - set(before["rules"])):
            changes.append(Change("added", "rule", name, new=rule))
        for rule in sorted(set(before["rules"]) - set(after["rules"])):
            changes.append(Change("removed", "rule", name, old=rule))
    for name in sorted(new["enums"].keys() - old["enums"].keys()):
        changes.append(Change("added", "enum", name, detail="values: " + ", ".join(new["enums"][name])))
    for name in sorted(old["enums"].keys() - new["enums"].keys()):
        changes.append(Change("removed", "enum", name))
    for name in sorted(old["enums"].keys() & new["enums"].keys()):
        for value in sorted(set(new["enums"][name]) - set(old["enums"][name])):
            changes.append(
                Change(
                    "added",
                    "enum value",
                    f"{name}.{value}",
                    detail=new.get("meanings", {}).get(name, {}).get(value, ""),
                )
            )
        for value in sorted(set(old["enums"][name]) - set(new["enums"][name])):
            changes.append(Change("removed", "enum value", f"{name}.{value}"))
    for name in sorted(old["types"].keys() & new["types"].keys()):
        for key, value in new["types"][name].items():
            if old["types"][name].get(key) != value:
                changes.append(Change("changed", "type", name, old["types"][name].get(key), value, key))
    return changes


def described(ref: str | None) -> dict:
    """The cut LinkML schema of a release described for comparison (empty for "no release")."""
    from perseus.releases import get_release
    from perseus.spec_versions import cut_schema

    return describe(cut_schema(get_release(ref))) if ref else EMPTY
