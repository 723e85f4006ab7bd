"""Cut one published version of a data specification out of the LinkML modules.

Every element added after the first release carries an `added_in` annotation (a
release date). A release holds an element when the element was added in the
release's own version or in that of a release it builds on (`builds_on` in
governance/releases.yaml); an element the registry adopted separately also names
that release in `also_added_in`. A release is the root schema with every other
element removed, restricted to the classes its payloads reach. Older versions
therefore stay reproducible from the same source, with no hand-kept copies.

Descriptions are versioned the same way: an element whose description changed keeps
each earlier wording in an annotation `description_before_<version>`, which a release
uses unless it holds that version (its own, or one it builds on).
"""

from __future__ import annotations

import pickle
from functools import cache, lru_cache

from linkml_runtime import SchemaView
from linkml_runtime.linkml_model.meta import SchemaDefinition, metamodel_version

from perseus.paths import SPEC_ROOT
from perseus.releases import Release, all_releases, ancestry

FIRST_RELEASE = "2025-10-23"
DESCRIPTION_BEFORE = "description_before_"


def annotation(element, tag: str) -> str | None:
    """The value of an element's annotation; LinkML gives a dict or a JsonObj depending on the path."""
    annotations = getattr(element, "annotations", None)
    if not annotations:
        return None
    found = annotations.get(tag) if isinstance(annotations, dict) else getattr(annotations, tag, None)
    if found is None:
        return None
    return str(getattr(found, "value", found))


def added_in(element, owner=None) -> str:
    """The release date an element first appeared in: its own `added_in`, else that of its
    owner (the class of an attribute, the enum of a value), else the first release."""
    own = annotation(element, "added_in")
    if own:
        return own
    return added_in(owner) if owner is not None else FIRST_RELEASE


def holds_version(release: Release):
    """A predicate on version dates: does `release` hold what was added in that version (its own,
    or one it builds on)? A cut that is not a published release holds every earlier version."""
    if release.ref not in {r.ref for r in all_releases()}:
        return lambda version: version <= release.version
    versions = {r.version for r in ancestry(release)}
    return lambda version: version in versions


def presence_test(release: Release):
    """A predicate: does an element belong to `release`? Unannotated elements belong to every release.

    A cut that is not a published release (for example the decoded provenance steps) holds
    everything added up to its date."""
    if release.ref not in {r.ref for r in all_releases()}:
        return lambda element: added_in(element) <= release.version
    lineage = ancestry(release)
    versions = {r.version for r in lineage}
    refs = {r.ref for r in lineage}

    def present(element) -> bool:
        version = annotation(element, "added_in")
        if version is None or version in versions:
            return True
        adopted = annotation(element, "also_added_in")
        return adopted is not None and bool(set(adopted.split()) & refs)

    return present


@lru_cache(maxsize=1)
def _pristine_root() -> bytes:
    view = SchemaView(str(SPEC_ROOT))
    view.merge_imports()
    return pickle.dumps(view.schema, protocol=pickle.HIGHEST_PROTOCOL)


def merged_root() -> SchemaDefinition:
    """The root schema with every import merged in (read once per process), as a copy: LinkML's
    generators write into the schema they are given (`domain_of`, `metamodel_version`), and a
    release's LinkML cut must not depend on which generator ran first. The copy is unpickled
    from bytes kept once: six times faster than a `deepcopy` of the schema, and the same value."""
    return pickle.loads(_pristine_root())


def _annotation_tags(element) -> list[str]:
    annotations = getattr(element, "annotations", None) or {}
    return [str(tag) for tag in (annotations.keys() if isinstance(annotations, dict) else vars(annotations))]


