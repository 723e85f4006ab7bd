"""MkDocs hook: renders the pages and downloads from the sources at build time, and the nav to them.

Each section's pages and images are kept in the build cache under the hash of the sources
(perseus.build_cache), so a second build with nothing changed renders only the Markdown.
"""

from __future__ import annotations

import importlib
import re
import shutil
from pathlib import Path

from mkdocs.structure.files import File, Files

from perseus import build_cache as cache
from perseus import publication
from perseus.paths import DOCS, ROOT
from perseus.site import benchmarks, drawings, sandbox

# Hand-written pages first, then one nav section per rendered module (perseus.site.<name>).
HAND_WRITTEN = [
    {"Home": "index.md"},
    {"Implementer's guide": "guide.md"},
    {"Sandbox": "sandbox.md"},
    {"Provenance": "provenance.md"},
    {"Running at scale": "scale.md"},
    {"Glossary": "glossary.md"},
]
SECTIONS = (
    ("Data specifications", "specifications"),
    ("Differences from the registry", "differences"),
    ("Latest versions", "latest"),
    ("API reference", "api"),
    ("Methodologies", "methodologies"),
    ("Impact of proposed options", "impact"),
    ("Factors", "factors"),
    ("Permission texts", "permissions"),
    ("Conformance", "conformance"),
    ("Governance", "governance"),
    ("Changes", "changes"),
    ("Downloads", "downloads"),
    (None, "drawings"),  # images only
)

_rendered: dict[str, str] = {}
_assets: dict[str, bytes] = {}
_copies: dict[str, str] = {}
_markers: dict[str, str] = {}


def render_section(name: str) -> dict:
    """A section's pages, images, nav entries and files to copy, made from the sources."""
    from perseus.site import nav

    module = importlib.import_module(f"perseus.site.{name}")
    pages = module.pages()
    assets: dict[str, bytes] = getattr(module, "assets", dict)()  # after pages: some are made while rendering them
    return {
        "pages": pages,
        "assets": assets,
        "nav": nav.entries(name, list(pages)),
        "copies": getattr(module, "copies", dict)(),
    }


def on_config(config):
    config["site_url"] = config.get("site_url") or publication.site_url()
    config["repo_url"] = config.get("repo_url") or publication.REPOSITORY_URL
    for store in (_rendered, _assets, _copies, _markers):
        store.clear()
    nav = list(HAND_WRITTEN)
    key = cache.sources_digest()
    for title, name in SECTIONS:
        section = cache.cached(f"section-{name}", key, lambda name=name: render_section(name))
        _rendered.update(section["pages"])
        _assets.update(section["assets"])
        _copies.update(section["copies"])
        if title:
            nav.append({title: section["nav"]})
    _markers.update(
        cache.cached(
            "page-markers",
            key,
            lambda: {
                **{marker: render() for marker, render in sandbox.MARKERS.items()},
                drawings.MARKER: drawings.figure_markdown(),
            },
        )
    )
    config["nav"] = nav
    return config


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


def abbreviations() -> str:
    """Every acronym of the glossary as a Markdown abbreviation, so each page explains it on hover."""
    text = (DOCS / "glossary.md").read_text()
    found = re.findall(r"^([A-Z][A-Za-z0-9]*[A-Z0-9])\n:   ([^\n]+?)\.(?=\s|$)", text, flags=re.M)
    plain = lambda t: re.sub(r"\[([^]]+)\]\([^)]+\)", r"\1", t).replace("`", "")  # noqa: E731
    return "\n".join(f"*[{term}]: {plain(definition)}" for term, definition in found if term.isupper())


def on_page_markdown(markdown: str, page, config, files) -> str:
    for marker, text in _markers.items():
        markdown = markdown.replace(marker, text)
    if benchmarks.MARKER in markdown:
        markdown = markdown.replace(benchmarks.MARKER, benchmarks.figures_markdown())
    if benchmarks.QUERIES_MARKER in markdown:
        markdown = markdown.replace(benchmarks.QUERIES_MARKER, benchmarks.queries_markdown())
    markdown = markdown.replace("<!-- readme-commands -->", readme_commands())
    markdown = re.sub(r"<!-- makefile:(\w+) -->", lambda m: makefile_recipe(m.group(1)), markdown)
    return markdown + "\n\n" + abbreviations() + "\n"


def on_files(files: Files, config) -> Files:
    for uri, text in _rendered.items():
        files.append(File.generated(config, uri, content=text))
    for uri, content in _assets.items():
        files.append(File.generated(config, uri, content=content))
    return files


def on_post_build(config) -> None:
    # Downloads are copied after the build rather than handed to MkDocs, which would render
    # the Markdown ones (permission texts, review packs) as pages instead of serving them as they are.
    site = Path(config["site_dir"])
    for uri, source in _copies.items():
        target = site / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / source, target)
