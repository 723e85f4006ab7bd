"""The review packs between consecutive versions, as published in generated/review-packs."""

from __future__ import annotations

from perseus.paths import GENERATED


def pages() -> dict[str, str]:
    folder = GENERATED / "review-packs"
    out = {}
    for path in sorted(folder.glob("*.md")):
        out[f"changes/{path.name}"] = path.read_text()
    index = out.pop("changes/index.md")
    return {"changes/index.md": index} | out
