"""Permission text pages: each version rendered from its clauses, with its status and downloads."""

from __future__ import annotations

from perseus.governance.register import entries
from perseus.permission_texts import render, text_refs
from perseus.site.markdown import table


def pages() -> dict[str, str]:
    register = entries()
    out, rows = {}, []
    for ref in text_refs():
        rendered = render(ref)
        status = register[ref]["status"] if ref in register else "draft"
        note = f" {register[ref]['note']}" if register.get(ref, {}).get("note") else ""
        body = rendered.md().split("\n", 1)[1]  # the page supplies its own heading
        out[f"permission-texts/{ref}.md"] = (
            f"# {rendered.title} ({ref})\n\nStatus: **{status}** ([register](../governance/index.md)).{note} Downloads: "
            f'<a href="../../downloads/permission-text/{ref}.txt">text</a>, '
            f'<a href="../../downloads/permission-text/{ref}.md">Markdown</a>. '
            "Placeholders in square brackets are filled with the parties' names when the text is shown.\n\n"
            + body
        )
        rows.append([f"[{ref}]({ref}.md)", rendered.title, status])
    index = (
        "# Permission texts\n\nWhat the small business is asked to agree to. Every text is assembled from one "
        "library of clauses, so the variants cannot drift apart; the [review packs](../changes/index.md) show "
        "each change word by word. The labels and dates are the scheme registry's; the wording is this project's, "
        "with the registry's content items. This project's first texts (`edp-cap`, `cap-fsp`, `edp-cap-fsp`) are "
        "withdrawn: their content departed from the scheme's (see the errata on the "
        "[governance page](../governance/index.md)).\n\n" + table(["version", "title", "status"], rows)
    )
    return {"permission-texts/index.md": index} | out
