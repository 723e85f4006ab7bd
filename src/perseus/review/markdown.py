"""A review pack as Markdown, for the advisory group and the documentation site."""

from __future__ import annotations

import json

TITLES = {"added": "Added", "removed": "Removed", "changed": "Changed"}
SOURCE = {
    "data-specification": "In the LinkML source (the release's cut, `generated/linkml/`)",
    "permission-text": "In the text's structure",
    "methodology": "In the methodology document",
    "factor-set": "In the factor tables and their metadata",
    "calorific-values": "In the calorific values",
}
BREAKING = (
    "**Breaking for producers** (who write the payload or serve the API): something valid under the old "
    "version may be refused under the new one. **Breaking for consumers** (who read the payload or call the "
    "API): a valid producer may now send or answer something the old version did not allow, or a client must change."
)


def _cell(value) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = " ".join(text.split()).replace("|", "\\|")
    return f"`{text}`" if text else ""


def _words(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _relative(value) -> str:
    return "" if value is None else f"{value:+.2%}"


def _yes(flag: bool) -> str:
    return "**yes**" if flag else "no"


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def _published(pack) -> list[str]:
    rows = pack.published
    counts = pack.published_counts()
    out = ["## In the published documents (JSON Schema and OpenAPI)", ""]
    if not rows:
        return out + ["The JSON Schema and OpenAPI documents are the same.", ""]
    out += [
        f"{_count(counts['rows'], 'row')}: {counts['breaking_for_producers']} breaking for producers, "
        f"{counts['breaking_for_consumers']} breaking for consumers"
        + (f", **{counts['unexplained']} unexplained**" if counts["unexplained"] else "")
        + ". "
        + BREAKING,
        "",
        "| document | change | what | in words | breaking for producers | breaking for consumers |",
        "|---|---|---|---|---|---|",
    ]
    for c in rows:
        out.append(
            f"| {c.document} | {c.change} {c.element} | {_cell(c.name)} | {_words(c.words)} | {_yes(c.producers)} | "
            f"{_yes(c.consumers)} |"
        )
    return out + [""]


def _source(pack) -> list[str]:
    out = [f"## {SOURCE.get(pack.kind, 'In the source')}", ""]
    counts = pack.counts()
    if not pack.changes:
        return out + ["No differences.", ""]
    out += [f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed.", ""]
    with_values = any(c.relative_change is not None for c in pack.changes)
    for change_type in ("added", "removed", "changed"):
        rows = [c for c in pack.changes if c.change == change_type]
        if not rows:
            continue
        out += [f"### {TITLES[change_type]}", ""]
        if change_type == "changed":
            header = "| element | name | what | old | new |" + (" relative change |" if with_values else "")
            out += [header, "|" + "---|" * (6 if with_values else 5)]
            for c in rows:
                line = f"| {c.element} | {_cell(c.name)} | {_words(c.detail)} | {_cell(c.old)} | {_cell(c.new)} |"
                out.append(line + (f" {_relative(c.relative_change)} |" if with_values else ""))
        else:
            out += ["| element | name | details |", "|---|---|---|"]
            for c in rows:
                details = _words(c.detail) if c.detail else _cell(c.new if change_type == "added" else c.old)
                out.append(f"| {c.element} | {_cell(c.name)} | {details} |")
        out.append("")
    return out


def render_pack(pack) -> str:
    title = f"{pack.old} → {pack.new}" if pack.old else f"{pack.new} (first version)"
    counts = pack.counts()
    summary = f"Kind: {pack.kind}. {_count(sum(counts.values()), 'change')} to the source"
    if pack.kind == "data-specification":
        summary += f"; {_count(len(pack.published), 'row')} in the published documents"
    if pack.kind == "permission-text":
        summary += f"; {_count(len(pack.words), 'change')} to the wording"
    out = [f"# Review pack: {title}", "", summary + ".", ""]
    if pack.old is None:
        out += ["A first version: everything in it is listed as added.", ""]
    if pack.kind == "data-specification":
        out += _published(pack)
    out += _source(pack)
    if pack.kind == "permission-text":
        out += ["## Wording", ""]
        if not pack.words:
            out += ["The rendered texts read the same, word for word.", ""]
        elif pack.old is None:
            out += ["The whole text, as rendered:", "", "```text", *pack.wdiff, "```", ""]
        else:
            out += ["Word-level changes to the rendered text (`{+added+}`, `[-removed-]`):", ""]
            out += [f"- {w.where or f'line {w.line}'}: `{w.wdiff()}`" for w in pack.words]
            out += ["", "Changed lines in full:", "", "```text", *pack.wdiff, "```", ""]
    return "\n".join(out).rstrip("\n") + "\n"
