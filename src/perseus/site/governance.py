"""Governance pages: the process, the one register of status, every decision with its tally,
pins and frozen review packs, the errata, the member register and the changelog."""

from __future__ import annotations

from perseus.governance.changelog import changelog
from perseus.governance.manifest import effective_pins
from perseus.governance.records import load
from perseus.paths import GOVERNANCE, ROOT
from perseus.site.markdown import cell, table

DATES = ("proposed", "approved", "deployed", "superseded", "withdrawn")


def _link(decision_id: str | None, up: str = "") -> str:
    return f"[{decision_id}]({up}decisions/{decision_id}.md)" if decision_id else "–"


def _tally(decision: dict) -> str:
    tally = decision.get("tally")
    if not tally:
        return {"transcribed": "not recorded (transcribed from a public account that gives none)",
                "registry-publication": "none: a registry publication, not a vote here"}.get(decision["basis"], "not recorded")
    return f"{tally['in_favour']} for, {tally['against']} against, {tally['abstentions']} abstaining"


def _decision_page(records, decision: dict) -> str:
    errata = records.errata_for(decision["id"])
    in_force = effective_pins(decision, errata)
    rows = [["meeting", decision["meeting"]], ["date", decision["date"]], ["group", decision["group"]],
            ["basis", decision["basis"]], ["chair", decision.get("chair") or "not recorded"],
            ["outcome", decision["outcome"]], ["tally", _tally(decision)]]
    if decision.get("votes"):
        rows.append(["votes", ", ".join(f"{v['member']}: {v['vote']}" for v in decision["votes"])])
    if decision.get("minutes"):
        rows.append(["minutes", decision["minutes"]])
    for source in decision.get("sources") or []:
        rows.append(["source", source])
    out = [f"# {decision['motion']}\n", table(["", ""], rows)]
    if decision.get("note"):
        out.append(f"{cell(decision['note'])}\n")
    out.append("## Artefacts and pins\n\nEvery file the decision covered, pinned by its SHA-256. `perseus governance check` "
               "fails if one changes; a pin changes only by an erratum, shown below.\n")
    pin_rows = []
    for artefact in decision["artefacts"]:
        for pinned in artefact["files"]:
            now = in_force[(artefact["artefact"], pinned["path"])]
            pin_rows.append([artefact["artefact"], artefact["effect"], f"`{pinned['path']}`", f"`{pinned['sha256'][:16]}…`",
                             "same" if now == pinned["sha256"] else f"`{now[:16]}…` (erratum)",
                             pinned.get("pinned_on") or artefact["pinned_on"]])
    out.append(table(["artefact", "effect", "file", "SHA-256 pinned", "in force", "pinned on"], pin_rows))
    if decision.get("review_packs"):
        packs = [p for p in decision["review_packs"] if p["path"].endswith(".md")]
        out.append("## Review packs shown\n\n" + "\n".join(
            f"- [{p['path'].rsplit('/', 1)[1].removesuffix('.md').replace('..', ' → ')}]"
            f"(../packs/{decision['id']}/{p['path'].rsplit('/', 1)[1]}) `{p['sha256'][:16]}…`" for p in packs) + "\n")
    if errata:
        out.append("## Errata\n\n" + "\n".join(f"- [{e['id']}](../errata.md#{e['id']}): {cell(e['reason'])}" for e in errata) + "\n")
    return "\n".join(out)


def _errata_page(records) -> str:
    out = ["# Errata\n", "The only way a pinned hash changes, or an approval recorded in error is taken back, "
           "without a new vote: each erratum says what changed, why, and who decided.\n"]
    for erratum in sorted(records.errata.values(), key=lambda e: (e["date"], e["id"])):
        out.append(f"## {erratum['id']}\n")
        out.append(table(["", ""], [["date", erratum["date"]], ["decision", _link(erratum["decision"])],
                                    ["decided by", erratum["decided_by"]], ["reason", erratum["reason"]]]))
        if erratum.get("pins"):
            out.append(table(["artefact", "file", "old SHA-256", "new SHA-256"],
                             [[c["artefact"], f"`{c['path']}`", f"`{c['old_sha256']}`", f"`{c['new_sha256']}`"]
                              for c in erratum["pins"]]))
        if erratum.get("withdraws"):
            out.append("Withdraws: " + ", ".join(f"`{r}`" for r in erratum["withdraws"]) + ".\n")
    return "\n".join(out)


def _index(records) -> str:
    register_rows = []
    for entry in sorted(records.register, key=lambda e: (e["kind"], e["artefact"])):
        later = []
        if entry.get("deprecated"):
            later.append(f"deprecated {entry['deprecated']}, sunset {entry.get('sunset')}")
        if entry.get("superseded_by"):
            later.append(f"by {entry['superseded_by']}")
        if entry.get("withdrawn_by"):
            later.append(f"by {entry['withdrawn_by']}")
        register_rows.append([f"`{entry['artefact']}`", entry["kind"], f"**{entry['status']}**",
                              *[entry.get(d) or "–" for d in DATES], _link(entry.get("decision")), "; ".join(later) or "–"])
    decision_rows = [[d["date"], _link(d["id"]), d["basis"], d["outcome"], _tally(d), cell(d["motion"])]
                     for d in sorted(records.decisions.values(), key=lambda d: d["date"])]
    groups = [[g["id"], g["name"], f"{g['quorum']:.0%} of voting members", g["records_from"]] for g in records.groups.values()]
    members = [[m["id"], m["name"], m["organisation"], m["group"], m["role"], m["joined"], m.get("left") or "–"]
               for m in records.members]
    return "\n".join([
        "# Governance\n",
        "What the advisory group decided, and the one status of every artefact. The steps are written down in "
        "[the process](process.md); `perseus governance check` holds every record to its rules and `make test` runs it. "
        "An approved version never changes: a change is a new version, or an [erratum](errata.md). "
        "Every change, newest first, is in the [changelog](changelog.md).\n",
        "## The register\n",
        table(["artefact", "kind", "status", *DATES, "decision", "later"], register_rows),
        "## Decisions\n",
        table(["date", "decision", "basis", "outcome", "tally", "motion"], decision_rows),
        "## Groups and members\n",
        table(["group", "name", "quorum", "register begins"], groups),
        table(["member", "name", "organisation", "group", "role", "joined", "left"], members) if members
        else "No members are recorded yet: the member register begins on the date above, and the earlier "
             "decisions are transcribed without a tally.\n",
    ])


def pages() -> dict[str, str]:
    records = load(ROOT)
    out = {"governance/index.md": _index(records),
           "governance/process.md": (GOVERNANCE / "PROCESS.md").read_text(),
           "governance/errata.md": _errata_page(records),
           "governance/changelog.md": changelog()}
    for decision in sorted(records.decisions.values(), key=lambda d: d["date"]):
        out[f"governance/decisions/{decision['id']}.md"] = _decision_page(records, decision)
        for pinned in decision.get("review_packs") or []:
            if pinned["path"].endswith(".md"):
                out[f"governance/packs/{decision['id']}/{pinned['path'].rsplit('/', 1)[1]}"] = (ROOT / pinned["path"]).read_text()
    return out
