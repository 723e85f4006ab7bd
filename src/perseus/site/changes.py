"""The review packs between consecutive versions, as published in generated/review-packs, each
linked to the two versions it compares."""

from __future__ import annotations

from perseus.paths import GENERATED
from perseus.site import artefacts
from perseus.site.downloads import download_link
from perseus.site.status import badge, standing


def _side(ref: str, page: str) -> str:
    target = artefacts.page_of(ref)
    shown = f"[{ref}]({artefacts.link(page, target)})" if target else ref
    kind = artefacts.all_refs().get(ref)
    return shown + (f" {badge(standing(ref).status)}" if kind and kind != "factor-set" else "")


def pages() -> dict[str, str]:
    folder = GENERATED / "review-packs"
    out = {}
    for old, new, page in artefacts.review_packs():
        text = (folder / page.removeprefix("changes/")).read_text()
        heading, rest = text.split("\n", 1)
        out[page] = (f"---\ntitle: {old} → {new} (review pack)\n---\n\n{heading}\n\nCompares {_side(old, page)} with "
                     f"{_side(new, page)}. Download: {download_link(f'review-packs/{old}..{new}.md', 'Markdown', 2)}.\n"
                     + rest)
    index = "---\ntitle: Review packs\n---\n\n" + (folder / "index.md").read_text()
    return {"changes/index.md": index} | out
