"""Permission text pages: each version rendered from its clauses, with its status and downloads."""

from __future__ import annotations

from perseus.permission_texts import render, text_refs
from perseus.site import artefacts
from perseus.site.downloads import download_link
from perseus.site.markdown import key_values, table
from perseus.site.status import badge, standing


def pages() -> dict[str, str]:
    out, rows = {}, []
    for ref in text_refs():
        rendered = render(ref)
        page = f"permission-texts/{ref}.md"
        body = rendered.md().split("\n", 1)[1]  # the page supplies its own heading
        facts = artefacts.related(ref, page) + [
            (
                "Downloads",
                f"{download_link(f'permission-text/{ref}.txt', 'text', 2)}, "
                f"{download_link(f'permission-text/{ref}.md', 'Markdown', 2)}",
            )
        ]
        out[page] = (
            f"---\ntitle: {ref} (permission text)\n---\n\n# {rendered.title} ({ref})\n\n"
            + key_values(facts)
            + "Placeholders in square brackets are filled with the parties' names when the text is shown.\n\n"
            + body
        )
        rows.append([f"[{ref}]({ref}.md)", rendered.title, badge(standing(ref).status)])
    index = (
        "---\ntitle: Permission texts\n---\n\n"
        "# Permission texts\n\nWhat the small business is asked to agree to. Every text is assembled from one "
        "library of clauses, so the variants cannot drift apart; the [review packs](../changes/index.md) show "
        "each change word by word. The labels and dates are the scheme registry's; the wording is this project's, "
        "with the registry's content items. This project's first texts (`edp-cap`, `cap-fsp`, `edp-cap-fsp`) are "
        "withdrawn: their content departed from the scheme's (see the errata on the "
        "[governance page](../governance/index.md)).\n\n" + table(["version", "title", "status"], rows)
    )
    return {"permission-texts/index.md": index} | out
