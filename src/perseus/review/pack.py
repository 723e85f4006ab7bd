"""Resolve two references to one kind of artefact, diff them, and write the review pack."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from perseus.paths import FACTORS, METHODOLOGIES, ROOT
from perseus.permission_texts import PERMISSION_TEXTS
from perseus.review.changes import Change
from perseus.review.text_diff import WordChange
from perseus.writing import dump_json

# Factor sets are versioned by the publisher's year (`desnz@2025`); every other artefact by a date.
ANY_REFERENCE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*@(?:\d{4}-\d{2}-\d{2}|\d{4})$")

class ReviewError(ValueError):
    """The two references cannot be compared (unknown, different kinds, unreadable)."""


@dataclass
class ReviewPack:
    old: str
    new: str
    kind: str
    changes: list[Change] = field(default_factory=list)
    words: list[WordChange] = field(default_factory=list)
    wdiff: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {"added": 0, "removed": 0, "changed": 0}
        for change in self.changes:
            counts[change.change] += 1
        counts["changed"] += len(self.words)
        return counts

    def as_dict(self) -> dict:
        data = {
            "old": self.old,
            "new": self.new,
            "kind": self.kind,
            "summary": self.counts(),
            "changes": [c.as_dict() for c in self.changes],
        }
        if self.kind == "permission-text":
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


def review(old: str, new: str, root: Path = ROOT) -> ReviewPack:
    """The review pack for two versions; `old`/`new` are `label@date` or paths to CSV/YAML files."""
    from perseus.review import factor_diff, spec_diff, yaml_diff

    old_path, new_path = Path(old), Path(new)
    if old_path.is_file() and new_path.is_file():
        return _review_files(old_path, new_path)
    kind, new_kind = kind_of(old, root), kind_of(new, root)
    if new_kind != kind:
        raise ReviewError(f"{old} is a {kind} but {new} is a {new_kind}: only like can be compared")
    if old.split("@")[0] != new.split("@")[0] and kind != "methodology":
        raise ReviewError(f"{old} and {new} have different labels: compare two versions of one {kind}")
    pack = ReviewPack(old, new, kind)
    if kind == "data-specification":
        pack.changes = spec_diff.diff_releases(old, new)
    elif kind == "permission-text":
        from perseus.review.permission_diff import diff_texts, rendered_lines
        from perseus.review.text_diff import wdiff_lines

        source = _permission_dir(root)
        pack.changes, pack.words = diff_texts(old, new, source)
        pack.wdiff = wdiff_lines(rendered_lines(old, source), rendered_lines(new, source))
    elif kind == "methodology":
        folder = _methodology_dir(root)
        before, after = _read_yaml(folder / f"{old}.yaml"), _read_yaml(folder / f"{new}.yaml")
        # A proposed option may be a methodology of its own label beside the approved one: of the same energy type.
        if before.get("energyType") != after.get("energyType"):
            raise ReviewError(f"{old} is for {before.get('energyType')} but {new} is for {after.get('energyType')}: "
                              "compare two methodologies of one energy type")
        pack.changes = yaml_diff.compare(_without_version(before), _without_version(after))
    else:
        folder = _factor_dir(root)
        before, after = _factor_tables(old, folder), _factor_tables(new, folder)
        for name in sorted(after.keys() - before.keys()):
            pack.changes.append(Change("added", "table", name))
        for name in sorted(before.keys() - after.keys()):
            pack.changes.append(Change("removed", "table", name))
        for name in sorted(before.keys() & after.keys()):
            pack.changes += factor_diff.compare_tables(before[name], after[name], name if len(before) > 1 else None)
        old_meta, new_meta = _factor_metadata(old, folder), _factor_metadata(new, folder)
        if old_meta and new_meta:
            pack.changes += yaml_diff.compare(_without_version(_read_yaml(old_meta)), _without_version(_read_yaml(new_meta)), "metadata")
    return pack


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


def version_pairs(root: Path = ROOT) -> list[tuple[str, str]]:
    """The packs the docs publish: each data specification against every release it builds
    on, and consecutive versions of every other label held."""
    from perseus.releases import all_releases

    releases = sorted(all_releases(), key=lambda r: (r.label, r.version))
    pairs = [(parent, r.ref) for r in releases for parent in sorted(r.builds_on)]
    refs = [p.stem for p in _permission_dir(root).glob("*@*.yaml")]
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
    for label in sorted(by_label):
        versions = sorted(by_label[label])
        pairs += [(f"{label}@{a}", f"{label}@{b}") for a, b in zip(versions, versions[1:])]
    return sorted(pairs)


def review_pack_files(root: Path = ROOT) -> dict[str, str]:
    """generated/review-packs/<old>..<new>.md for every pair, and an index page."""
    files = {}
    index = ["# Review packs", "", "What changed between each data specification and the releases it builds on, and between consecutive versions of every other artefact.", ""]
    index += ["| old | new | kind | added | removed | changed |", "|---|---|---|---|---|---|"]
    for old, new in version_pairs(root):
        pack = review(old, new, root)
        name = f"{old}..{new}.md"
        files[f"generated/review-packs/{name}"] = pack.markdown()
        c = pack.counts()
        index.append(f"| [{old}]({name}) | {new} | {pack.kind} | {c['added']} | {c['removed']} | {c['changed']} |")
    files["generated/review-packs/index.md"] = "\n".join(index) + "\n"
    return files
