"""The steps of governance/PROCESS.md, each writing the records it makes.

draft → propose (freezes the review packs) → record-vote (the decision, its tally and pins)
→ publish and sign (the signed manifest) → deploy, deprecate, supersede or withdraw; and
erratum, the one way to change a pin. Every step refuses, naming the record and the rule,
rather than write a record `perseus governance check` would refuse.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import yaml

from perseus.governance import manifest as manifests
from perseus.governance.pins import artefact_files, held_artefacts, pin, sha256_of
from perseus.governance.records import read_yaml
from perseus.governance.register import REGISTER_FILE, clear_cache
from perseus.governance.tally import count, tally_of_votes, voting_members
from perseus.writing import dump_json, write_atomically

HEADERS = {
    "register": (
        "# The one register of status (class ArtefactRegister, spec/governance.yaml): every artefact\n"
        "# version of every kind held in this repository, where it stands, the dates of its lifecycle\n"
        "# (draft → proposed → approved → deployed → superseded / withdrawn) and the decision behind its\n"
        "# approval. The calculator, the sandbox and the site read status from here only; no other file\n"
        "# states one. The `perseus governance` commands write it (governance/PROCESS.md), and\n"
        "# `perseus governance check` holds every entry to the rules.\n"
    ),
    "members": (
        "# The member register (class MemberRegister, spec/governance.yaml): the groups whose decisions\n"
        "# are recorded here, their quorum, and their members with the dates of their membership.\n"
        "# `perseus governance member-add` writes a member; `perseus governance check` counts every\n"
        "# recorded vote against the voting members on the day of the vote.\n"
    ),
    "proposal": "# A proposal (class Proposal, spec/governance.yaml), written by `perseus governance propose`.\n",
    "decision": "# A decision record (class DecisionRecord, spec/governance.yaml), written by `perseus governance record-vote`.\n",
    "erratum": "# An erratum (class Erratum, spec/governance.yaml), written by `perseus governance erratum`.\n",
}


class StepRefused(ValueError):
    """A step that would write a record the rules refuse (exit 1), naming the record and the rule."""


def today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


def dump(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def write_record(path: Path, header: str, data) -> None:
    """Write atomically: a reader never sees half a record."""
    write_atomically(path, header + dump(data))
    clear_cache()


def _register(root: Path) -> tuple[Path, list[dict]]:
    path = root / "governance" / REGISTER_FILE
    return path, read_yaml(path)["artefacts"]


def _save_register(root: Path, entries: list[dict]) -> None:
    order = (
        "artefact",
        "kind",
        "status",
        "drafted",
        "proposed",
        "approved",
        "deployed",
        "superseded",
        "withdrawn",
        "decision",
        "withdrawn_by",
        "superseded_by",
        "compared_with",
        "deprecated",
        "sunset",
        "note",
    )
    ordered = [{k: e[k] for k in order if e.get(k) is not None} for e in entries]
    write_record(root / "governance" / REGISTER_FILE, HEADERS["register"], {"artefacts": ordered})


def _entry(entries: list[dict], ref: str) -> dict:
    for entry in entries:
        if entry["artefact"] == ref:
            return entry
    raise StepRefused(
        f"governance/{REGISTER_FILE}: no entry for {ref} (rule: one-entry); run `perseus governance draft {ref}`"
    )


def previous_version(root: Path, ref: str) -> str | None:
    """The latest earlier version of the same label held, if any."""
    label, version = ref.split("@", 1)
    earlier = sorted(
        r.split("@", 1)[1] for r in held_artefacts(root) if r.split("@", 1)[0] == label and r.split("@", 1)[1] < version
    )
    return f"{label}@{earlier[-1]}" if earlier else None


def draft(root: Path, ref: str, day: str, compared_with: str | None = None, note: str | None = None) -> dict:
    """Enter a new artefact version held in the repository as a draft, and give a new data
    specification the example memberships of the version it is compared with."""
    held = held_artefacts(root)
    if ref not in held:
        raise StepRefused(f"{ref}: not held in the repository; add its files first (governance/PROCESS.md, step draft)")
    path, entries = _register(root)
    if any(e["artefact"] == ref for e in entries):
        raise StepRefused(f"{path.relative_to(root)}: {ref} already has an entry (rule: one-entry)")
    compared_with = compared_with or previous_version(root, ref)
    entry = {
        "artefact": ref,
        "kind": held[ref],
        "status": "draft",
        "drafted": day,
        "compared_with": compared_with,
        "note": note,
    }
    entries.append(entry)
    _save_register(root, entries)
    if held[ref] == "data-specification" and compared_with:
        carry_examples(root, compared_with, ref)
    return entry


def carry_examples(root: Path, old: str, new: str) -> int:
    """Add `new` beside `old` in every `valid_in`/`invalid_in` list of spec/examples/index.yaml
    (line by line, so the file's comments stay); returns how many lists changed."""
    path = root / "spec/examples/index.yaml"
    lines, changed = path.read_text().splitlines(keepends=True), 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(("valid_in: [", "invalid_in: [")) and stripped.endswith("]"):
            refs = [r.strip() for r in stripped.split("[", 1)[1][:-1].split(",") if r.strip()]
            if old in refs and new not in refs:
                refs.append(new)
                indent = line[: len(line) - len(line.lstrip())]
                lines[index] = f"{indent}{stripped.split(':', 1)[0]}: [{', '.join(refs)}]\n"
                changed += 1
    path.write_text("".join(lines))
    return changed


def stale_generated_files(root: Path, refs: list[str]) -> list[str]:
    """The generated files of `refs` that differ from a fresh generation (checked for this checkout only)."""
    from perseus.paths import ROOT

    if root.resolve() != ROOT.resolve():
        return []
    from perseus.generators.run import generated_files

    fresh = generated_files()
    held = held_artefacts(root)
    paths = [p for ref in refs for p in artefact_files(held[ref], ref, root) if p.startswith("generated/")]
    return [p for p in paths if not (root / p).is_file() or (root / p).read_text() != fresh.get(p)]


def propose(
    root: Path,
    proposal_id: str,
    refs: list[str],
    motion: str,
    proposed_by: str,
    group: str,
    day: str,
    revises: str | None = None,
) -> dict:
    """Put artefacts to a group: each becomes `proposed`, and its review pack is frozen under
    governance/packs/<proposal>/ (Markdown for people, JSON for tools).

    With `revises`, a proposal not yet voted on is put again after its artefacts' texts were
    revised: the same artefacts, still `proposed`, with packs frozen anew under the new id; the
    earlier proposal and its packs stay as they were shown, and only the new one can be voted on."""
    from perseus.review.pack import review

    path = root / "governance/proposals" / f"{proposal_id}.yaml"
    if path.exists():
        raise StepRefused(f"{path.relative_to(root)}: a proposal with this id exists; proposals are never rewritten")
    _, entries = _register(root)
    if revises:
        _check_revisable(root, revises, refs)
    members = read_yaml(root / "governance/members.yaml")
    if group not in {g["id"] for g in members["groups"]}:
        raise StepRefused(f"governance/members.yaml: no group {group!r} (rule: tally)")
    packs = []
    stale = stale_generated_files(root, refs)
    if stale:
        raise StepRefused(
            f"{', '.join(stale)}: not what `perseus generate` writes now; run it before proposing, "
            "so that the vote pins current files (rule: pins-hold)"
        )
    for ref in refs:
        entry = _entry(entries, ref)
        if entry["status"] != ("proposed" if revises else "draft"):
            raise StepRefused(
                f"governance/{REGISTER_FILE}: {ref} is {entry['status']}; only a draft is proposed (rule: lifecycle)"
            )
        pack = review(entry.get("compared_with"), ref, root, lineage=True)
        folder = root / "governance/packs" / proposal_id
        folder.mkdir(parents=True, exist_ok=True)
        for suffix, text in ((".md", pack.markdown()), (".json", pack.json())):
            target = folder / f"{pack.name}{suffix}"
            target.write_text(text)
            packs.append({"path": str(target.relative_to(root)), "sha256": sha256_of(target)})
        entry["status"], entry["proposed"] = "proposed", entry.get("proposed") or day
    record = {
        "id": proposal_id,
        "date": day,
        "group": group,
        "motion": motion,
        "proposed_by": proposed_by,
        "artefacts": refs,
        "revises": revises,
        "review_packs": packs,
    }
    if not revises:
        del record["revises"]
    write_record(path, HEADERS["proposal"], record)
    _save_register(root, entries)
    return record


def revised_by(root: Path, proposal_id: str) -> str | None:
    """The proposal that revises `proposal_id`, if one does."""
    for path in sorted((root / "governance/proposals").glob("*.yaml")):
        if (read_yaml(path) or {}).get("revises") == proposal_id:
            return path.stem
    return None


def _check_revisable(root: Path, proposal_id: str, refs: list[str]) -> None:
    path = root / "governance/proposals" / f"{proposal_id}.yaml"
    if not path.is_file():
        raise StepRefused(f"{path.relative_to(root)}: no such proposal to revise (rule: packs)")
    earlier = read_yaml(path)
    if sorted(earlier["artefacts"]) != sorted(refs):
        raise StepRefused(
            f"{path.relative_to(root)}: a revision puts the same artefacts again ({', '.join(earlier['artefacts'])}); "
            "propose other artefacts separately (rule: packs)"
        )
    later = revised_by(root, proposal_id)
    if later:
        raise StepRefused(f"{path.relative_to(root)}: already revised by {later}; revise that one (rule: packs)")
    for decision in sorted((root / "governance/decisions").glob("*.yaml")):
        if (read_yaml(decision) or {}).get("proposal") == proposal_id:
            raise StepRefused(
                f"{path.relative_to(root)}: voted on in {decision.stem}; a proposal is revised only before its vote "
                "(rule: packs)"
            )


def record_vote(
    root: Path,
    proposal_id: str,
    day: str,
    meeting: str,
    tally: dict | None = None,
    votes: list[dict] | None = None,
    decision_id: str | None = None,
    chair: str | None = None,
    minutes: str | None = None,
    note: str | None = None,
) -> dict:
    """Record the group's vote on a proposal. The outcome is worked out from the tally and the
    member register, never typed; a carried motion approves the artefacts and pins every file."""
    proposal = read_yaml(root / "governance/proposals" / f"{proposal_id}.yaml")
    later = revised_by(root, proposal_id)
    if later:
        raise StepRefused(
            f"governance/proposals/{proposal_id}.yaml: revised by {later}; the vote is on that proposal (rule: packs)"
        )
    decision_id = decision_id or proposal_id
    path = root / "governance/decisions" / f"{decision_id}.yaml"
    if path.exists():
        raise StepRefused(
            f"{path.relative_to(root)}: a decision with this id exists; decisions are never rewritten, "
            "correct one with `perseus governance erratum`"
        )
    members = read_yaml(root / "governance/members.yaml")
    group = next(g for g in members["groups"] if g["id"] == proposal["group"])
    electorate = voting_members(members.get("members") or [], group["id"], day)
    if votes:
        known = {m["id"] for m in electorate}
        strangers = sorted({v["member"] for v in votes} - known)
        if strangers:
            raise StepRefused(
                f"governance/members.yaml: {', '.join(strangers)} not voting member(s) of {group['id']} on {day} (rule: tally)"
            )
        tally = tally_of_votes(votes)
    if tally is None:
        raise StepRefused(
            "a vote is recorded with its tally (--for/--against/--abstain) or each member's vote (--vote) (rule: tally)"
        )
    result = count(tally, len(electorate), group["quorum"])
    if result.cast > result.electorate:
        raise StepRefused(
            f"{result.cast} votes, but {group['id']} had {result.electorate} voting member(s) on {day} (rule: tally)"
        )
    outcome = result.outcome()
    _, entries = _register(root)
    held = held_artefacts(root)
    artefacts = []
    for ref in proposal["artefacts"]:
        entry = _entry(entries, ref)
        artefacts.append(
            {
                "artefact": ref,
                "kind": held[ref],
                "effect": "approve",
                "pinned_on": day,
                "files": pin(artefact_files(held[ref], ref, root), root),
            }
        )
    for ref in proposal["artefacts"]:
        baseline = _entry(entries, ref).get("compared_with")
        if baseline and baseline not in {a["artefact"] for a in artefacts}:
            artefacts.append(
                {
                    "artefact": baseline,
                    "kind": held[baseline],
                    "effect": "baseline",
                    "pinned_on": day,
                    "files": pin(artefact_files(held[baseline], baseline, root), root),
                    "note": f"The version {ref}'s review pack compares against.",
                }
            )
    record = {
        "id": decision_id,
        "meeting": meeting,
        "date": day,
        "group": group["id"],
        "basis": "vote",
        "proposal": proposal_id,
        "chair": chair,
        "motion": proposal["motion"],
        "outcome": outcome,
        "tally": tally,
        "votes": votes or None,
        "minutes": minutes,
        "artefacts": artefacts,
        "review_packs": proposal["review_packs"],
        "note": note,
    }
    write_record(path, HEADERS["decision"], {k: v for k, v in record.items() if v is not None})
    for ref in proposal["artefacts"]:
        entry = _entry(entries, ref)
        if outcome == "approved":
            entry["status"], entry["approved"], entry["decision"] = "approved", day, decision_id
        elif outcome == "rejected":
            entry["status"] = "draft"
            entry.pop("proposed", None)
            entry["note"] = f"Proposal {proposal_id} was rejected on {day} (decision {decision_id})."
    _save_register(root, entries)
    return record


def _manifest_path(root: Path, decision_id: str) -> Path:
    return root / "governance/manifests" / f"{decision_id}.json"


def publish(root: Path, decision_id: str, day: str, key=None, cert=None) -> dict:
    """Write the decision's manifest (a new edition when one exists), signed when key and
    certificate are given; otherwise `perseus governance sign` signs it."""
    from perseus.governance.records import load

    records = load(root)
    decision = records.decisions.get(decision_id)
    if decision is None:
        raise StepRefused(f"governance/decisions/{decision_id}.yaml: no such decision (rule: signed-manifest)")
    if decision["outcome"] != "approved":
        raise StepRefused(
            f"decision {decision_id}: the outcome is {decision['outcome']}; only a carried decision is published"
        )
    path = _manifest_path(root, decision_id)
    edition = json.loads(path.read_text())["manifest"]["edition"] + 1 if path.exists() else 1
    manifest = manifests.build(records, decision, edition, day)
    _write_manifest(path, manifest, manifests.sign(manifest, key, cert) if key and cert else None)
    return manifest


def sign(root: Path, decision_id: str, key, cert) -> dict:
    path = _manifest_path(root, decision_id)
    if not path.exists():
        raise StepRefused(
            f"{path.relative_to(root)}: not published yet; run `perseus governance publish {decision_id}`"
        )
    manifest = json.loads(path.read_text())["manifest"]
    _write_manifest(path, manifest, manifests.sign(manifest, key, cert))
    return manifest


def _write_manifest(path: Path, manifest: dict, signature: dict | None) -> None:
    body = {"manifest": manifest} | ({"signature": signature} if signature else {})
    write_atomically(path, dump_json(body))


def erratum(
    root: Path,
    erratum_id: str,
    decision_id: str,
    day: str,
    decided_by: str,
    reason: str,
    repin: Sequence[str] = (),
    withdraws: Sequence[str] = (),
) -> dict:
    """Record a correction: each path in `repin` moves from the hash in force to its bytes now;
    each artefact in `withdraws` leaves the approved set. Publish the decision again afterwards."""
    from perseus.governance.records import load

    path = root / "governance/errata" / f"{erratum_id}.yaml"
    if path.exists():
        raise StepRefused(f"{path.relative_to(root)}: an erratum with this id exists")
    records = load(root)
    decision = records.decisions.get(decision_id)
    if decision is None:
        raise StepRefused(f"governance/decisions/{decision_id}.yaml: no such decision (rule: errata)")
    in_force = manifests.effective_pins(decision, records.errata_for(decision_id))
    changes = []
    for rel in repin:
        keys = [k for k in in_force if k[1] == rel]
        if not keys:
            raise StepRefused(f"{rel}: decision {decision_id} pins no such file (rule: errata)")
        for artefact, _ in keys:
            new = sha256_of(root / rel)
            if new == in_force[(artefact, rel)]:
                raise StepRefused(f"{rel}: its bytes are the ones pinned; there is nothing to correct (rule: errata)")
            changes.append(
                {"artefact": artefact, "path": rel, "old_sha256": in_force[(artefact, rel)], "new_sha256": new}
            )
    record = {
        "id": erratum_id,
        "date": day,
        "decision": decision_id,
        "decided_by": decided_by,
        "reason": reason,
        "pins": changes or None,
        "withdraws": list(withdraws) or None,
    }
    write_record(path, HEADERS["erratum"], {k: v for k, v in record.items() if v is not None})
    if withdraws:
        _, entries = _register(root)
        for ref in withdraws:
            entry = _entry(entries, ref)
            entry["status"], entry["withdrawn"], entry["withdrawn_by"] = "withdrawn", day, erratum_id
        _save_register(root, entries)
    return record


def set_stage(
    root: Path,
    ref: str,
    stage: str,
    day: str,
    *,
    by: str | None = None,
    superseded_by: str | None = None,
    sunset: str | None = None,
) -> dict:
    """deploy, supersede, withdraw or deprecate one artefact in the register."""
    _, entries = _register(root)
    entry = _entry(entries, ref)
    if stage == "deprecated":
        entry["deprecated"], entry["sunset"] = day, sunset
    else:
        entry["status"], entry[stage] = stage, day
        if stage == "superseded":
            entry["superseded_by"] = superseded_by
        if stage == "withdrawn" and by:
            entry["withdrawn_by"] = by
    _save_register(root, entries)
    return entry


def member_add(root: Path, member: dict) -> dict:
    path = root / "governance/members.yaml"
    register = read_yaml(path)
    if member["group"] not in {g["id"] for g in register["groups"]}:
        raise StepRefused(f"governance/members.yaml: no group {member['group']!r}")
    if any(m["id"] == member["id"] for m in register.get("members") or []):
        raise StepRefused(f"governance/members.yaml: member {member['id']!r} exists")
    register["members"] = [*(register.get("members") or []), {k: v for k, v in member.items() if v is not None}]
    write_record(path, HEADERS["members"], register)
    return member
