"""Every generated file, published byte for byte at downloads/<path under generated/>."""

from __future__ import annotations

from perseus.paths import GENERATED
from perseus.site.markdown import table


def files() -> dict[str, bytes]:
    return {
        f"downloads/{p.relative_to(GENERATED).as_posix()}": p.read_bytes()
        for p in sorted(GENERATED.rglob("*"))
        if p.is_file() and p.name != "README.md"
    }


def pages() -> dict[str, str]:
    rows = []
    for uri, content in files().items():
        rel = uri.removeprefix("downloads/")
        rows.append([f"[{rel}]({rel})", f"{len(content):,} bytes"])
    text = (
        "# Downloads\n\nEvery file in the repository's `generated/` folder, at a stable path named "
        "`label@YYYY-MM-DD`. An approved version never changes; a change is a new version.\n\n"
    )
    return {"downloads/index.md": text + table(["file", "size"], rows)}
