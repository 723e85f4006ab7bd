"""The LinkML source of one release as that release has it (`generated/linkml/<release>.yaml`).

It is what a decision pins as the specification's source: the schema cut to the release's
date and payloads, with only the slots and types its classes use, and without what only
serves the cut or the generators (`added_in`, `also_added_in`, earlier descriptions, the
registry's names, the profile of a pattern, the site's requirement-level guidance) or what
LinkML derives (`domain_of`). It
changes when what the release says changes, not when another release edits the same modules.
"""

from __future__ import annotations

from linkml_runtime.dumpers import yaml_dumper
from linkml_runtime.linkml_model.meta import SchemaDefinition, SlotDefinition

from perseus.spec_versions import DESCRIPTION_BEFORE

# `requirement_level`/`requirement_when` mark where the site's reference says SHOULD: guidance no
# decision voted on, so not part of the source a decision pins (and not a change to approved cuts).
CUT_ONLY = ("added_in", "also_added_in", "registry_name", "pattern_profile", "requirement_level", "requirement_when")


def _strip(element) -> None:
    annotations = getattr(element, "annotations", None)
    if isinstance(annotations, dict):
        for tag in [t for t in annotations if t in CUT_ONLY or str(t).startswith(DESCRIPTION_BEFORE)]:
            del annotations[tag]


def linkml_cut(schema: SchemaDefinition) -> str:
    """`schema` (a release's cut, which this changes) as YAML, reduced to what its classes use."""
    used_slots = {s for cls in schema.classes.values() for s in cls.slots}
    for name in [n for n in schema.slots if n not in used_slots]:
        del schema.slots[name]
    ranges = {str(e.range) for e in schema.slots.values() if e.range}
    ranges |= {str(a.range) for c in schema.classes.values() for a in c.attributes.values() if a.range}
    ranges |= {
        str(x.range)
        for e in [*schema.slots.values(), *(a for c in schema.classes.values() for a in c.attributes.values())]
        for x in (e.any_of or [])
        if x.range
    }
    if schema.default_range:
        ranges.add(str(schema.default_range))
    wanted_types, todo = set(), [r for r in ranges if r in schema.types]
    while todo:
        name = todo.pop()
        if name not in wanted_types:
            wanted_types.add(name)
            parent = schema.types[name].typeof
            if parent and str(parent) in schema.types:
                todo.append(str(parent))
    for name in [n for n in schema.types if n not in wanted_types]:
        del schema.types[name]
    schema.subsets = {k: v for k, v in schema.subsets.items()} if schema.subsets else {}
    elements = [schema, *schema.slots.values(), *schema.types.values()]
    for enum in schema.enums.values():
        elements += [enum, *enum.permissible_values.values()]
    for cls in schema.classes.values():
        elements += [cls, *cls.attributes.values(), *cls.slot_usage.values(), *cls.rules]
    for element in elements:
        _strip(element)
        if getattr(element, "domain_of", None):
            element.domain_of = []
    for cls in schema.classes.values():  # a usage that only carried stripped annotations says nothing
        for name in [n for n, u in cls.slot_usage.items() if u == SlotDefinition(name=u.name)]:
            del cls.slot_usage[name]
    # Where the modules were read from is not part of the release (and differs between checkouts).
    schema.source_file = schema.source_file_date = schema.source_file_size = schema.generation_date = None
    schema.metamodel_version = None  # the LinkML version that reads it, not part of the release either
    return yaml_dumper.dumps(schema)
