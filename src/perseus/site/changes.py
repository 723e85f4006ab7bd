"""The review packs as published in generated/review-packs: each between two versions, linked to
both, or of a first version (what it holds), linked to it."""

from __future__ import annotations

from perseus.paths import GENERATED
from perseus.site import artefacts
from perseus.site.downloads import download_link
from perseus.site.status import badge, standing


def _side(ref: str, page: str) -> str:
    target = artefacts.page_of(ref)
    shown = f"[{ref}]({artefacts.link(page, target)})" if target else ref
    return shown + (f" {badge(standing(ref).status)}" if ref in artefacts.all_refs() else "")


def pages() -> dict[str, str]:
    folder = GENERATED / "review-packs"
    out = {}
    for old, new, page in artefacts.review_packs():
        name = page.removeprefix("changes/")
        heading, rest = (folder / name).read_text().split("\n", 1)
        subject = f"Compares {_side(old, page)} with {_side(new, page)}" if old else f"What {_side(new, page)} holds"
        out[page] = (
            f"---\ntitle: {artefacts.pack_title(old, new)} (review pack)\n---\n\n{heading}\n\n{subject}. "
            f"Download: {download_link(f'review-packs/{name}', 'Markdown', 2)}.\n" + rest
        )
    index = "---\ntitle: Review packs\n---\n\n" + (folder / "index.md").read_text()
    return {"changes/index.md": index} | out