def description_as_of(element, holds) -> str | None:
    """The description a release shows: that of the earliest `description_before_<version>` whose
    version the release does not hold (`holds` is `holds_version(release)`), else the current one."""
    versions = sorted(
        t.removeprefix(DESCRIPTION_BEFORE) for t in _annotation_tags(element) if t.startswith(DESCRIPTION_BEFORE)
    )
    missing = [v for v in versions if not holds(v)]
    return annotation(element, DESCRIPTION_BEFORE + missing[0]) if missing else element.description


def _version_descriptions(schema: SchemaDefinition, release: Release) -> None:
    holds = holds_version(release)
    elements = [schema, *schema.slots.values(), *schema.enums.values(), *schema.types.values()]
    for enum in schema.enums.values():
        elements += list(enum.permissible_values.values())
    for cls in schema.classes.values():
        elements += [cls, *cls.attributes.values(), *cls.slot_usage.values(), *cls.rules]
    for element in elements:
        tags = [t for t in _annotation_tags(element) if t.startswith(DESCRIPTION_BEFORE)]
        if tags:
            element.description = description_as_of(element, holds)
            for tag in tags:
                del element.annotations[tag]


def _prune(schema: SchemaDefinition, release: Release) -> None:
    present = presence_test(release)
    for name in [n for n, s in schema.slots.items() if not present(s)]:
        del schema.slots[name]
    for name in [n for n, e in schema.enums.items() if not present(e)]:
        del schema.enums[name]
    for enum in schema.enums.values():
        for pv in [p for p, v in enum.permissible_values.items() if not present(v)]:
            del enum.permissible_values[pv]
    for name in [n for n, c in schema.classes.items() if not present(c)]:
        del schema.classes[name]
    for cls in schema.classes.values():
        cls.slots = [s for s in cls.slots if s in schema.slots]
        for name in [n for n, a in cls.attributes.items() if not present(a)]:
            del cls.attributes[name]
        for name in [n for n in cls.slot_usage if n not in schema.slots and n not in cls.attributes]:
            del cls.slot_usage[name]
        cls.rules = [r for r in cls.rules if present(r)]


def _reachable(view: SchemaView, roots: tuple[str, ...]) -> tuple[set[str], set[str]]:
    """Classes and enums reachable from the payload classes through slot ranges."""
    classes, enums, todo = set(), set(), list(roots)
    all_classes, all_enums = view.all_classes(), view.all_enums()
    while todo:
        name = todo.pop()
        if name in classes:
            continue
        classes.add(name)
        cls = all_classes[name]
        if cls.is_a:
            todo.append(cls.is_a)
        for slot in view.class_induced_slots(name):
            ranges = [slot.range] + [x.range for x in slot.any_of or []]
            for rng in ranges:
                if rng in all_classes:
                    todo.append(rng)
                elif rng in all_enums:
                    enums.add(rng)
    return classes, enums


def cut_schema(release: Release) -> SchemaDefinition:
    """The LinkML schema of one release: its payloads and what they reach, as of its date (cut
    once per process, like the root it is cut from; each caller gets its own copy)."""
    return pickle.loads(_cut(release))


@cache
def _cut(release: Release) -> bytes:
    schema = merged_root()
    schema.name = f"{release.label}"
    schema.id = f"https://registry.core.trust.ib1.org/scheme/perseus/standard/{release.label}/{release.version}"
    schema.version = release.version
    schema.title = release.title
    schema.description = release.description
    schema.imports = []
    schema.metamodel_version = metamodel_version  # what a LinkML generator would otherwise write into the shared cut
    _prune(schema, release)
    _version_descriptions(schema, release)
    missing = [p for p in release.payloads if p not in schema.classes]
    if missing:
        raise ValueError(f"{release.ref}: payload classes {missing} do not exist at that date")
    view = SchemaView(schema)
    classes, enums = _reachable(view, release.payloads)
    for name in [n for n in schema.classes if n not in classes]:
        del schema.classes[name]
    for name in [n for n in schema.enums if n not in enums]:
        del schema.enums[name]
    return pickle.dumps(schema, protocol=pickle.HIGHEST_PROTOCOL)
