"""Resolve two references to one kind of artefact, diff them, and write the review pack."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from perseus.governance.pins import calorific_values_file
from perseus.paths import FACTORS, METHODOLOGIES, ROOT
from perseus.permission_texts import PERMISSION_TEXTS
from perseus.review.changes import Change
from perseus.review.text_diff import WordChange
from perseus.writing import dump_json
from perseus.yaml_loading import safe_load

# Factor sets are versioned by the publisher's year (`desnz@2025`); every other artefact by a date.
ANY_REFERENCE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*@(?:\d{4}-\d{2}-\d{2}|\d{4})$")


class ReviewError(ValueError):
    """The two references cannot be compared (unknown, different kinds, unreadable)."""


@dataclass
class ReviewPack:
    old: str | None  # None: the pack of a first version, which describes all of it
    new: str
    kind: str
    changes: list[Change] = field(default_factory=list)  # the source: LinkML cut, structure, document, table
    words: list[WordChange] = field(default_factory=list)
    wdiff: list[str] = field(default_factory=list)
    published: list = field(default_factory=list)  # PublishedChange rows: JSON Schema and OpenAPI

    @property
    def name(self) -> str:
        return f"{self.old}..{self.new}" if self.old else self.new

    def counts(self) -> dict[str, int]:
        """Changes of the source, one per row (wording changes are counted apart, under `wording`)."""
        counts = {"added": 0, "removed": 0, "changed": 0}
        for change in self.changes:
            counts[change.change] += 1
        return counts

    def published_counts(self) -> dict[str, int]:
        return {
            "rows": len(self.published),
            "breaking_for_producers": sum(1 for c in self.published if c.producers),
            "breaking_for_consumers": sum(1 for c in self.published if c.consumers),
            "unexplained": sum(1 for c in self.published if not c.explained),
        }

    def as_dict(self) -> dict:
        data: dict[str, Any] = {
            "old": self.old,
            "new": self.new,
            "kind": self.kind,
            "summary": self.counts(),
            "changes": [c.as_dict() for c in self.changes],
        }
        if self.kind == "data-specification":
            data["published_summary"] = self.published_counts()
            data["published"] = [c.as_dict() for c in self.published]
        if self.kind == "permission-text":
            data["summary"]["wording"] = len(self.words)
            data["words"] = [w.as_dict() for w in self.words]
            data["wdiff"] = self.wdiff
        return data

    def json(self) -> str:
        return dump_json(self.as_dict())

    def json_with(self, extra: dict) -> str:
        """The pack's JSON with more keys after its own (`perseus diff` adds the impact)."""
        return dump_json({**self.as_dict(), **extra})

    def markdown(self) -> str:
        from perseus.review.markdown import render_pack

        return render_pack(self)


def _factor_tables(ref: str, factors: Path) -> dict[str, Path]:
    """The CSV tables of a factor set: `factors/**/<ref>.csv`, or every CSV under `factors/**/<ref>/`."""
    # Named without the version, so that the same table in two versions pairs up.
    label = ref.split("@")[0]
    tables = {f"{label}.csv": p for p in sorted(factors.rglob(f"{ref}.csv"))}
    for folder in sorted(p for p in factors.rglob(ref) if p.is_dir()):
        tables.update({str(p.relative_to(folder)): p for p in sorted(folder.rglob("*.csv"))})
    return tables


def _factor_metadata(ref: str, factors: Path) -> Path | None:
    for pattern in (f"{ref}.yaml", f"{ref}.yml", f"{ref}/metadata.yaml", f"{ref}/*.yaml"):
        found = sorted(factors.rglob(pattern))
        if found:
            return found[0]
    return None


