"""A "latest" page per label: the version to build against, and every version with its status."""

from __future__ import annotations

from perseus.site import artefacts
from perseus.site.markdown import table
from perseus.site.status import badge, standing

KIND_WORDS = {
    "data-specification": "data specification",
    "methodology": "methodology",
    "permission-text": "permission text",
    "factor-set": "factor set",
}


def _page(label: str, kind: str) -> str:
    page = artefacts.LATEST.format(label=label)
    current = artefacts.latest(label)
    versions = artefacts.versions(label)
    if current:
        s = standing(current)
        lead = (
            f"The version to build against is **[{current}]({artefacts.link(page, artefacts.page(current))})** "
            f"{badge(s.status)}. Decision: {artefacts.decision_links(current, page)}."
        )
    else:
        lead = "No version of this label is approved or deployed yet."
    if kind == "factor-set":
        lead += " Sets are one a year and stay in use: a methodology's factor-set rule says which set a half-hour uses."
    newer = [v for v in versions if current and v.split("@")[1] > current.split("@")[1]]
    if newer:
        lead += (
            " Newer versions, not current: "
            + ", ".join(f"[{v}]({artefacts.link(page, artefacts.page(v))}) {badge(standing(v).status)}" for v in newer)
            + "."
        )
    rows = [
        [
            f"[{v}]({artefacts.link(page, artefacts.page(v))})",
            badge(standing(v).status),
            "latest" if v == current else "",
        ]
        for v in reversed(versions)
    ]
    return (
        f"---\ntitle: {label}, latest\n---\n\n# {label}: latest\n\nThe {KIND_WORDS[kind]} `{label}`. {lead}\n\n"
        "## Every version\n\n" + table(["version", "status", ""], rows)
    )


def pages() -> dict[str, str]:
    labels = artefacts.labels()
    out = {artefacts.LATEST.format(label=label): _page(label, kind) for label, kind in labels.items()}
    rows = []
    for label, kind in labels.items():
        current = artefacts.latest(label)
        rows.append([f"[{label}]({label}.md)", KIND_WORDS[kind], current or "none yet"])
    index = (
        "---\ntitle: Latest versions\n---\n\n# Latest versions\n\nFor each label, the version that is current: "
        "deployed if one is, otherwise the newest approved one. A version's own page never changes meaning; "
        "these pages move when a new version becomes current.\n\n" + table(["label", "kind", "latest"], rows)
    )
    return {"latest/index.md": index} | out
