"""A review pack as Markdown, for the advisory group and the documentation site."""

from __future__ import annotations

import json

TITLES = {"added": "Added", "removed": "Removed", "changed": "Changed"}


def _cell(value) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = " ".join(text.split()).replace("|", "\\|")
    return f"`{text}`" if text else ""


def _relative(value) -> str:
    return "" if value is None else f"{value:+.2%}"


def render_pack(pack) -> str:
    counts = pack.counts()
    out = [
        f"# Review pack: {pack.old} → {pack.new}",
        "",
        f"Kind: {pack.kind}. "
        f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed.",
        "",
    ]
    if not pack.changes and not pack.words:
        out += ["No differences.", ""]
    with_values = any(c.relative_change is not None for c in pack.changes)
    for change_type in ("added", "removed", "changed"):
        rows = [c for c in pack.changes if c.change == change_type]
        if not rows:
            continue
        out += [f"## {TITLES[change_type]}", ""]
        if change_type == "changed":
            header = "| element | name | what | old | new |" + (" relative change |" if with_values else "")
            out += [header, "|" + "---|" * (6 if with_values else 5)]
            for c in rows:
                line = f"| {c.element} | {_cell(c.name)} | {c.detail} | {_cell(c.old)} | {_cell(c.new)} |"
                out.append(line + (f" {_relative(c.relative_change)} |" if with_values else ""))
        else:
            out += ["| element | name | details |", "|---|---|---|"]
            for c in rows:
                details = c.detail or _cell(c.new if change_type == "added" else c.old)
                out.append(f"| {c.element} | {_cell(c.name)} | {details} |")
        out.append("")
    if pack.kind == "permission-text":
        out += ["## Wording", ""]
        if not pack.words:
            out += ["The rendered texts read the same, word for word.", ""]
        else:
            out += ["Word-level changes to the rendered text (`{+added+}`, `[-removed-]`):", ""]
            out += [f"- {w.where or f'line {w.line}'}: `{w.wdiff()}`" for w in pack.words]
            out += ["", "Changed lines in full:", "", "```text", *pack.wdiff, "```", ""]
    return "\n".join(out).rstrip("\n") + "\n"