def kind_of(ref: str, root: Path = ROOT) -> str:
    """Which kind of artefact `label@date` is: a data specification, permission text, methodology or factor set, in that order."""
    from perseus.releases import all_releases

    if not ANY_REFERENCE.match(ref):
        raise ReviewError(f"{ref!r} is not of the form label@YYYY-MM-DD (or label@YYYY for a factor set)")
    if any(r.ref == ref for r in all_releases()):
        return "data-specification"
    if (_permission_dir(root) / f"{ref}.yaml").exists():
        return "permission-text"
    if (_methodology_dir(root) / f"{ref}.yaml").exists():
        return "methodology"
    if _factor_tables(ref, _factor_dir(root)):
        return "factor-set"
    if ref.startswith("calorific-values@") and (root / calorific_values_file(ref, root)).is_file():
        return "calorific-values"
    raise ReviewError(
        f"{ref}: not a published data specification (governance/releases.yaml), permission text "
        f"(permission-texts/{ref}.yaml), methodology (methodologies/{ref}.yaml) or factor set (factors/**/{ref}.csv)"
    )


def _permission_dir(root: Path) -> Path:
    return root / PERMISSION_TEXTS.relative_to(ROOT)


def _methodology_dir(root: Path) -> Path:
    return root / METHODOLOGIES.relative_to(ROOT)


def _factor_dir(root: Path) -> Path:
    return root / FACTORS.relative_to(ROOT)


def _read_yaml(path: Path):
    from perseus.records import read_yaml

    return read_yaml(path)


def review(
    old: str | None, new: str, root: Path = ROOT, documents: dict[str, str] | None = None, lineage: bool = False
) -> ReviewPack:
    """The review pack for two versions, or for a first version when `old` is None.

    `old`/`new` are `label@date`, or two paths to CSV/YAML files. Two labels are compared only
    along a lineage the register records (`lineage=True`). `documents` maps repository paths to
    generated text, so that `perseus generate` builds packs from the documents it is writing.
    """
    if old is not None and Path(old).is_file() and Path(new).is_file():
        return _review_files(Path(old), Path(new))
    kind = kind_of(new, root)
    if old is not None:
        old_kind = kind_of(old, root)
        if old_kind != kind:
            raise ReviewError(f"{old} is a {old_kind} but {new} is a {kind}: only like can be compared")
        # A proposed methodology may have a label of its own beside the approved one (of one energy type).
        if old.split("@")[0] != new.split("@")[0] and not lineage and kind != "methodology":
            raise ReviewError(f"{old} and {new} have different labels: compare two versions of one {kind}")
    pack = ReviewPack(old, new, kind)
    {
        "data-specification": _specification,
        "permission-text": _permission_text,
        "methodology": _methodology,
        "factor-set": _factor_set,
        "calorific-values": _calorific_values,
    }[kind](pack, root, documents or {})
    return pack


def _published_documents(ref: str | None, root: Path, documents: dict[str, str]) -> tuple[dict, dict]:
    if ref is None:
        return {}, {}
    out = []
    for rel in (f"generated/jsonschema/{ref}.schema.json", f"generated/openapi/{ref}.json"):
        text = documents.get(rel)
        if text is None:
            path = root / rel
            if not path.is_file():
                raise ReviewError(f"{rel}: not generated yet; run `perseus generate`")
            text = path.read_text()
        out.append(json.loads(text))
    return out[0], out[1]


def _specification(pack: ReviewPack, root: Path, documents: dict[str, str]) -> None:
    from perseus.review import spec_diff
    from perseus.review.published_diff import jsonschema_changes, openapi_changes

    before, after = spec_diff.described(pack.old), spec_diff.described(pack.new)
    pack.changes = spec_diff.compare(before, after)
    meanings = {**before["meanings"], **after["meanings"]}
    aliases = {**before["aliases"], **after["aliases"]}  # the registry's name of a definition -> the project's
    (schema_a, api_a), (schema_b, api_b) = (_published_documents(r, root, documents) for r in (pack.old, pack.new))
    pack.published = jsonschema_changes(schema_a, schema_b, meanings, aliases) + openapi_changes(
        api_a, api_b, meanings, aliases
    )


