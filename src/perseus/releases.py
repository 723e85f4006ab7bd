"""The data specifications held, read from governance/releases.yaml (what each release is made
of); their status is in the artefact register, governance/register.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from perseus.paths import GOVERNANCE

REFERENCE = re.compile(r"^(?P<label>[a-z0-9]+(?:-[a-z0-9]+)*)@(?P<version>\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Release:
    label: str
    version: str
    title: str
    description: str
    payloads: tuple[str, ...]

    @property
    def ref(self) -> str:
        return f"{self.label}@{self.version}"

    @property
    def status(self) -> str:
        from perseus.governance.register import status_of

        return status_of(self.ref)


class UnknownRelease(LookupError):
    pass


@lru_cache(maxsize=1)
def all_releases() -> tuple[Release, ...]:
    raw = yaml.safe_load((GOVERNANCE / "releases.yaml").read_text())["releases"]
    return tuple(
        Release(
            label=r["label"],
            version=str(r["version"]),
            title=r["title"],
            description=" ".join(r["description"].split()),
            payloads=tuple(r["payloads"]),
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
