"""Where every artefact stands, for the site: status, decisions, successor, note.

This is the only module of the site that reads status and decisions, so that the status
badges, the decision links and the downloads manifest all agree. Status comes from the one
register (`perseus.governance.register.entries()`, governance/register.yaml), decisions
from `perseus.governance.records.load()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Standing:
    ref: str  # label@version
    kind: str  # data-specification, methodology, permission-text, factor-set, ...
    status: str
    decisions: tuple[tuple[str, str], ...] = ()  # (decision id, effect) of every decision that names the artefact
    status_decision: str | None = None  # the decision the register names for its status
    superseded_by: str | None = None
    withdrawn_by: str | None = None  # the erratum that withdrew it
    note: str = ""

    @property
    def label(self) -> str:
        return self.ref.split("@", 1)[0]

    @property
    def version(self) -> str:
        return self.ref.split("@", 1)[1]


@lru_cache(maxsize=1)
def records():
    """The governance records (decisions, errata, groups); a record that breaks its model stops the build."""
    from perseus.governance.records import load
    from perseus.paths import ROOT

    held = load(ROOT)
    if held.problems:
        raise ValueError("governance records the site cannot show:\n" + "\n".join(map(str, held.problems)))
    return held


@lru_cache(maxsize=1)
def decisions() -> dict[str, dict]:
    """Every decision record by id, oldest first."""
    return {d["id"]: d for d in sorted(records().decisions.values(), key=lambda d: (d["date"], d["id"]))}


@lru_cache(maxsize=1)
def register() -> dict[str, Standing]:
    """Every artefact with a status, by `label@version`: the register's entries, with the decisions naming each."""
    from perseus.governance.register import entries

    named: dict[str, list[tuple[str, str]]] = {}
    for decision in decisions().values():
        for artefact in decision["artefacts"]:
            named.setdefault(artefact["artefact"], []).append((decision["id"], artefact["effect"]))
    found = {
        ref: Standing(
            ref=ref,
            kind=entry["kind"],
            status=entry["status"],
            decisions=tuple(named.get(ref, ())),
            status_decision=entry.get("decision"),
            superseded_by=entry.get("superseded_by"),
            withdrawn_by=entry.get("withdrawn_by"),
            note=" ".join((entry.get("note") or "").split()),
        )
        for ref, entry in entries().items()
    }
    # The sandbox's service levels state their own status (governance/sla.yaml); the register holds no such kind.
    from perseus.sla import load_sla

    sla = load_sla()
    found.setdefault(f"{sla.label}@{sla.version}", Standing(f"{sla.label}@{sla.version}", "service-levels", sla.status))
    return found


def standing(ref: str, kind: str = "") -> Standing:
    """The standing of one artefact; one the register does not hold is a draft."""
    return register().get(ref) or Standing(
        ref=ref, kind=kind, status="draft", note="The register holds no entry for it, so it counts as a draft."
    )


def badge(status: str) -> str:
    """An inline status badge; the words carry the meaning, the colour only repeats it."""
    return f'<span class="status-badge status-{status}" title="status: {status}">{status}</span>'
