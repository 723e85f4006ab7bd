"""Differences between two permission-text versions: their structure (energy types,
data items, sections and clause ids) and, word by word, what the reader sees."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from perseus.permission_texts import PERMISSION_TEXTS, load_text, render
from perseus.review import yaml_diff
from perseus.review.changes import Change
from perseus.review.text_diff import WordChange, word_changes

SECTION_HEADING = re.compile(r"^\d+\. ")


def _structure(text: dict, same_label: bool = True) -> dict:
    # Sections keyed by kind so that the diff names them; version and label are shown in the pack header
    # (the label is kept when two labels are compared along a lineage).
    hidden = ("version", "sections", "label") if same_label else ("version", "sections")
    data = {k: v for k, v in text.items() if k not in hidden}
    data["sections"] = {s["kind"]: s["clauses"] for s in text["sections"]}
    return data


def structure(ref: str, source: Path = PERMISSION_TEXTS) -> dict:
    """A text's structure as one document (a first version's pack lists all of it)."""
    return _structure(load_text(ref, source), same_label=False)


def diff_texts(old_ref: str, new_ref: str, source: Path = PERMISSION_TEXTS) -> tuple[list[Change], list[WordChange]]:
    old, new = load_text(old_ref, source), load_text(new_ref, source)
    same = old["label"] == new["label"]
    structure = yaml_diff.compare(_structure(old, same), _structure(new, same))
    new_lines = render(new_ref, source).body_lines()
    words = word_changes(render(old_ref, source).body_lines(), new_lines)
    return structure, [replace(w, where=_section_of(new_lines, w.line)) for w in words]


def _section_of(lines: list[str], line: int) -> str:
    """The heading line ("1. What you are asked to share") above a 1-based body line."""
    for text in reversed(lines[:line]):
        if SECTION_HEADING.match(text):
            return f"section {text}"
    return ""


def rendered_lines(ref: str, source: Path = PERMISSION_TEXTS) -> list[str]:
    return render(ref, source).body_lines()
