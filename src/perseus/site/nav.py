"""The sidebar, ordered for readers: each section's overview first, then one group per label with
the current version first and the others newest first, each named by its version and status.
Class pages and per-label "latest" pages are reached from their overview, not the sidebar."""

from __future__ import annotations

from perseus.site import artefacts
from perseus.site.status import standing

# The order a reader looks for versions in: what is in force, then what is coming, then the past.
RANK = {"deployed": 0, "approved": 1, "proposed": 2, "draft": 3, "superseded": 4, "withdrawn": 5}
CHANGE_KINDS = {
    "data-specification": "Data specifications",
    "methodology": "Methodologies",
    "permission-text": "Permission texts",
    "factor-set": "Factor sets",
}


def _stem(uri: str) -> str:
    parts = uri.removesuffix(".md").split("/")
    return parts[-2] if parts[-1] == "index" and len(parts) > 2 else parts[-1]


def _version_entry(uri: str, ref: str) -> dict:
    kind = artefacts.all_refs().get(ref)
    version = ref.split("@")[1]
    title = version if kind is None else f"{version} ({standing(ref).status})"
    return {title: uri}


def _order(refs: list[str]) -> list[str]:
    def key(ref: str):
        rank = RANK.get(standing(ref).status, 9)
        return rank, [-ord(c) for c in ref.split("@")[1]]  # newest first within a status

    return sorted(refs, key=key)


def entries(section: str, uris: list[str]) -> list:
    """Nav entries of one rendered section, from the URIs of its pages."""
    index = [u for u in uris if u.endswith("/index.md") and u.count("/") == 1]
    if section == "specifications":
        uris = [u for u in uris if u.endswith("/index.md")]  # release pages; class pages are linked from them
    if section == "latest":
        return index
    if section == "changes":
        return index + _changes(uris)
    if section == "governance":  # the frozen packs under governance/packs are linked from their decision
        pages = [f"governance/{name}.md" for name in ("process", "errata", "changelog")]
        return index + [u for u in pages if u in uris] + [{"Decisions": [u for u in uris if "/decisions/" in u]}]
    versioned = {_stem(u): u for u in uris if "@" in _stem(u)}
    groups: dict[str, list[str]] = {}
    for ref in versioned:
        groups.setdefault(ref.split("@")[0], []).append(ref)
    out: list = list(index)
    for label in sorted(groups):
        items = [_version_entry(versioned[r], r) for r in _order(groups[label])]
        out += items if len(groups) == 1 else [{label: items}]
    return out


def _changes(uris: list[str]) -> list:
    groups: dict[str, list] = {}
    for old, new, uri in artefacts.review_packs():
        if uri in uris:
            kind = artefacts.all_refs().get(new, "data-specification")
            entry = {artefacts.pack_title(old, new): uri}
            groups.setdefault(CHANGE_KINDS.get(kind, kind), []).append(((new.split("@")[1], old is not None), entry))
    return [
        {title: [entry for _, entry in sorted(groups[title], key=lambda e: e[0], reverse=True)]}
        for title in CHANGE_KINDS.values()
        if title in groups
    ]
