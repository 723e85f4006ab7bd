"""The field reference of a release, read from its LinkML cut: one `Field` per property.

What a page shows about a field (type, requirement level, pattern, bounds, allowed
values, the release that added it) is computed here once, so that the release page,
the class pages and the diagrams say the same thing.

"Added in" is the first release of the same label whose cut has the element: a field
of `CalorificValue` dates from the release that added the class, and every field of
`emissions-data@2025-10-27` from that release, the label's first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from linkml_runtime import SchemaView

from perseus.releases import STRICT, Release, all_releases, get_release
from perseus.spec_versions import annotation, cut_schema

LEVELS = ("MUST", "SHOULD", "MAY")
# Wording for a value's LinkML base type.
BASE_WORDS = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "Decimal": "a number",
    "Bool": "true or false",
    "XSDDateTime": "a date-time",
    "XSDDate": "a date",
    "URI": "a URI",
}


@dataclass(frozen=True)
class Field:
    cls: str
    name: str  # the key on the wire
    ranges: tuple[str, ...]  # LinkML range names (classes, enums or types)
    multivalued: bool
    required: bool
    level: str  # MUST, SHOULD or MAY (BCP 14)
    level_when: str  # the condition of a SHOULD, if any
    pattern: str | None
    pattern_strict_only: bool  # the pattern holds in the strict profile only (a registry-profile release)
    minimum: float | None
    maximum: float | None
    formats: tuple[str, ...]  # JSON Schema formats the value must satisfy (date-time, uri)
    enum: str | None
    enum_values: tuple[str, ...]
    any_json: bool  # range linkml:Any: constrained by the JSON Schema the generator completes
    added_in: str
    description: str

    @property
    def anchor(self) -> str:
        return anchor(self.name)


def anchor(name: str) -> str:
    return name.replace(":", "-")


@dataclass(frozen=True)
class Cut:
    release: Release
    view: SchemaView

    def classes(self) -> list[str]:
        """Classes a reader meets on the wire: not abstract, not the stand-in for any JSON value."""
        found = [c.name for c in self.view.all_classes().values() if not c.abstract and c.class_uri != "linkml:Any"]
        payloads = self.release.payloads
        return sorted(found, key=lambda n: (n not in payloads, payloads.index(n) if n in payloads else 0, n))

    def shown(self, cls: str) -> str:
        """The class's name on the wire: a registry-profile release uses the registry's (`registry_name`)."""
        if self.release.profile == STRICT:
            return cls
        return annotation(self.view.get_class(cls), "registry_name") or cls

    def enums(self) -> list[str]:
        return sorted(self.view.all_enums())


@cache
def cut(ref: str) -> Cut:
    return Cut(get_release(ref), SchemaView(cut_schema(get_release(ref))))


def history(release: Release) -> list[Release]:
    """The releases of the same label up to and including this one, oldest first."""
    return sorted(
        (r for r in all_releases() if r.label == release.label and r.version <= release.version),
        key=lambda r: r.version,
    )


@cache
def _elements(ref: str) -> frozenset[tuple]:
    c = cut(ref)
    found: set[tuple] = set()
    for cls in c.view.all_classes():
        found.add(("class", cls))
        for slot in c.view.class_induced_slots(cls):
            found.add(("field", cls, slot.alias or slot.name))
        for rule in c.view.get_class(cls).rules or []:
            found.add(("rule", cls, rule.description))
    for name, enum in c.view.all_enums().items():
        found.add(("enum", name))
        found.update(("value", name, v) for v in enum.permissible_values)
    return frozenset(found)


def added_in(release: Release, *key) -> str:
    """The version of the label's first release that has the element, e.g. ("field", "Reading", "from")."""
    for earlier in history(release):
        if key in _elements(earlier.ref):
            return earlier.version
    raise KeyError(f"{release.ref} has no {key}")


def _type_facts(view: SchemaView, name: str) -> tuple[str | None, tuple[str, ...], str]:
    """Pattern, formats and base of a LinkML type, following `typeof`."""
    induced = view.induced_type(name)
    formats = {"XSDDateTime": ("date-time",), "XSDDate": ("date",), "URI": ("uri",)}.get(induced.base, ())
    return induced.pattern, formats, induced.base


def level_of(slot) -> tuple[str, str]:
    declared = annotation(slot, "requirement_level")
    if slot.required:
        if declared and declared != "MUST":
            raise ValueError(f"{slot.name}: required, so its level is MUST, not {declared}")
        return "MUST", ""
    if declared and declared not in ("SHOULD", "MAY"):
        raise ValueError(f"{slot.name}: requirement_level {declared!r} is not SHOULD or MAY")
    return declared or "MAY", annotation(slot, "requirement_when") or ""


def fields(ref: str, cls: str) -> list[Field]:
    c = cut(ref)
    view, out = c.view, []
    for slot in view.class_induced_slots(cls):
        name = slot.alias or slot.name
        ranges = tuple([slot.range] if not slot.any_of else [x.range for x in slot.any_of])
        pattern, enum, any_json, strict_only = slot.pattern, None, False, False
        formats: tuple[str, ...] = ()
        values: tuple[str, ...] = ()
        for rng in ranges:
            if rng in view.all_types():
                type_pattern, type_formats, _ = _type_facts(view, rng)
                pattern, formats = pattern or type_pattern, formats + type_formats
                strict_only = (
                    not slot.pattern
                    and annotation(view.get_type(rng), "pattern_profile") == STRICT
                    and c.release.profile != STRICT
                )
                if strict_only and not c.release.has_strict_profile:  # a reproduction: the pattern is no part of it
                    pattern, strict_only = slot.pattern, False
            elif rng in view.all_enums():
                enum, values = rng, tuple(view.get_enum(rng).permissible_values)
            elif rng in view.all_classes() and view.get_class(rng).class_uri == "linkml:Any":
                any_json = True
        level, when = level_of(slot)
        out.append(
            Field(
                cls=cls,
                name=name,
                ranges=ranges,
                multivalued=bool(slot.multivalued),
                required=bool(slot.required),
                level=level,
                level_when=when,
                pattern=pattern,
                pattern_strict_only=strict_only,
                minimum=slot.minimum_value,
                maximum=slot.maximum_value,
                formats=formats,
                enum=enum,
                enum_values=values,
                any_json=any_json,
                added_in=added_in(c.release, "field", cls, name),
                description=" ".join((slot.description or "").split()),
            )
        )
    return out


def referrers(ref: str, cls: str) -> list[tuple[str, str]]:
    """(class, field) pairs of the release whose field holds a `cls`."""
    c = cut(ref)
    return [(other, f.name) for other in c.classes() for f in fields(ref, other) if cls in f.ranges]


def base_words(view: SchemaView, type_name: str) -> str:
    return BASE_WORDS.get(view.induced_type(type_name).base, "a string")
