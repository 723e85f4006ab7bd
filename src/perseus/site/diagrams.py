"""Class diagrams as SVG, written at build time: no script, no Graphviz, no request to another host.

Boxes are classes (name, then one row per field: `name: type`), arrows run from a field
to the class it holds. Boxes stand in columns given by the caller; every box links to
its class page. The SVG is drawn at its natural size (text 13 px), so a page shows it in
a scrolling frame instead of shrinking it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

FONT = 13  # px; rows are monospace so that a row's width can be computed
CHAR = FONT * 0.62  # width of one monospace character (DejaVu Sans Mono is 0.602 em)
TITLE_CHAR = FONT * 0.68  # bold sans-serif, generous
ROW = FONT + 7
PAD = 10
GAP_X, GAP_Y = 70, 22


@dataclass
class Box:
    name: str
    href: str
    rows: list[tuple[str, str]] = field(default_factory=list)  # (field name, type text)
    focus: bool = False
    label: str = ""  # the name shown, when it is not `name`

    @property
    def title(self) -> str:
        return self.label or self.name

    def width(self) -> float:
        longest = max([len(f"{n}: {t}") * CHAR for n, t in self.rows] + [len(self.title) * TITLE_CHAR], default=0)
        return round(longest + 2 * PAD)

    def height(self) -> float:
        return ROW + 8 + len(self.rows) * ROW + (6 if self.rows else 0)


def svg(columns: list[list[Box]], edges: list[tuple[str, str, str]], title: str) -> str:
    """`edges` are (class, field, target class); the arrow leaves the field's row."""
    place: dict[str, tuple[float, float, Box]] = {}
    x: float = PAD
    for column in columns:
        width = max(b.width() for b in column)
        y: float = PAD
        for box in column:
            place[box.name] = (x, y, box)
            y += box.height() + GAP_Y
        x += width + GAP_X
    total_w = round(x - GAP_X + PAD)
    total_h = round(max(y + b.height() for _, y, b in place.values()) + PAD)
    widths = {name: max(b.width() for b in col) for col in columns for name in [b.name for b in col]}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="class-diagram" role="img" width="{total_w}" height="{total_h}" '
        f'viewBox="0 0 {total_w} {total_h}" font-size="{FONT}"><title>{html.escape(title)}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#455a64"/></marker></defs>',
    ]
    for cls, field_name, target in edges:
        if cls not in place or target not in place:
            continue
        x0, y0, box = place[cls]
        x1, y1, _ = place[target]
        row = [n for n, _ in box.rows].index(field_name)
        sx, sy = x0 + widths[cls], y0 + ROW + 8 + row * ROW + ROW / 2
        ty = y1 + ROW / 2 + 4
        if x1 > x0:
            tx = x1
            bend = (tx - sx) / 2
            path = f"M{sx:.0f},{sy:.0f} C{sx + bend:.0f},{sy:.0f} {tx - bend:.0f},{ty:.0f} {tx:.0f},{ty:.0f}"
        else:  # a target in the same column or to the left: loop round the right-hand side
            tx = x1 + widths[target]
            reach = max(sx, tx) + GAP_X * 0.6
            path = f"M{sx:.0f},{sy:.0f} C{reach:.0f},{sy:.0f} {reach:.0f},{ty:.0f} {tx:.0f},{ty:.0f}"
        out.append(f'<path d="{path}" fill="none" stroke="#455a64" stroke-width="1.3" marker-end="url(#arrow)"/>')
    for x0, y0, box in place.values():
        w, h = widths[box.name], box.height()
        fill, stroke = ("#e0f2f1", "#00695c") if box.focus else ("#ffffff", "#546e7a")
        out.append(f'<a href="{html.escape(box.href)}"><g>')
        out.append(
            f'<rect x="{x0:.0f}" y="{y0:.0f}" width="{w:.0f}" height="{h:.0f}" rx="4" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{2 if box.focus else 1.2}"/>'
        )
        out.append(
            f'<text x="{x0 + PAD:.0f}" y="{y0 + ROW - 2:.0f}" font-family="sans-serif" font-weight="bold" '
            f'fill="#263238">{html.escape(box.title)}</text>'
        )
        if box.rows:
            out.append(
                f'<line x1="{x0:.0f}" y1="{y0 + ROW + 4:.0f}" x2="{x0 + w:.0f}" y2="{y0 + ROW + 4:.0f}" stroke="{stroke}"/>'
            )
        for i, (name, type_text) in enumerate(box.rows):
            ty = y0 + ROW + 8 + i * ROW + FONT
            out.append(
                f'<text x="{x0 + PAD:.0f}" y="{ty:.0f}" font-family="DejaVu Sans Mono, monospace" fill="#263238">'
                f'{html.escape(name)}<tspan fill="#607d8b">: {html.escape(type_text)}</tspan></text>'
            )
        out.append("</g></a>")
    out.append("</svg>")
    return "\n".join(out)


def frame(svg_text: str, caption: str, full_size: str | None = None) -> str:
    """A figure that scrolls sideways when the diagram is wider than the page, never shrinking it."""
    link = f' <a href="{html.escape(full_size)}">Open the diagram on its own</a>.' if full_size else ""
    return (
        f'<figure class="diagram"><div class="diagram-frame">{svg_text}</div>'
        f"<figcaption>{html.escape(caption)}{link}</figcaption></figure>\n"
    )
