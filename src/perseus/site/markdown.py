"""Small helpers for writing Markdown pages."""

from __future__ import annotations

import json


def cell(text) -> str:
    """A value safe inside a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|") if text not in (None, "") else "–"


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def json_example(value, spec: str, cls: str, title: str) -> str:
    """A JSON example the site tests validate: the wrapper names its specification and type."""
    body = json.dumps(value, indent=2, ensure_ascii=False)
    return (
        f'<div class="example" data-spec="{spec}" data-type="{cls}" markdown>\n\n'
        f'```json title="{title}"\n{body}\n```\n\n</div>\n'
    )
