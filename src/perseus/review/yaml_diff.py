"""Differences between two YAML documents, such as two versions of a methodology.

Lists of mappings that carry a `name` (or `id`, `label`, `key`, `code`) are matched by it,
so a step or parameter that moved is not reported as changed, and a reviewer reads
`steps[monthly-total].formula` or `dataQualityRules[readable-input].description` rather
than a list index or the whole list.
"""

from __future__ import annotations

from perseus.review.changes import Change, relative

KEY_FIELDS = ("name", "id", "label", "key", "code")


def _key_field(items: list) -> str | None:
    """The field that names every item of a list of mappings uniquely, if there is one."""
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    for field in KEY_FIELDS:
        values = [i.get(field) for i in items]
        if all(v is not None for v in values) and len(set(map(str, values))) == len(values):
            return field
    return None


def _element(path: str) -> str:
    """A reviewer's word for the thing at `path`: `steps[x]` -> `step`, `parameters[y].unit` -> `parameter`."""
    head = path.split(".")[0].split("[")[0] if path else "document"
    return head[:-1] if head.endswith("s") and "[" in path.split(".")[0] else head


def compare(old, new, path: str = "") -> list[Change]:
    if isinstance(old, dict) and isinstance(new, dict):
        changes = []
        for key in sorted(new.keys() - old.keys(), key=str):
            sub = f"{path}.{key}" if path else str(key)
            changes.append(Change("added", _element(sub), sub, new=new[key]))
        for key in sorted(old.keys() - new.keys(), key=str):
            sub = f"{path}.{key}" if path else str(key)
            changes.append(Change("removed", _element(sub), sub, old=old[key]))
        for key in sorted(old.keys() & new.keys(), key=str):
            changes += compare(old[key], new[key], f"{path}.{key}" if path else str(key))
        return changes
    if isinstance(old, list) and isinstance(new, list):
        field = _key_field(old) if _key_field(old) == _key_field(new) else None
        if field:
            before = {str(i[field]): i for i in old}
            after = {str(i[field]): i for i in new}
            changes = []
            for name in [n for n in after if n not in before]:
                changes.append(Change("added", _element(f"{path}[{name}]"), f"{path}[{name}]", new=after[name]))
            for name in [n for n in before if n not in after]:
                changes.append(Change("removed", _element(f"{path}[{name}]"), f"{path}[{name}]", old=before[name]))
            for name in [n for n in before if n in after]:
                changes += compare(before[name], after[name], f"{path}[{name}]")
            if [n for n in before if n in after] != [n for n in after if n in before]:
                changes.append(Change("changed", _element(path), path, list(before), list(after), "order"))
            return changes
    if old != new:
        return [Change("changed", _element(path), path or "document", old, new, relative_change=relative(old, new))]
    return []