def _permission_text(pack: ReviewPack, root: Path, documents: dict[str, str]) -> None:
    from perseus.review import yaml_diff
    from perseus.review.permission_diff import diff_texts, rendered_lines, structure
    from perseus.review.text_diff import wdiff_lines, word_changes

    source = _permission_dir(root)
    if pack.old is None:
        pack.changes = yaml_diff.compare({}, structure(pack.new, source))
        lines = rendered_lines(pack.new, source)
        pack.words = word_changes([], lines)
        pack.wdiff = lines
        return
    pack.changes, pack.words = diff_texts(pack.old, pack.new, source)
    pack.wdiff = wdiff_lines(rendered_lines(pack.old, source), rendered_lines(pack.new, source))


def _methodology(pack: ReviewPack, root: Path, documents: dict[str, str]) -> None:
    from perseus.review import yaml_diff

    folder = _methodology_dir(root)
    before = _read_yaml(folder / f"{pack.old}.yaml") if pack.old else {}
    after = _read_yaml(folder / f"{pack.new}.yaml")
    if before and before.get("energyType") != after.get("energyType"):
        raise ReviewError(
            f"{pack.old} is for {before.get('energyType')} but {pack.new} is for {after.get('energyType')}: "
            "compare two methodologies of one energy type"
        )
    pack.changes = yaml_diff.compare(_without_version(before), _without_version(after))


def _calorific_values(pack: ReviewPack, root: Path, documents: dict[str, str]) -> None:
    from perseus.review import yaml_diff

    before = _read_yaml(root / calorific_values_file(pack.old, root)) if pack.old else {}
    after = _read_yaml(root / calorific_values_file(pack.new, root))
    pack.changes = yaml_diff.compare(_without_version(before), _without_version(after))


def _factor_set(pack: ReviewPack, root: Path, documents: dict[str, str]) -> None:
    from perseus.review import factor_diff, yaml_diff

    folder = _factor_dir(root)
    after = _factor_tables(pack.new, folder)
    new_meta = _factor_metadata(pack.new, folder)
    if pack.old is None:
        for name, path in after.items():
            pack.changes += factor_diff.first_rows(path, name if len(after) > 1 else None)
        if new_meta:
            pack.changes += yaml_diff.compare({}, _without_version(_read_yaml(new_meta)), "metadata")
        return
    before = _factor_tables(pack.old, folder)
    for name in sorted(after.keys() - before.keys()):
        pack.changes.append(Change("added", "table", name))
    for name in sorted(before.keys() - after.keys()):
        pack.changes.append(Change("removed", "table", name))
    for name in sorted(before.keys() & after.keys()):
        pack.changes += factor_diff.compare_tables(before[name], after[name], name if len(before) > 1 else None)
    old_meta = _factor_metadata(pack.old, folder)
    if old_meta and new_meta:
        pack.changes += yaml_diff.compare(
            _without_version(_read_yaml(old_meta)), _without_version(_read_yaml(new_meta)), "metadata"
        )


def _without_version(document):
    """A document's own version (and label) are the pack's header, not a change to review."""
    if isinstance(document, dict):
        return {k: v for k, v in document.items() if k not in ("version", "label", "year")}
    return document


def _review_files(old: Path, new: Path) -> ReviewPack:
    from perseus.review import factor_diff, yaml_diff

    if old.suffix != new.suffix:
        raise ReviewError(f"{old} and {new} are different kinds of file")
    if old.suffix == ".csv":
        return ReviewPack(str(old), str(new), "factor-set", factor_diff.compare_tables(old, new))
    if old.suffix in (".yaml", ".yml"):
        return ReviewPack(str(old), str(new), "methodology", yaml_diff.compare(_read_yaml(old), _read_yaml(new)))
    raise ReviewError(f"{old}: only .csv (factor tables) and .yaml (methodologies) files can be compared")


