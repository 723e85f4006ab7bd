"""The drawing of a signed record on the provenance page: an SVG beside the page, shown at its
natural size (10 pt labels) in a frame that scrolls sideways, and openable on its own."""

from __future__ import annotations

from perseus.provenance import drawing

MARKER = drawing.MARKER  # the page marker this figure replaces

ASSET = "provenance/record-drawing.svg"


def figure_markdown() -> str:
    """What the page's marker becomes (docs/provenance.md sits beside the provenance/ folder)."""
    name = ASSET
    return (
        f'<figure class="chart provenance-record" markdown>\n\n[![{drawing.TITLE}]({name})]({name} '
        f'"Open the drawing on its own")\n\n<figcaption>{drawing.TITLE}. Select the drawing to open it on its own, '
        "full size.</figcaption>\n</figure>\n"
    )


def pages() -> dict[str, str]:
    return {}


def assets() -> dict[str, bytes]:
    return {ASSET: drawing.render_record_svg(drawing.example_record(), drawing.TITLE).encode()}
