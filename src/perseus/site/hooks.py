"""MkDocs hook: renders the pages and downloads from the sources at build time, and the nav to them."""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.structure.files import File, Files

from perseus.paths import ROOT
from perseus.site import (
    api,
    benchmarks,
    changes,
    differences,
    downloads,
    factors,
    governance,
    methodologies,
    permissions,
    sandbox,
    specifications,
)

# Hand-written pages first, then one nav section per rendered module.
HAND_WRITTEN = [
    {"Home": "index.md"},
    {"Implementer's guide": "guide.md"},
    {"Sandbox": "sandbox.md"},
    {"Provenance": "provenance.md"},
    {"Running at scale": "scale.md"},
]
SECTIONS = (
    ("Data specifications", specifications),
    ("Differences from the registry", differences),
    ("API reference", api),
    ("Methodologies", methodologies),
    ("Factors", factors),
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


def makefile_recipe(target: str) -> str:
    """A Makefile target's commands as a reader would type them, so that the guide shows what `make` runs."""
    text = (ROOT / "Makefile").read_text().replace("\\\n", "")
    variables = dict(re.findall(r"^(\w+) :?= (.*)$", text, flags=re.M))
    recipe = text.split(f"\n{target}:", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    lines = []
    for line in recipe:
        line = " ".join(line.split())
        for _ in range(3):  # variables may name variables
            line = re.sub(r"\$\((\w+)\)", lambda m: variables.get(m.group(1), m.group(0)), line)
        lines.append(line)
    return "```sh\n" + "\n".join(lines) + "\n```"


def on_page_markdown(markdown: str, page, config, files) -> str:
    from perseus.provenance import drawing

    if drawing.MARKER in markdown:
        markdown = markdown.replace(drawing.MARKER, drawing.markdown_figure())
    if benchmarks.MARKER in markdown:
        markdown = markdown.replace(benchmarks.MARKER, benchmarks.figures_markdown())
    if benchmarks.QUERIES_MARKER in markdown:
        markdown = markdown.replace(benchmarks.QUERIES_MARKER, benchmarks.queries_markdown())
    markdown = sandbox.render(markdown.replace("<!-- readme-commands -->", readme_commands()))
    return re.sub(r"<!-- makefile:(\w+) -->", lambda m: makefile_recipe(m.group(1)), markdown)


def on_files(files: Files, config) -> Files:
    for uri, text in _rendered.items():
        files.append(File.generated(config, uri, content=text))
    for _, section in SECTIONS:
        for uri, content in getattr(section, "assets", dict)().items():
            files.append(File.generated(config, uri, content=content))
    return files


def on_post_build(config) -> None:
    downloads.copy_into(Path(config["site_dir"]))
