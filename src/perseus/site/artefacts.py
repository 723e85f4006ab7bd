"""Every versioned artefact the site has a page for, and the links between them: its status,
its decisions, the versions before and after it, the latest of its label, its review packs."""

from __future__ import annotations

import posixpath
from functools import lru_cache

from perseus.paths import GENERATED
from perseus.site.status import badge, decisions, standing

PAGES = {
    "data-specification": "specifications/{ref}/index.md",
    "methodology": "methodologies/{ref}.md",
    "permission-text": "permission-texts/{ref}.md",
    "factor-set": "factors/{ref}.md",
}
CHANGES = "changes/index.md"
ERRATA = "governance/errata.md"  # the review packs and every change between versions
LATEST = "latest/{label}.md"
# Statuses a reader should take as the current version of a label, best first.
CURRENT = ("deployed", "approved")


@lru_cache(maxsize=1)
def all_refs() -> dict[str, str]:
    """Every artefact version with a page, `label@version` -> kind."""
    from perseus.methodology.documents import all_methodologies
    from perseus.methodology.factors import factor_sets
    from perseus.permission_texts import text_refs
    from perseus.releases import all_releases

    found = {r.ref: "data-specification" for r in all_releases()}
    found |= {m.ref: "methodology" for m in all_methodologies()}
    found |= {ref: "permission-text" for ref in text_refs()}
    found |= {fs.metadata["table"].removesuffix(".csv"): "factor-set" for fs in factor_sets().values()}
    return found


def page_of(ref: str) -> str | None:
    kind = all_refs().get(ref)
    return PAGES[kind].format(ref=ref) if kind else None


def page(ref: str) -> str:
    """The page of an artefact the site holds (a KeyError names one it does not)."""
    found = page_of(ref)
    if found is None:
        raise KeyError(f"no page for {ref}")
    return found


def link(from_page: str, to_page: str) -> str:
    """A Markdown link target from one source page to another (MkDocs resolves it)."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def versions(label: str) -> list[str]:
    """The versions of a label, oldest first (dates and years both sort as text)."""
    return sorted((ref for ref in all_refs() if ref.split("@")[0] == label), key=lambda r: r.split("@")[1])


def labels() -> dict[str, str]:
    """Each label -> its kind, in the order of the kinds in PAGES."""
    refs = all_refs()
    found: dict[str, str] = {}
    for kind in PAGES:
        for ref in sorted(r for r, k in refs.items() if k == kind):
            found.setdefault(ref.split("@")[0], kind)
    return found


def neighbours(ref: str) -> tuple[str | None, str | None]:
    found = versions(ref.split("@")[0])
    i = found.index(ref)
    return (found[i - 1] if i else None), (found[i + 1] if i + 1 < len(found) else None)


def latest(label: str) -> str | None:
    """The newest version whose status makes it current (deployed, else approved)."""
    for status in CURRENT:
        found = [r for r in versions(label) if standing(r).status == status]
        if found:
            return found[-1]
    return None


@lru_cache(maxsize=1)
def review_packs() -> tuple[tuple[str | None, str, str], ...]:
    """(old, new, site page) of every review pack in generated/review-packs; `old` is None for the
    pack of a first version (what it holds, compared with nothing)."""
    packs = []
    for path in sorted((GENERATED / "review-packs").glob("*@*.md")):
        old, new = path.stem.split("..") if ".." in path.stem else (None, path.stem)
        packs.append((old, new, f"changes/{path.name}"))
    return tuple(packs)


def pack_title(old: str | None, new: str) -> str:
    return f"{old} → {new}" if old else f"{new} (first version)"


EFFECTS = {
    "approve": "approves it",
    "withdraw": "withdraws it",
    "baseline": "the version its review packs compare against",
}


def decision_links(ref: str, from_page: str) -> str:
    s = standing(ref, all_refs().get(ref, ""))
    parts = []
    for decision_id, effect in s.decisions:
        d = decisions()[decision_id]
        parts.append(
            f"[{d['motion']}]({link(from_page, f'governance/decisions/{decision_id}.md')}) "
            f"({d['group']}, {d['date']}: {d['outcome']}; {EFFECTS.get(effect, effect)})"
        )
    if s.status_decision and s.status_decision not in dict(s.decisions):
        d = decisions()[s.status_decision]
        parts.append(
            f"its status was set by [{d['motion']}]({link(from_page, f'governance/decisions/{s.status_decision}.md')}) "
            f"({d['date']})"
        )
    return "; ".join(parts) or "no decision record is held"


def _ref_link(ref: str | None, from_page: str) -> str:
    if ref is None:
        return "none"
    page = page_of(ref)
    return f"[{ref}]({link(from_page, page)}) {badge(standing(ref).status)}" if page else ref


def related(ref: str, from_page: str) -> list[tuple[str, str]]:
    """The rows every artefact page opens with."""
    previous, following = neighbours(ref)
    label = ref.split("@")[0]
    packs = [(old, new, page) for old, new, page in review_packs() if ref in (old, new)]
    s = standing(ref, all_refs().get(ref, ""))
    status = badge(s.status)
    if s.superseded_by:
        status += f" by {_ref_link(s.superseded_by, from_page)}"
    if s.withdrawn_by:
        status += f" by the erratum [{s.withdrawn_by}]({link(from_page, ERRATA)}#{s.withdrawn_by})"
    rows = [
        ("Status", status),
        *([("Register note", s.note)] if s.note else []),
        ("Decision", decision_links(ref, from_page)),
        ("Previous version", _ref_link(previous, from_page)),
        ("Next version", _ref_link(following, from_page)),
        ("Latest of the label", f"[{label}: latest]({link(from_page, LATEST.format(label=label))})"),
        (
            "Review packs",
            ", ".join(f"[{pack_title(old, new)}]({link(from_page, page)})" for old, new, page in packs) or "none",
        ),
        ("Changes", f"[every change between versions]({link(from_page, CHANGES)})"),
    ]
    return rows
