"""Every downloadable artefact, published byte for byte under downloads/, with its status and SHA-256.

`catalogue()` is the one list: the downloads page, `downloads/manifest.json` and the
files copied into the site are all made from it. A file's status is the status of the
artefact it belongs to (from perseus.site.status); which files make up an artefact is
what its decision pins (`perseus.governance.pins.artefact_files`). A file that belongs to
no artefact with a status (an example, a LinkML module, a file generated for convenience)
is `informative`.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from perseus.paths import EXAMPLES, FACTORS, GENERATED, METHODOLOGIES, ROOT, SPEC
from perseus.permission_texts import PERMISSION_TEXTS
from perseus.site.status import badge, standing

DOWNLOADS = "downloads"
MANIFEST = f"{DOWNLOADS}/manifest.json"
INFORMATIVE = "informative"
CONFORMANCE = ROOT / "tests" / "conformance"
CONFORMANCE_ZIP = "conformance/calculator-conformance-cases.zip"


@dataclass(frozen=True)
class Download:
    path: str  # under downloads/
    group: str
    artefact: str | None = None  # label@version, when the file is (part of) an artefact
    source: Path | None = None  # the repository file, or None for a file made at build time
    content: bytes | None = None

    def data(self) -> bytes:
        if self.content is not None:
            return self.content
        assert self.source is not None  # a download is a file or made bytes
        return self.source.read_bytes()

    @property
    def status(self) -> str:
        return standing(self.artefact).status if self.artefact else INFORMATIVE


GROUPS = (
    (
        "data-specifications",
        "Data specifications",
        "JSON Schema, OpenAPI 3.1 document and LinkML cut of every release.",
    ),
    ("methodologies", "Methodologies", "The methodology documents the calculator runs."),
    (
        "permission-texts",
        "Permission texts",
        "Each version as plain text, as Markdown, as YAML, and the clause cut it is assembled from.",
    ),
    (
        "factors",
        "Emission factors and calorific values",
        "The UK government's conversion factors as tidy tables with their metadata, and the calorific-value defaults.",
    ),
    ("linkml-sources", "LinkML sources", "The models every release is cut from (`spec/`); the root is `perseus.yaml`."),
    (
        "examples",
        "Examples",
        "Valid and invalid payloads, with the index of the releases that accept or refuse each, "
        "and the trust anchor of the signed examples.",
    ),
    (
        "conformance",
        "Calculator conformance cases",
        "Numbered cases: inputs, the arguments of `perseus calculate`, the expected report and the arithmetic by hand.",
    ),
    (
        "generated",
        "Other generated files",
        "Review packs, the sandbox's OpenAPI document, service levels, "
        "the provenance step schema and the methodology model's schema.",
    ),
)


def _files(folder: Path, pattern: str = "*") -> list[Path]:
    return sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)


@lru_cache(maxsize=1)
def owners() -> dict[str, str]:
    """Repository path -> the `label@version` it is part of, for every artefact in the register."""
    from perseus.governance.pins import artefact_files
    from perseus.site.status import register

    found: dict[str, str] = {}
    for s in register().values():
        if s.kind != "service-levels":  # not an artefact kind of the register: its file is named by its label
            found |= {rel: s.ref for rel in artefact_files(s.kind, s.ref)}
    return found


def _artefact(path: Path) -> str | None:
    rel = path.relative_to(ROOT).as_posix()
    return owners().get(rel) or (path.stem if path.parent == GENERATED / "sla" else None)


@lru_cache(maxsize=1)
def catalogue() -> tuple[Download, ...]:
    found: list[Download] = []
    add = lambda path, group, source: found.append(Download(path, group, _artefact(source), source))  # noqa: E731
    for kind in ("jsonschema", "openapi", "linkml"):
        for p in _files(GENERATED / kind):
            add(f"{kind}/{p.name}", "data-specifications", p)
    for p in _files(METHODOLOGIES, "*@*.yaml"):
        add(f"methodologies/{p.name}", "methodologies", p)
    for p in _files(GENERATED / "permission-text"):
        add(f"permission-text/{p.name}", "permission-texts", p)
    for p in _files(PERMISSION_TEXTS, "*@*.yaml"):
        add(f"permission-text/clauses/{p.name}", "permission-texts", p)
    for p in _files(FACTORS):
        if p.suffix in (".csv", ".yaml"):
            add(f"factors/{p.name}", "factors", p)
    for p in _files(SPEC, "*.yaml"):
        if p.parent == SPEC:
            add(f"linkml/{p.name}", "linkml-sources", p)
    for p in _files(EXAMPLES):
        add(f"examples/{p.relative_to(EXAMPLES).as_posix()}", "examples", p)
    cases = [p for p in _files(CONFORMANCE) if p.name != "make_inputs.py"]
    for p in cases:
        add(f"conformance/{p.relative_to(CONFORMANCE).as_posix()}", "conformance", p)
    if cases:
        found.append(Download(CONFORMANCE_ZIP, "conformance", content=_zip(cases, CONFORMANCE)))
    for kind in ("review-packs", "sandbox", "sla", "provenance", "models"):
        for p in _files(GENERATED / kind):
            add(f"{kind}/{p.relative_to(GENERATED / kind).as_posix()}", "generated", p)
    return tuple(found)


def _zip(files: list[Path], base: Path) -> bytes:
    """A zip whose bytes depend on the files only (fixed dates, sorted names)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(base).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def manifest() -> list[dict]:
    """The published manifest: one object per download, paths relative to downloads/."""
    out = []
    for d in catalogue():
        data = d.data()
        entry = {
            "path": d.path,
            "status": d.status,
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
            "group": d.group,
        }
        if d.artefact:
            entry["artefact"] = d.artefact
        if d.source is not None:
            entry["source"] = d.source.relative_to(ROOT).as_posix()
        out.append(entry)
    return out


