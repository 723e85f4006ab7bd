"""MkDocs hook: renders the pages and downloads from the sources at build time, and the nav to them."""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File, Files

from perseus.paths import ROOT
from perseus.site import api, benchmarks, changes, downloads, governance, permissions, specifications

# Hand-written pages first, then one nav section per rendered module.
HAND_WRITTEN = [{"Home": "index.md"}, {"Implementer's guide": "guide.md"}, {"Running at scale": "scale.md"}]
SECTIONS = (
    ("Data specifications", specifications),
    ("API reference", api),
    ("Permission texts", permissions),
    ("Governance", governance),
    ("Changes", changes),
    ("Downloads", downloads),
)

_rendered: dict[str, str] = {}


def on_config(config):
    _rendered.clear()
    nav = list(HAND_WRITTEN)
    for title, section in SECTIONS:
        pages = section.pages()
        _rendered.update(pages)
        nav.append({title: [_nav_entry(uri) for uri in pages]})
    config["nav"] = nav
    return config


def _nav_entry(uri: str):
    """Index pages take their own heading; the others are named by their version, e.g. `edp-cap@2025-10-27`."""
    stem = uri.rsplit("/", 1)[-1].removesuffix(".md")
    return uri if stem == "index" else {stem.replace("..", " → "): uri}


def readme_commands() -> str:
    """The README's opening code block: the home page shows the same two commands, never a copy."""
    readme = (ROOT / "README.md").read_text()
    return "```sh" + readme.split("```sh", 1)[1].split("```", 1)[0] + "```"


def on_page_markdown(markdown: str, page, config, files) -> str:
    markdown = markdown.replace("<!-- readme-commands -->", readme_commands())
    if benchmarks.MARKER in markdown:
        markdown = markdown.replace(benchmarks.MARKER, benchmarks.figures_markdown())
    return markdown


def on_files(files: Files, config) -> Files:
    for uri, text in _rendered.items():
        files.append(File.generated(config, uri, content=text))
    return files


def on_post_build(config) -> None:
    downloads.copy_into(Path(config["site_dir"]))