def held_versions(root: Path = ROOT) -> dict[str, list[str]]:
    """Every label held, for every kind, with its versions in date order."""

    releases = root / "governance/releases.yaml"
    refs = (
        [f"{r['label']}@{r['version']}" for r in safe_load(releases.read_text())["releases"]]
        if releases.exists()
        else []
    )
    refs += [p.stem for p in _permission_dir(root).glob("*@*.yaml")]
    refs += [p.stem for p in _methodology_dir(root).glob("*@*.yaml")]
    factors = _factor_dir(root)
    if factors.exists():
        refs += [p.stem for p in factors.rglob("*@*.csv")]
        refs += [p.name for p in factors.rglob("*@*") if p.is_dir()]
    by_label: dict[str, set[str]] = {}
    for ref in refs:
        if ANY_REFERENCE.match(ref):
            label, version = ref.split("@")
            by_label.setdefault(label, set()).add(version)
    return {label: sorted(versions) for label, versions in sorted(by_label.items())}


def version_pairs(root: Path = ROOT) -> list[tuple[str, str]]:
    """Consecutive versions of every label held, for every kind."""
    pairs = []
    for label, versions in held_versions(root).items():
        pairs += [(f"{label}@{a}", f"{label}@{b}") for a, b in pairwise(versions)]
    return sorted(pairs)


def published_packs(root: Path = ROOT) -> list[tuple[str | None, str]]:
    """The packs the site publishes: each label's first version, every consecutive pair, each
    data specification against every release it builds on, and every lineage the register
    records (`compared_with`), so that a version inserted later between two others never
    removes the pack that compared them."""

    wanted: list[tuple[str | None, str]] = [
        (None, f"{label}@{versions[0]}") for label, versions in held_versions(root).items()
    ]
    wanted += version_pairs(root)
    releases = root / "governance/releases.yaml"
    for release in safe_load(releases.read_text())["releases"] if releases.exists() else []:
        wanted += [
            (parent, f"{release['label']}@{release['version']}") for parent in sorted(release.get("builds_on") or [])
        ]
    register = root / "governance/register.yaml"
    entries = (safe_load(register.read_text()) or {}).get("artefacts", []) if register.exists() else []
    for entry in entries:
        if entry.get("compared_with"):
            wanted.append((entry["compared_with"], entry["artefact"]))
    seen, out = set(), []
    for pair in wanted:
        if pair not in seen:
            seen.add(pair)
            out.append(pair)
    return out


def review_pack_files(root: Path = ROOT, documents: dict[str, str] | None = None) -> dict[str, str]:
    """generated/review-packs/<old>..<new>.md (and <first>.md) for every published pack, and an index page."""
    files = {}
    index = [
        "# Review packs",
        "",
        "What changed between versions of each published artefact, and what each first version holds. "
        "A data specification's pack covers the JSON Schema and OpenAPI documents implementers download "
        "(each row classed as breaking or not for producers and for consumers) and its LinkML source.",
        "",
    ]
    index += [
        "| pack | kind | source changes | published rows | breaking for producers | breaking for consumers |",
        "|---|---|---|---|---|---|",
    ]
    for old, new in published_packs(root):
        pack = review(old, new, root, documents, lineage=True)
        files[f"generated/review-packs/{pack.name}.md"] = pack.markdown()
        c, p = pack.counts(), pack.published_counts()
        label = f"{old} → {new}" if old else f"{new} (first version)"
        published = (
            [str(p["rows"]), str(p["breaking_for_producers"]), str(p["breaking_for_consumers"])]
            if pack.kind == "data-specification"
            else ["–", "–", "–"]
        )
        index.append(f"| [{label}]({pack.name}.md) | {pack.kind} | {sum(c.values())} | " + " | ".join(published) + " |")
    files["generated/review-packs/index.md"] = "\n".join(index) + "\n"
    return files
