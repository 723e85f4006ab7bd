"""The rules every governance record must hold (`perseus governance check`).

Each rule has the name governance/PROCESS.md gives it, and each problem names the file,
the decision and the artefact it concerns. The rules:

- model: every record is a valid instance of its class in spec/governance.yaml.
- one-entry: the register has exactly one entry per artefact held, and nothing else.
- one-status: no file other than the register states a status.
- lifecycle: the status is the latest stage the entry has a date for, the dates run in
  lifecycle order, and deprecation and sunset dates only follow an approval.
- approval-needs-decision: an artefact approved, deployed or superseded (or withdrawn
  after approval) names a carried decision that approves it, dated the day of approval.
- one-outcome: an artefact is approved by one decision only, and named once in it.
- withdrawal: an approved artefact is withdrawn only by a decision or an erratum naming it.
- supersession: a superseded artefact names an approved later version of its kind.
- tally: a voted decision's tally, named votes, quorum and outcome agree with the member
  register; a transcribed decision predates the register; a registry publication cites it.
- pins-complete: a decision pins every file of every artefact it names.
- pins-hold: every pinned file still has the bytes pinned (after the errata).
- errata: an erratum changes a pin from the hash in force to a new one, or withdraws an
  artefact its decision approved.
- packs: every frozen review pack a proposal or decision names exists unchanged; a
  proposal that revises another puts the same artefacts again, and the vote is on the
  latest revision only.
- signed-manifest: every carried decision has a manifest signed by the secretariat that
  lists exactly the files and hashes in force; a pin changes only by an erratum, published.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from perseus.governance import manifest as manifests
from perseus.governance.pins import artefact_files, held_artefacts, sha256_of
from perseus.governance.records import Problem, Records, load
from perseus.governance.register import LIFECYCLE
from perseus.governance.tally import count, tally_of_votes, voting_members
from perseus.paths import ROOT
from perseus.yaml_loading import safe_load

REGISTER = "governance/register.yaml"
APPROVED_ONCE = ("approved", "deployed", "superseded")


def check(root: Path = ROOT) -> list[Problem]:
    """Every problem in the records under `root`; raises `Unreadable` when they cannot be read."""
    records = load(root)
    problems = list(records.problems)
    for rule in (
        _one_entry,
        _one_status,
        _lifecycle,
        _approvals,
        _one_outcome,
        _withdrawals,
        _supersessions,
        _tallies,
        _pins_complete,
        _pins_hold,
        _errata,
        _packs,
        _signed_manifests,
    ):
        problems += rule(records)
    return problems


def _decision_file(decision_id: str) -> str:
    return f"governance/decisions/{decision_id}.yaml"


def _one_entry(records: Records) -> list[Problem]:
    out, seen = [], set()
    for entry in records.register:
        if entry["artefact"] in seen:
            out.append(Problem("one-entry", REGISTER, "has a second entry", artefact=entry["artefact"]))
        seen.add(entry["artefact"])
    held = held_artefacts(records.root)
    entries = records.entries
    for ref, kind in held.items():
        if ref not in entries:
            out.append(
                Problem("one-entry", REGISTER, f"the {kind} is held in the repository but has no entry", artefact=ref)
            )
        elif entries[ref]["kind"] != kind:
            out.append(
                Problem("one-entry", REGISTER, f"entered as a {entries[ref]['kind']}, held as a {kind}", artefact=ref)
            )
    for ref in entries.keys() - held.keys():
        out.append(Problem("one-entry", REGISTER, "has an entry but no such artefact is held", artefact=ref))
    return out


def _one_status(records: Records) -> list[Problem]:
    """Status lives in the register only: a methodology, text or release file stating one is refused."""
    out = []
    for folder in ("methodologies", "permission-texts"):
        for path in sorted((records.root / folder).glob("*@*.yaml")):
            document = safe_load(path.read_text()) or {}
            if "status" in document:
                registered = records.entries.get(path.stem, {}).get("status", "no entry")
                out.append(
                    Problem(
                        "one-status",
                        records.rel(path),
                        f"states status {document['status']!r}; status is kept in {REGISTER} only "
                        f"(which says {registered!r}): remove it",
                        artefact=path.stem,
                    )
                )
    for release in records.releases:
        if "status" in release:
            out.append(
                Problem(
                    "one-status",
                    "governance/releases.yaml",
                    f"states a status; it belongs in {REGISTER}",
                    artefact=f"{release['label']}@{release['version']}",
                )
            )
    return out


def _lifecycle(records: Records) -> list[Problem]:
    out = []
    for entry in records.register:
        ref, status = entry["artefact"], entry["status"]

        def problem(message: str, entry=entry, ref=ref) -> None:
            out.append(Problem("lifecycle", REGISTER, message, decision=entry.get("decision"), artefact=ref))

        dated = [stage for stage in LIFECYCLE[1:] if entry.get(stage)]
        reached = dated[-1] if dated else "draft"
        if status != reached:
            problem(
                f"status is {status}, but the latest stage with a date is {reached}"
                + (f" ({entry[reached]})" if reached != "draft" else "")
                + "; date every stage the artefact reached"
            )
        days = [(stage, entry[stage]) for stage in ("drafted", *LIFECYCLE[1:]) if entry.get(stage)]
        for (a, day_a), (b, day_b) in pairwise(days):
            if day_b < day_a:
                problem(f"{b} on {day_b} is before {a} on {day_a}")
        if status in ("deployed", "superseded") and not entry.get("approved"):
            problem(f"{status} without an approval date: an artefact is approved before it is used")
        if entry.get("superseded") and entry.get("withdrawn"):
            problem("both superseded and withdrawn: an artefact ends one way")
        if (entry.get("deprecated") or entry.get("sunset")) and not entry.get("approved"):
            problem("has a deprecation or sunset date but was never approved")
        if entry.get("deprecated") and entry.get("sunset") and entry["sunset"] < entry["deprecated"]:
            problem(f"sunset {entry['sunset']} is before its deprecation {entry['deprecated']}")
        if entry.get("sunset") and not entry.get("deprecated"):
            problem("has a sunset date but no deprecation date: users are told before it ends")
        if entry.get("decision") and not entry.get("approved"):
            problem(f"names decision {entry['decision']} but has no approval date")
    return out


def _approves(decision: dict, ref: str) -> bool:
    return any(a["artefact"] == ref and a["effect"] == "approve" for a in decision["artefacts"])


def _approvals(records: Records) -> list[Problem]:
    out = []
    for entry in records.register:
        ref = entry["artefact"]
        if not entry.get("approved"):
            continue
        decision_id = entry.get("decision")
        if not decision_id:
            out.append(
                Problem(
                    "approval-needs-decision",
                    REGISTER,
                    f"{entry['status']} with no decision: approval needs a carried decision naming it",
                    artefact=ref,
                )
            )
            continue
        decision = records.decisions.get(decision_id)
        if decision is None:
            out.append(
                Problem(
                    "approval-needs-decision",
                    REGISTER,
                    "names a decision that has no record",
                    decision=decision_id,
                    artefact=ref,
                )
            )
        elif decision["outcome"] != "approved":
            out.append(
                Problem(
                    "approval-needs-decision",
                    REGISTER,
                    f"the decision's outcome is {decision['outcome']}, not approved",
                    decision=decision_id,
                    artefact=ref,
                )
            )
        elif not _approves(decision, ref):
            out.append(
                Problem(
                    "approval-needs-decision",
                    REGISTER,
                    "the decision does not name it as approved",
                    decision=decision_id,
                    artefact=ref,
                )
            )
        elif decision["date"] != entry["approved"]:
            out.append(
                Problem(
                    "approval-needs-decision",
                    REGISTER,
                    f"approved on {entry['approved']}, but the decision was taken on {decision['date']}",
                    decision=decision_id,
                    artefact=ref,
                )
            )
    return out


def _one_outcome(records: Records) -> list[Problem]:
    out: list[Problem] = []
    approved_by: dict[str, str] = {}
    held = held_artefacts(records.root)
    for decision in records.decisions.values():
        where = _decision_file(decision["id"])
        names = [a["artefact"] for a in decision["artefacts"]]
        for ref in {n for n in names if names.count(n) > 1}:
            out.append(Problem("one-outcome", where, "is named more than once", decision=decision["id"], artefact=ref))
        for artefact in decision["artefacts"]:
            ref = artefact["artefact"]
            if decision["outcome"] == "approved" and artefact["effect"] == "approve":
                if ref in approved_by:
                    out.append(
                        Problem(
                            "one-outcome",
                            where,
                            f"already approved by decision {approved_by[ref]}",
                            decision=decision["id"],
                            artefact=ref,
                        )
                    )
                approved_by.setdefault(ref, decision["id"])
                entry = records.entries.get(ref)
                if entry is not None and entry.get("decision") != decision["id"]:
                    out.append(
                        Problem(
                            "one-outcome",
                            where,
                            f"approved here, but the register names decision {entry.get('decision') or 'none'}",
                            decision=decision["id"],
                            artefact=ref,
                        )
                    )
            held_kind = held.get(ref)
            if held_kind and held_kind != artefact["kind"]:
                out.append(
                    Problem(
                        "one-outcome",
                        where,
                        f"named as a {artefact['kind']}, held as a {held_kind}",
                        decision=decision["id"],
                        artefact=ref,
                    )
                )
    return out


def _withdrawals(records: Records) -> list[Problem]:
    out = []
    for entry in records.register:
        ref = entry["artefact"]
        if entry["status"] != "withdrawn":
            if entry.get("withdrawn_by"):
                out.append(
                    Problem(
                        "withdrawal", REGISTER, f"names withdrawn_by but its status is {entry['status']}", artefact=ref
                    )
                )
            continue
        if not entry.get("approved"):
            continue  # never approved: the secretariat may withdraw a draft or a proposal
        by = entry.get("withdrawn_by")
        decision, erratum = records.decisions.get(by or ""), records.errata.get(by or "")
        if decision is not None:
            ok = decision["outcome"] == "approved" and any(
                a["artefact"] == ref and a["effect"] == "withdraw" for a in decision["artefacts"]
            )
        elif erratum is not None:
            ok = ref in (erratum.get("withdraws") or []) and erratum["decision"] == entry.get("decision")
        else:
            ok = False
        if not ok:
            out.append(
                Problem(
                    "withdrawal",
                    REGISTER,
                    f"withdrawn after approval, but {by or 'nothing'} is not a carried decision or an erratum that withdraws it",
                    decision=entry.get("decision"),
                    artefact=ref,
                )
            )
    return out


def _version(ref: str) -> str:
    return ref.split("@", 1)[1]


def _supersessions(records: Records) -> list[Problem]:
    out, entries = [], records.entries
    for entry in records.register:
        ref, successor = entry["artefact"], entry.get("superseded_by")
        if entry["status"] != "superseded":
            if successor:
                out.append(
                    Problem(
                        "supersession",
                        REGISTER,
                        f"names superseded_by but its status is {entry['status']}",
                        artefact=ref,
                    )
                )
            continue
        later = entries.get(successor or "")
        if (
            later is None
            or later["status"] not in ("approved", "deployed", "superseded")
            or later["kind"] != entry["kind"]
        ):
            out.append(
                Problem(
                    "supersession",
                    REGISTER,
                    f"superseded, but superseded_by {successor or '(none)'} is no approved {entry['kind']}",
                    artefact=ref,
                )
            )
        elif _version(later["artefact"]) <= _version(ref):
            out.append(
                Problem(
                    "supersession", REGISTER, f"superseded by {successor}, which is not a later version", artefact=ref
                )
            )
    return out


def _tallies(records: Records) -> list[Problem]:
    out = []
    for decision in records.decisions.values():
        where, did = _decision_file(decision["id"]), decision["id"]
        group = records.groups.get(decision["group"])
        if group is None:
            out.append(
                Problem("tally", where, f"group {decision['group']!r} is not in governance/members.yaml", decision=did)
            )
            continue
        tally, votes, basis = decision.get("tally"), decision.get("votes") or [], decision["basis"]
        if basis == "registry-publication":
            if not decision.get("sources"):
                out.append(
                    Problem(
                        "tally", where, "a registry publication names the registry's files in `sources`", decision=did
                    )
                )
            if tally or votes:
                out.append(
                    Problem("tally", where, "a registry publication has no tally: nobody voted here", decision=did)
                )
            continue
        if basis == "transcribed" and decision["date"] >= group["records_from"]:
            out.append(
                Problem(
                    "tally",
                    where,
                    f"transcribed, but the member register of {group['id']} began on {group['records_from']}: "
                    "record the vote (basis `vote`) with its tally",
                    decision=did,
                )
            )
        if basis == "vote" and not tally:
            out.append(Problem("tally", where, "a recorded vote needs its tally", decision=did))
        if not tally:
            continue
        if votes:
            counted = tally_of_votes(votes)
            if counted != {k: tally[k] for k in counted}:
                out.append(
                    Problem("tally", where, f"the named votes add up to {counted}, not the tally {tally}", decision=did)
                )
            names = [v["member"] for v in votes]
            for member in sorted({n for n in names if names.count(n) > 1}):
                out.append(Problem("tally", where, f"member {member} voted more than once", decision=did))
        electorate = voting_members(records.members, group["id"], decision["date"])
        ids = {m["id"] for m in electorate}
        for vote in votes:
            if vote["member"] not in ids:
                out.append(
                    Problem(
                        "tally",
                        where,
                        f"member {vote['member']} was not a voting member of {group['id']} on {decision['date']}",
                        decision=did,
                    )
                )
        result = count(tally, len(electorate), group["quorum"])
        if result.cast > result.electorate:
            out.append(
                Problem(
                    "tally",
                    where,
                    f"{result.cast} votes cast, but {group['id']} had {result.electorate} voting member(s) on "
                    f"{decision['date']} (governance/members.yaml)",
                    decision=did,
                )
            )
        if decision["outcome"] == "approved" and not result.carried:
            out.append(
                Problem(
                    "tally",
                    where,
                    f"recorded as approved, but {result.in_favour} for and {result.against} against defeats the motion",
                    decision=did,
                )
            )
        elif decision["outcome"] == "rejected" and result.carried:
            out.append(
                Problem(
                    "tally",
                    where,
                    f"recorded as rejected, but {result.in_favour} for and {result.against} against carries it",
                    decision=did,
                )
            )
        if decision["outcome"] in ("approved", "rejected") and not result.quorate:
            out.append(Problem("tally", where, f"no quorum: {result.words()}", decision=did))
    return out


def _pins_complete(records: Records) -> list[Problem]:
    out = []
    for decision in records.decisions.values():
        where = _decision_file(decision["id"])
        for artefact in decision["artefacts"]:
            pinned = {f["path"] for f in artefact["files"]}
            for rel in artefact_files(artefact["kind"], artefact["artefact"], records.root):
                if rel not in pinned:
                    held = records.root / rel
                    hint = (
                        f" (sha256 {sha256_of(held)} if that is the version the vote covered)" if held.is_file() else ""
                    )
                    out.append(
                        Problem(
                            "pins-complete",
                            where,
                            f"does not pin {rel}{hint}",
                            decision=decision["id"],
                            artefact=artefact["artefact"],
                        )
                    )
    return out


def _pins_hold(records: Records) -> list[Problem]:
    out = []
    for decision in records.decisions.values():
        errata = records.errata_for(decision["id"])
        for (ref, rel), sha in manifests.effective_pins(decision, errata).items():
            path = records.root / rel
            setters = [
                e["id"] for e in errata if any((c["artefact"], c["path"]) == (ref, rel) for c in e.get("pins") or [])
            ]
            by = f" (pinned by erratum {setters[-1]})" if setters else ""  # the last erratum that moved this pin
            if not path.is_file():
                out.append(
                    Problem(
                        "pins-hold",
                        rel,
                        f"is pinned for {ref} but missing{by}; approved files never go away",
                        decision=decision["id"],
                        artefact=ref,
                    )
                )
            elif (actual := sha256_of(path)) != sha:
                out.append(
                    Problem(
                        "pins-hold",
                        rel,
                        f"changed since it was pinned for {ref}{by}: pinned sha256 {sha}, now {actual}; "
                        "approved bytes never change: make a new version, or record an erratum",
                        decision=decision["id"],
                        artefact=ref,
                    )
                )
    return out


def _errata(records: Records) -> list[Problem]:
    out = []
    for erratum in sorted(records.errata.values(), key=lambda e: (e["date"], e["id"])):
        where, did = f"governance/errata/{erratum['id']}.yaml", erratum["decision"]
        decision = records.decisions.get(did)
        if decision is None:
            out.append(Problem("errata", where, "corrects a decision that has no record", decision=did))
            continue
        if erratum["date"] < decision["date"]:
            out.append(
                Problem("errata", where, f"dated {erratum['date']}, before the decision it corrects", decision=did)
            )
        if not erratum.get("pins") and not erratum.get("withdraws"):
            out.append(Problem("errata", where, "changes no pin and withdraws nothing", decision=did))
        earlier = [e for e in records.errata_for(did) if (e["date"], e["id"]) < (erratum["date"], erratum["id"])]
        in_force = manifests.effective_pins(decision, earlier)
        for change in erratum.get("pins") or []:
            key = (change["artefact"], change["path"])
            if key not in in_force:
                out.append(
                    Problem(
                        "errata",
                        where,
                        f"changes {change['path']}, which the decision does not pin for {change['artefact']}",
                        decision=did,
                        artefact=change["artefact"],
                    )
                )
            elif in_force[key] != change["old_sha256"]:
                out.append(
                    Problem(
                        "errata",
                        where,
                        f"changes {change['path']} from {change['old_sha256']}, but the hash in force is {in_force[key]}",
                        decision=did,
                        artefact=change["artefact"],
                    )
                )
        for ref in erratum.get("withdraws") or []:
            if not _approves(decision, ref):
                out.append(
                    Problem(
                        "errata",
                        where,
                        "withdraws an artefact the decision did not approve",
                        decision=did,
                        artefact=ref,
                    )
                )
    return out


def _packs(records: Records) -> list[Problem]:
    out = []
    for proposal in records.proposals.values():
        where = f"governance/proposals/{proposal['id']}.yaml"
        for pinned in proposal["review_packs"]:
            path = records.root / pinned["path"]
            if not path.is_file():
                out.append(
                    Problem("packs", where, f"frozen review pack {pinned['path']} is missing; packs are never deleted")
                )
            elif sha256_of(path) != pinned["sha256"]:
                out.append(
                    Problem(
                        "packs",
                        where,
                        f"frozen review pack {pinned['path']} was changed; packs shown are never regenerated",
                    )
                )
        for ref in proposal["artefacts"]:
            entry = records.entries.get(ref)
            if entry is None or not entry.get("proposed"):
                out.append(Problem("packs", where, "proposed, but the register gives no proposal date", artefact=ref))
        earlier = records.proposals.get(proposal.get("revises") or "")
        if proposal.get("revises") and earlier is None:
            out.append(Problem("packs", where, f"revises proposal {proposal['revises']}, which has no record"))
        elif earlier is not None and sorted(earlier["artefacts"]) != sorted(proposal["artefacts"]):
            out.append(Problem("packs", where, f"revises {earlier['id']} but does not put the same artefacts"))
    revised = {p["revises"]: p["id"] for p in records.proposals.values() if p.get("revises")}
    for decision in records.decisions.values():
        if not decision.get("proposal"):
            continue
        named = records.proposals.get(decision["proposal"])
        where = _decision_file(decision["id"])
        if named is None:
            out.append(
                Problem(
                    "packs",
                    where,
                    f"names proposal {decision['proposal']}, which has no record",
                    decision=decision["id"],
                )
            )
            continue
        if decision["proposal"] in revised:
            out.append(
                Problem(
                    "packs",
                    where,
                    f"names proposal {decision['proposal']}, which {revised[decision['proposal']]} revised "
                    "before the vote; the vote is on the revision",
                    decision=decision["id"],
                )
            )
        shown = {(p["path"], p["sha256"]) for p in decision.get("review_packs") or []}
        for pinned in named["review_packs"]:
            if (pinned["path"], pinned["sha256"]) not in shown:
                out.append(
                    Problem(
                        "packs",
                        where,
                        f"does not pin the review pack {pinned['path']} its proposal froze",
                        decision=decision["id"],
                    )
                )
        for ref in named["artefacts"]:
            if ref not in {a["artefact"] for a in decision["artefacts"]}:
                out.append(
                    Problem(
                        "packs",
                        where,
                        "proposed, but the decision does not name it",
                        decision=decision["id"],
                        artefact=ref,
                    )
                )
    return out


def trust_anchors(root: Path) -> bytes:
    return (root / manifests.TRUST_ANCHORS).read_bytes()


def _signed_manifests(records: Records) -> list[Problem]:
    out = []
    anchors_path = records.root / manifests.TRUST_ANCHORS
    anchors = anchors_path.read_bytes() if anchors_path.is_file() else b""
    for decision in records.decisions.values():
        did = decision["id"]
        where = f"governance/manifests/{did}.json"
        if decision["outcome"] != "approved":
            continue
        stored = records.manifests.get(did)
        if stored is None:
            out.append(
                Problem(
                    "signed-manifest",
                    where,
                    "the carried decision has no signed manifest: run `perseus governance publish`",
                    decision=did,
                )
            )
            continue
        manifest, signature = stored["manifest"], stored.get("signature")
        if signature is None:
            out.append(
                Problem(
                    "signed-manifest", where, "the manifest is not signed: run `perseus governance sign`", decision=did
                )
            )
        else:
            try:
                manifests.verify(manifest, signature, anchors)
            except (manifests.SignatureProblem, ValueError) as exc:
                out.append(Problem("signed-manifest", where, str(exc), decision=did))
        expected = {f["path"]: f["sha256"] for f in manifests.expected_files(records, decision)}
        listed = {f["path"]: f["sha256"] for f in manifest["files"]}
        for rel in sorted(expected.keys() | listed.keys()):
            if rel not in listed:
                out.append(
                    Problem(
                        "signed-manifest",
                        where,
                        f"{rel} is pinned but not in the signed manifest: publish it",
                        decision=did,
                    )
                )
            elif rel not in expected:
                out.append(
                    Problem(
                        "signed-manifest", where, f"{rel} is in the signed manifest but no longer pinned", decision=did
                    )
                )
            elif listed[rel] != expected[rel]:
                what = "the decision record" if rel.startswith("governance/decisions/") else rel
                out.append(
                    Problem(
                        "signed-manifest",
                        where,
                        f"{what} has sha256 {expected[rel]} in force, but the signed manifest holds {listed[rel]}: "
                        "a pin changes only by an erratum, published and signed",
                        decision=did,
                    )
                )
        wanted_errata = [e["id"] for e in records.errata_for(did)]
        if manifest.get("errata", []) != wanted_errata:
            out.append(
                Problem(
                    "signed-manifest",
                    where,
                    f"applies errata {manifest.get('errata', [])}, not {wanted_errata}: publish again",
                    decision=did,
                )
            )
    for did in records.manifests.keys() - records.decisions.keys():
        out.append(
            Problem(
                "signed-manifest",
                f"governance/manifests/{did}.json",
                "is the manifest of a decision that has no record",
            )
        )
    return out
