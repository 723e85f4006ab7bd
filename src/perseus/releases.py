"""The data specifications held, read from governance/releases.yaml (what each release is made
of); their status is in the artefact register, governance/register.yaml.

Releases form a graph, not a line: the registry's own releases (`reproduces` names the
registry's document) and the project's releases (the gas additions, the drafts) build
on one another through `builds_on`. A release holds every element added in its own
version or in the version of any release it builds on, directly or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from perseus.paths import GOVERNANCE
from perseus.yaml_loading import safe_load

REFERENCE = re.compile(r"^(?P<label>[a-z0-9]+(?:-[a-z0-9]+)*)@(?P<version>\d{4}-\d{2}-\d{2})$")

# `profile` of a release: how its documents are written.
REGISTRY = "registry"  # as the registry's documents: open objects, RFC 3339 timestamps, the registry's names
STRICT = "strict"  # the project's rules: closed objects, timestamps in Z, months aligned


@dataclass(frozen=True)
class Release:
    label: str
    version: str
    title: str
    description: str
    payloads: tuple[str, ...]
    profile: str = STRICT
    builds_on: tuple[str, ...] = ()
    reproduces: str | None = None  # URL of the registry's document this release reproduces

    @property
    def ref(self) -> str:
        return f"{self.label}@{self.version}"

    @property
    def status(self) -> str:
        from perseus.governance.register import status_of

        return status_of(self.ref)

    @property
    def deployed(self) -> bool:
        """A reproduction of a document the registry published."""
        return self.reproduces is not None

    @property
    def has_strict_profile(self) -> bool:
        """Whether `perseus validate --strict` applies: the project's releases only."""
        return not self.deployed


class UnknownRelease(LookupError):
    pass


@lru_cache(maxsize=1)
def all_releases() -> tuple[Release, ...]:
    raw = safe_load((GOVERNANCE / "releases.yaml").read_text())["releases"]
    return tuple(
        Release(
            label=r["label"],
            version=str(r["version"]),
            title=r["title"],
            description=" ".join(r["description"].split()),
            payloads=tuple(r["payloads"]),
            profile=r.get("profile", STRICT),
            builds_on=tuple(r.get("builds_on", ())),
            reproduces=r.get("reproduces"),
        )
        for r in raw
    )


def get_release(ref: str) -> Release:
    """Find `label@YYYY-MM-DD`; the error lists what exists."""
    if not REFERENCE.match(ref):
        raise UnknownRelease(f"{ref!r} is not of the form label@YYYY-MM-DD")
    for release in all_releases():
        if release.ref == ref:
            return release
    known = ", ".join(r.ref for r in all_releases())
    raise UnknownRelease(f"no data specification {ref!r}; published: {known}")


def ancestry(release: Release) -> tuple[Release, ...]:
    """The release and every release it builds on, directly or not, newest first."""
    found: dict[str, Release] = {}
    todo = [release]
    while todo:
        current = todo.pop()
        if current.ref in found:
            continue
        found[current.ref] = current
        todo += [get_release(ref) for ref in current.builds_on]
    return tuple(sorted(found.values(), key=lambda r: r.version, reverse=True))


def registry_counterpart(release: Release) -> Release | None:
    """The registry's release a release is measured against: itself when it is one, else the
    newest deployed release it builds on, else the registry's first release of its label."""
    for candidate in ancestry(release):
        if candidate.deployed:
            return candidate
    same_label = [r for r in all_releases() if r.deployed and r.label == release.label]
    return min(same_label, key=lambda r: r.version) if same_label else None
