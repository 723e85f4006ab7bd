"""Small helpers for writing Markdown and HTML fragments of pages."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

# A code span: a run of backticks, its text, the same run again (CommonMark's rule).
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)


def cell(text) -> str:
    """A value safe inside a Markdown table cell.

    A `|` outside code is escaped so that it does not split the cell; inside a code span
    it is left alone (Python-Markdown's tables do not split there, and an escape would be
    shown literally, so a copied pattern would match a backslash)."""
    if text in (None, ""):
        return "–"
    text = " ".join(str(text).split())
    parts, last = [], 0
    for match in CODE_SPAN.finditer(text):
        parts.append(text[last : match.start()].replace("|", "\\|"))
        parts.append(match.group(0))
        last = match.end()
    parts.append(text[last:].replace("|", "\\|"))
    return "".join(parts)


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def key_values(rows: Sequence[tuple[str, object]]) -> str:
    """Facts about a page's subject as a definition list (no table with an empty header bar)."""
    return "".join(f"{key}\n:   {cell(value)}\n\n" for key, value in rows)


def json_example(value, spec: str, cls: str, title: str) -> str:
    """A JSON example the site tests validate: the wrapper names its specification and type."""
    body = json.dumps(value, indent=2, ensure_ascii=False)
    return (
        f'<div class="example" data-spec="{spec}" data-type="{cls}" markdown>\n\n'
        f'```json title="{title}"\n{body}\n```\n\n</div>\n'
    )
