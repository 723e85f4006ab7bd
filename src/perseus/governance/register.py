"""The artefact register (governance/register.yaml): the one place an artefact's status is kept.

Runtime code (the calculator choosing a methodology, the site, the sandbox) reads status
from here. This module reads YAML only; `perseus governance check` validates the register
against spec/governance.yaml and every rule of the lifecycle.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from perseus.paths import GOVERNANCE
from perseus.yaml_loading import safe_load

REGISTER_FILE = "register.yaml"
# Statuses under which an artefact may be used by default: approved by a decision that names it.
IN_FORCE = ("approved", "deployed")
LIFECYCLE = ("draft", "proposed", "approved", "deployed", "superseded", "withdrawn")


class NotRegistered(LookupError):
    """An artefact with no entry in the register."""


@lru_cache(maxsize=8)
def _entries(governance: Path) -> dict[str, dict]:
    raw = safe_load((governance / REGISTER_FILE).read_text()) or {}  # read by every calculation
    return {entry["artefact"]: entry for entry in raw.get("artefacts") or []}


def entries(governance: Path = GOVERNANCE) -> dict[str, dict]:
    """Every register entry, keyed by `label@version`."""
    return _entries(governance.resolve())


def entry(ref: str, governance: Path = GOVERNANCE) -> dict:
    found = entries(governance).get(ref)
    if found is None:
        raise NotRegistered(f"{governance / REGISTER_FILE}: no entry for {ref}; every artefact held has one")
    return found


def status_of(ref: str, governance: Path = GOVERNANCE) -> str:
    return entry(ref, governance)["status"]


def clear_cache() -> None:
    _entries.cache_clear()
