"""Differences between two permission-text versions: their structure (energy types,
data items, sections and clause ids) and, word by word, what the reader sees."""

from __future__ import annotations

from pathlib import Path

from perseus.permission_texts import PERMISSION_TEXTS, load_text, render
from perseus.review import yaml_diff
from perseus.review.changes import Change
from perseus.review.text_diff import WordChange, word_changes


def _structure(text: dict) -> dict:
    # Sections keyed by kind so that the diff names them; version and label are shown in the pack header.
    data = {k: v for k, v in text.items() if k not in ("version", "sections", "status")}
    data["sections"] = {s["kind"]: s["clauses"] for s in text["sections"]}
    return data


def diff_texts(old_ref: str, new_ref: str, source: Path = PERMISSION_TEXTS) -> tuple[list[Change], list[WordChange]]:
    old, new = load_text(old_ref, source), load_text(new_ref, source)
    structure = yaml_diff.compare(_structure(old), _structure(new))
    words = word_changes(render(old_ref, source).body_lines(), render(new_ref, source).body_lines())
    return structure, words


def rendered_lines(ref: str, source: Path = PERMISSION_TEXTS) -> list[str]:
    return render(ref, source).body_lines()
