"""Permission text pages: each version rendered from its clauses, with its status and downloads."""

from __future__ import annotations

from perseus.governance import all_statuses
from perseus.permission_texts import render, text_refs
from perseus.site.markdown import table


def pages() -> dict[str, str]:
    statuses = all_statuses()
    out, rows = {}, []
    for ref in text_refs():
        rendered = render(ref)
        status = statuses[ref].status if ref in statuses else "draft"
        body = rendered.md().split("\n", 1)[1]  # the page supplies its own heading
        out[f"permission-texts/{ref}.md"] = (
            f"# {rendered.title} ({ref})\n\nStatus: **{status}**. Downloads: "
            f'<a href="../../downloads/permission-text/{ref}.txt">text</a>, '
            f'<a href="../../downloads/permission-text/{ref}.md">Markdown</a>. '
            "Placeholders in square brackets are filled with the parties' names when the text is shown.\n\n"
            + body
        )
        rows.append([f"[{ref}]({ref}.md)", rendered.title, status])
    index = (
        "# Permission texts\n\nWhat the small business is asked to agree to. Every text is assembled from one "
        "library of clauses, so the variants cannot drift apart; the [review packs](../changes/index.md) show "
        "each change word by word.\n\n" + table(["version", "title", "status"], rows)
    )
    return {"permission-texts/index.md": index} | out
