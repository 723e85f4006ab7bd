"""Where every artefact stands, for the site: status, decisions, successor, note.

This is the only module of the site that reads the governance records, so that the
status badges, the decision links and the downloads manifest all agree, and so that
moving to another register changes one function (`register`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

STATUSES = ("draft", "proposed", "approved", "deployed", "superseded", "withdrawn")


@dataclass(frozen=True)
class Standing:
    ref: str  # label@version
    kind: str  # data-specification, methodology, permission-text, ...
    status: str
    decisions: tuple[str, ...] = ()  # ids of the decision records that list the artefact
    status_decision: str | None = None  # the decision the status record names (e.g. the one that superseded it)
    superseded_by: str | None = None
    note: str = ""

    @property
    def label(self) -> str:
        return self.ref.split("@", 1)[0]

    @property
    def version(self) -> str:
        return self.ref.split("@", 1)[1]


@lru_cache(maxsize=1)
def register() -> dict[str, Standing]:
    """Every artefact with a status, by `label@version`.

    Reads governance/releases.yaml (data specifications), governance/status.yaml (the
    rest) and the decision records."""
    from perseus.governance import all_statuses, load_decisions, load_statuses

    listed: dict[str, list[str]] = {}
    for decision in load_decisions():
        for artefact in decision["artefacts"]:
            listed.setdefault(artefact["artefact"], []).append(decision["id"])
    records = {s["artefact"]: s for s in load_statuses()}
    found = {}
    for ref, artefact in all_statuses().items():
        record = records.get(ref, {})
        found[ref] = Standing(
            ref=ref,
            kind=artefact.kind,
            status=artefact.status,
            decisions=tuple(listed.get(ref, ())),
            status_decision=record.get("decision"),
            superseded_by=record.get("superseded_by"),
            note=" ".join((record.get("note") or "").split()),
        )
    # Artefacts whose status is kept in their own file until the register holds them.
    from perseus.provenance.model import STEPS_RELEASE
    from perseus.sla import load_sla

    sla = load_sla()
    found.setdefault(f"{sla.label}@{sla.version}", Standing(f"{sla.label}@{sla.version}", "service-levels", sla.status))
    found.setdefault(STEPS_RELEASE.ref, Standing(STEPS_RELEASE.ref, "provenance-steps", STEPS_RELEASE.status))
    return found


def standing(ref: str, kind: str = "") -> Standing:
    """The standing of one artefact; one the records do not know is a draft."""
    return register().get(ref) or Standing(
        ref=ref, kind=kind, status="draft", note="No status record is held for it, so it counts as a draft."
    )


@lru_cache(maxsize=1)
def decisions() -> dict[str, dict]:
    from perseus.governance import load_decisions

    return {d["id"]: d for d in load_decisions()}


def badge(status: str) -> str:
    """An inline status badge; the words carry the meaning, the colour only repeats it."""
    return f'<span class="status-badge status-{status}" title="status: {status}">{status}</span>'
