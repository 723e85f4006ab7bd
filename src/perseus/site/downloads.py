"""Every generated file, published byte for byte at downloads/<path under generated/>."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

from perseus.paths import GENERATED

DOWNLOADS = "downloads"


def sources() -> dict[str, Path]:
    """Site path of each download mapped to its file in generated/."""
    return {
        f"{DOWNLOADS}/{p.relative_to(GENERATED).as_posix()}": p
        for p in sorted(GENERATED.rglob("*"))
        if p.is_file() and p.name != "README.md"
    }


def copy_into(site_dir: Path) -> None:
    # Copied after the build rather than handed to MkDocs, which would render the
    # Markdown downloads (permission texts, review packs) as pages instead of serving them as they are.
    for uri, source in sources().items():
        target = site_dir / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def pages() -> dict[str, str]:
    rows = []
    for uri, source in sources().items():
        rel = uri.removeprefix(f"{DOWNLOADS}/")
        rows.append(
            f'<tr><td><a href="{html.escape(rel)}"><code>{html.escape(rel)}</code></a></td>'
            f"<td>{source.stat().st_size:,} bytes</td></tr>"
        )
    text = (
        "# Downloads\n\nEvery file in the repository's `generated/` folder, at a stable path named "
        "`label@YYYY-MM-DD`. An approved version never changes; a change is a new version.\n\n"
        "<table><thead><tr><th>file</th><th>size</th></tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>\n"
    )
    return {f"{DOWNLOADS}/index.md": text}
