"""Permission texts: load them (LinkML-validated), render them to text and Markdown,
and fill the party placeholders for named parties.

A text file (`permission-texts/<label>@<date>.yaml`) holds only structure: sections
as lists of clause ids, the energy types and the data items. All wording comes from
`permission-texts/clauses.yaml`, so every variant and version shares one source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from perseus.paths import ROOT, SPEC
from perseus.records import RecordInvalid, load_record
from perseus.yaml_loading import safe_load

PERMISSION_TEXTS = ROOT / "permission-texts"
LIBRARY_FILE = "clauses.yaml"
MODULE = "permission_text.yaml"
OUTPUT_DIR = "generated/permission-text"

TOKEN = re.compile(r"\[([^\[\]]+)\]")
ENERGY_TYPES_FIELD = "{energy_types}"


class PermissionTextError(ValueError):
    """A text that cannot be rendered: unknown clause, placeholder or section order."""


class UnfilledPlaceholder(ValueError):
    """Filling parties left a placeholder without a value."""


@lru_cache(maxsize=1)
def _model_enums() -> dict:
    # Read the enums straight from the LinkML module so names and tokens have one source.
    return safe_load((SPEC / MODULE).read_text())["enums"]


def placeholder_tokens() -> dict[str, str]:
    """Placeholder code -> token as written in the wording, e.g. 'CAP-process' -> '[CAP process]'."""
    values = _model_enums()["PartyPlaceholder"]["permissible_values"]
    return {code: v["annotations"]["token"] for code, v in values.items()}


def section_order() -> list[str]:
    return list(_model_enums()["PermissionSectionKind"]["permissible_values"])


def text_refs(source: Path = PERMISSION_TEXTS) -> list[str]:
    """Every text version held, as `label@date`, sorted by label then date."""
    return sorted(p.stem for p in source.glob("*@*.yaml"))


def load_library(source: Path = PERMISSION_TEXTS) -> dict:
    raw = load_record(source / LIBRARY_FILE, "ClauseLibrary", MODULE)
    path = source / LIBRARY_FILE
    library: dict[str, dict[str, dict]] = {"headings": {}, "data_items": {}, "clauses": {}}
    for key, id_key in (("headings", "kind"), ("data_items", "kind"), ("clauses", "id")):
        for index, entry in enumerate(raw[key]):
            name = entry[id_key]
            if name in library[key]:
                raise RecordInvalid(
                    f"{path}: /{key}/{index}: {id_key} {name!r} is defined twice (one source per wording)"
                )
            library[key][name] = entry
    return library


def load_text(ref: str, source: Path = PERMISSION_TEXTS) -> dict:
    path = source / f"{ref}.yaml"
    if not path.exists():
        known = ", ".join(text_refs(source)) or "none"
        raise RecordInvalid(f"{path}: no permission text {ref!r}; held: {known}")
    text = load_record(path, "PermissionText", MODULE)
    if f"{text['label']}@{text['version']}" != ref:
        raise RecordInvalid(
            f"{path}: label and version say {text['label']}@{text['version']}, the file name says {ref}"
        )
    return text


def load_text_with_status(ref: str, source: Path = PERMISSION_TEXTS) -> dict:
    """A text with its status from the governance register (the one place a status is kept)."""
    from perseus.governance.register import status_of

    return load_text(ref, source) | {"status": status_of(ref)}


def energy_types_in_words(types: list[str]) -> str:
    """['electricity'] -> 'electricity'; ['electricity', 'gas'] -> 'electricity and gas'."""
    if len(types) == 1:
        return types[0]
    return ", ".join(types[:-1]) + " and " + types[-1]


@dataclass(frozen=True)
class Section:
    number: int
    heading: str
    # Each block is ("paragraph", text) or ("items", [text, ...]).
    blocks: tuple


@dataclass(frozen=True)
class RenderedText:
    ref: str
    title: str
    sections: tuple[Section, ...]

    def body_lines(self) -> list[str]:
        """The sections as plain lines (headings, paragraphs, items): what a reader consents to."""
        lines = []
        for section in self.sections:
            lines.append(f"{section.number}. {section.heading}")
            for kind, content in section.blocks:
                lines.extend([content] if kind == "paragraph" else [f"- {item}" for item in content])
        return lines

    def txt(self) -> str:
        out = [self.title, self.ref, ""]
        for section in self.sections:
            out += [f"{section.number}. {section.heading}", ""]
            for kind, content in section.blocks:
                if kind == "paragraph":
                    out += [content, ""]
                else:
                    out += [f"  - {item}" for item in content] + [""]
        return "\n".join(out).rstrip("\n") + "\n"

    def md(self) -> str:
        out = [f"# {self.title}", "", f"Version: `{self.ref}`", ""]
        for section in self.sections:
            out += [f"## {section.number}. {section.heading}", ""]
            for kind, content in section.blocks:
                out += [content, ""] if kind == "paragraph" else [f"- {item}" for item in content] + [""]
        return "\n".join(out).rstrip("\n") + "\n"


def render(ref: str, source: Path = PERMISSION_TEXTS) -> RenderedText:
    """Assemble one text from its structure and the clause library; placeholders stay as tokens."""
    text, library = load_text(ref, source), load_library(source)
    path = source / f"{ref}.yaml"
    order = section_order()
    kinds = [s["kind"] for s in text["sections"]]
    if kinds != sorted(set(kinds), key=order.index):
        raise PermissionTextError(f"{path}: /sections: kinds {kinds} must be distinct and in the order {order}")
    energy = energy_types_in_words(text["energy_types"])
    sections = []
    for number, section in enumerate(text["sections"], start=1):
        blocks: list = []
        for index, clause_id in enumerate(section["clauses"]):
            clause = library["clauses"].get(clause_id)
            if clause is None:
                raise PermissionTextError(
                    f"{path}: /sections/{number - 1}/clauses/{index}: clause {clause_id!r} is not in {LIBRARY_FILE}"
                )
            wording = " ".join(clause["text"].split())
            if clause.get("style", "paragraph") == "item":
                if blocks and blocks[-1][0] == "items":
                    blocks[-1][1].append(wording)
                else:
                    blocks.append(("items", [wording]))
            else:
                blocks.append(("paragraph", wording))
        if section["kind"] == "data-access":
            items = []
            for kind in text["data_items"]:
                wording = library["data_items"].get(kind)
                if wording is None:
                    raise PermissionTextError(f"{path}: /data_items: no wording for {kind!r} in {LIBRARY_FILE}")
                items.append(" ".join(wording["text"].split()).replace(ENERGY_TYPES_FIELD, energy))
            blocks.append(("items", items))
        heading = library["headings"].get(section["kind"])
        if heading is None:
            raise PermissionTextError(f"{path}: no heading for section kind {section['kind']!r} in {LIBRARY_FILE}")
        sections.append(
            Section(number, heading["heading"], tuple((k, tuple(c) if k == "items" else c) for k, c in blocks))
        )
    rendered = RenderedText(ref, text["title"], tuple(sections))
    _check_placeholders(path, text, rendered)
    return rendered


def _check_placeholders(path: Path, text: dict, rendered: RenderedText) -> None:
    tokens = placeholder_tokens()
    known = set(tokens.values())
    used = set(TOKEN.findall(rendered.txt()))
    unknown = sorted(f"[{u}]" for u in used if f"[{u}]" not in known)
    if unknown:
        raise PermissionTextError(f"{path}: unknown placeholder(s) {unknown}; known: {sorted(known)}")
    if "{" in rendered.txt():
        raise PermissionTextError(f"{path}: a data field other than {ENERGY_TYPES_FIELD} was left in the wording")
    declared = {tokens[code] for code in text["placeholders"]}
    used_tokens = {f"[{u}]" for u in used}
    if declared != used_tokens:
        raise PermissionTextError(
            f"{path}: /placeholders declares {sorted(declared)} but the wording uses {sorted(used_tokens)}"
        )


def fill_parties(rendered: str, parties: Mapping[str, str]) -> str:
    """Replace every placeholder with the named party's value; refuse to leave any unfilled.

    `parties` is keyed by placeholder code (`CAP`, `EDP-privacy-policy-link`) or by
    the token's words (`EDP privacy policy link`), with or without brackets.
    """
    tokens = placeholder_tokens()
    values: dict[str, str] = {}
    for key, value in parties.items():
        token = tokens.get(key) or (key if key.startswith("[") else f"[{key}]")
        if token not in tokens.values():
            raise UnfilledPlaceholder(f"unknown party placeholder {key!r}; known: {sorted(tokens.values())}")
        if value is None or not str(value).strip():
            raise UnfilledPlaceholder(f"empty value for {token}")
        values[token] = str(value)
    missing = sorted({f"[{t}]" for t in TOKEN.findall(rendered)} - set(values))
    if missing:
        raise UnfilledPlaceholder(f"no value given for {', '.join(missing)}")
    # One pass, so a party's own text is never scanned for placeholders.
    return TOKEN.sub(lambda m: values.get(m.group(0), m.group(0)), rendered)


def clause_cut(ref: str, source: Path = PERMISSION_TEXTS) -> str:
    """The text's source as one document: its structure with every heading, data item and clause
    wording it uses written in. A decision pins it, so that an edit to a shared clause shows as a
    change to each approved text that uses it (and the library can grow without touching them)."""
    text, library = load_text(ref, source), load_library(source)
    document = {k: text[k] for k in ("label", "variant", "version", "title", "placeholders", "energy_types")}
    document["data_items"] = [{"kind": k, "text": library["data_items"][k]["text"]} for k in text["data_items"]]
    document["sections"] = [
        {
            "kind": section["kind"],
            "heading": library["headings"][section["kind"]]["heading"],
            "clauses": [{k: v for k, v in library["clauses"][c].items()} for c in section["clauses"]],
        }
        for section in text["sections"]
    ]
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def rendered_files(source: Path = PERMISSION_TEXTS) -> dict[str, str]:
    """generated/permission-text/<label>@<date>.txt, .md and the clause cut .yaml for every text held."""
    files = {}
    for ref in text_refs(source):
        rendered = render(ref, source)
        files[f"{OUTPUT_DIR}/{ref}.txt"] = rendered.txt()
        files[f"{OUTPUT_DIR}/{ref}.md"] = rendered.md()
        files[f"{OUTPUT_DIR}/{ref}.yaml"] = clause_cut(ref, source)
    return files