def manifest_bytes() -> bytes:
    return (json.dumps(manifest(), indent=2, ensure_ascii=False) + "\n").encode()


def copies() -> dict[str, str]:
    """Site path -> repository path of every download that is a file of the repository."""
    return {f"{DOWNLOADS}/{d.path}": d.source.relative_to(ROOT).as_posix() for d in catalogue() if d.source is not None}


def assets() -> dict[str, bytes]:
    """The downloads made at build time: the manifest, and the archive of the conformance cases."""
    made = {f"{DOWNLOADS}/{d.path}": d.data() for d in catalogue() if d.source is None}
    return made | {MANIFEST: manifest_bytes()}


def download_link(path: str, text: str, depth: int) -> str:
    """A raw link to a download from a page `depth` folders below the site root (directory URLs)."""
    return f'<a href="{"../" * depth}{DOWNLOADS}/{html.escape(path)}">{html.escape(text)}</a>'


def pages() -> dict[str, str]:
    entries = {e["path"]: e for e in manifest()}
    out = [
        "---\ntitle: Downloads\n---\n",
        "# Downloads\n",
        "Every artefact at a stable path named `label@version`, with its status and SHA-256. "
        "An approved version never changes: a change is a new version. "
        f'The same list, for programs: <a href="manifest.json"><code>{MANIFEST}</code></a> '
        "(one object per file: `path` relative to `downloads/`, `status`, `sha256`, `bytes`, `group`, and "
        "`artefact` and `source` where there are).\n",
        "Each file of an artefact (the files its decision pins) has the artefact's status; "
        f"a file that belongs to no artefact with a status (an example, a LinkML module, a file generated for "
        f"convenience) is {badge(INFORMATIVE)}.\n",
    ]
    for key, title, about in GROUPS:
        rows = [d for d in catalogue() if d.group == key]
        if not rows:
            continue
        out.append(f"## {title} {{#{key}}}\n\n{about}\n")
        body = "\n".join(
            f'<tr><td><a href="{html.escape(d.path)}"><code>{html.escape(d.path)}</code></a></td>'
            f"<td>{badge(entries[d.path]['status'])}</td><td>{entries[d.path]['bytes']:,}</td>"
            f'<td><code class="sha256">{entries[d.path]["sha256"]}</code></td></tr>'
            for d in rows
        )
        out.append(
            '<table class="downloads"><thead><tr><th>file</th><th>status</th><th>bytes</th><th>SHA-256</th></tr>'
            f"</thead><tbody>\n{body}\n</tbody></table>\n"
        )
    return {f"{DOWNLOADS}/index.md": "\n".join(out)}
