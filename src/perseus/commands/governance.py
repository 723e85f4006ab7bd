"""`perseus governance STEP`: each step of governance/PROCESS.md, and `check`.

check            every record holds: exit 0; 1 naming the decision, artefact and rule; 2 unreadable
draft REF        enter a new artefact version as a draft
propose REF...   put drafts to a group; freezes their review packs (--revises: again, after a revision)
record-vote ID   record the vote on a proposal (outcome worked out from the tally)
publish ID       write the decision's manifest (signed with --key/--cert)
sign ID          sign a published manifest under the secretariat certificate
verify-release REF  verify the signed manifest holding a release, and its files
erratum ID       the one way to change a pin, or take back an approval recorded in error
deploy|supersede|withdraw|deprecate REF   later stages of an artefact
member-add ID    add a member to the member register
keys             a secretariat CA and certificate (the key stays outside the repository)
"""

from __future__ import annotations

import sys
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("governance", help="the governance process: propose, vote, publish, errata, check")
    parser.add_argument("--root", type=Path, default=None, help="repository root (default: this checkout)")
    steps = parser.add_subparsers(dest="step", required=True, metavar="STEP")

    steps.add_parser("check", help="check every governance record").set_defaults(func=run_check)

    p = steps.add_parser("draft", help="enter a new artefact version as a draft")
    p.add_argument("artefact", metavar="REF")
    p.add_argument(
        "--compared-with",
        metavar="REF",
        help="the version its review pack compares against (default: the previous one)",
    )
    p.add_argument("--date", help="YYYY-MM-DD (default: today)")
    p.add_argument("--note")
    p.set_defaults(func=run_draft)

    p = steps.add_parser("propose", help="put drafts to a group and freeze their review packs")
    p.add_argument("artefacts", metavar="REF", nargs="+")
    p.add_argument("--id", required=True, help="the proposal's id, e.g. tag-2027-01-15-meter-serial")
    p.add_argument("--motion", required=True)
    p.add_argument("--proposed-by", required=True)
    p.add_argument("--group", default="technical-advisory-group")
    p.add_argument("--date")
    p.add_argument(
        "--revises",
        metavar="PROPOSAL",
        help="the proposal, not yet voted on, that this one puts again after its artefacts were revised",
    )
    p.set_defaults(func=run_propose)

    p = steps.add_parser("record-vote", help="record the vote on a proposal")
    p.add_argument("proposal", metavar="PROPOSAL")
    p.add_argument("--meeting", required=True)
    p.add_argument("--for", dest="in_favour", type=int)
    p.add_argument("--against", type=int)
    p.add_argument("--abstain", type=int, default=0)
    p.add_argument(
        "--vote",
        action="append",
        default=[],
        metavar="MEMBER=for|against|abstain",
        help="one member's vote (repeat); the tally is counted from them",
    )
    p.add_argument("--decision-id")
    p.add_argument("--chair")
    p.add_argument("--minutes")
    p.add_argument("--note")
    p.add_argument("--date")
    p.set_defaults(func=run_record_vote)

    for name, func, text in (
        ("publish", run_publish, "write the decision's manifest"),
        ("sign", run_sign, "sign the decision's manifest"),
    ):
        p = steps.add_parser(name, help=text)
        p.add_argument("decision", metavar="DECISION")
        p.add_argument("--key", type=Path, help="the secretariat's private key (PEM)")
        p.add_argument("--cert", type=Path, help="the secretariat's certificate chain (PEM)")
        p.add_argument("--date")
        p.set_defaults(func=func)

    p = steps.add_parser("verify-release", help="verify the signed manifest that holds a release")
    p.add_argument("artefact", metavar="REF")
    p.add_argument(
        "--trust-anchor", type=Path, help="the secretariat's CA (default: governance/signing/trust-anchors.pem)"
    )
    p.set_defaults(func=run_verify_release)

    p = steps.add_parser("erratum", help="record a correction of a decision's pins or approvals")
    p.add_argument("id", metavar="ID")
    p.add_argument("--decision", required=True)
    p.add_argument("--decided-by", required=True)
    p.add_argument("--reason", required=True)
    p.add_argument(
        "--repin", action="append", default=[], metavar="PATH", help="a pinned file whose new bytes are approved"
    )
    p.add_argument("--withdraw", action="append", default=[], metavar="REF", help="an approval recorded in error")
    p.add_argument("--date")
    p.set_defaults(func=run_erratum)

    for stage in ("deploy", "supersede", "withdraw", "deprecate"):
        p = steps.add_parser(stage, help=f"{stage} an artefact")
        p.add_argument("artefact", metavar="REF")
        p.add_argument("--date")
        if stage == "supersede":
            p.add_argument("--by", required=True, metavar="REF", help="the version that replaces it")
        if stage == "withdraw":
            p.add_argument("--by", metavar="DECISION", help="the decision that withdrew it, when it was approved")
        if stage == "deprecate":
            p.add_argument("--sunset", required=True, help="the last day it may be used")
        p.set_defaults(func=run_stage, stage=stage)

    p = steps.add_parser("member-add", help="add a member to the member register")
    p.add_argument("id", metavar="ID")
    p.add_argument("--name", required=True)
    p.add_argument("--organisation", required=True)
    p.add_argument("--group", default="technical-advisory-group")
    p.add_argument("--role", default="voting", choices=("voting", "observer", "secretariat"))
    p.add_argument("--joined", required=True)
    p.set_defaults(func=run_member_add)

    p = steps.add_parser("keys", help="a secretariat CA, certificate and key, for a new secretariat or a test")
    p.add_argument(
        "--output", type=Path, required=True, help="folder for the key and certificates (keep it off the repository)"
    )
    p.add_argument("--organisation", default="Perseus secretariat")
    p.add_argument(
        "--install", action="store_true", help="add the CA to the repository's trust anchors and the chain beside it"
    )
    p.set_defaults(func=run_keys)


def _root(args) -> Path:
    from perseus.paths import ROOT

    return (args.root or ROOT).resolve()


def _day(args) -> str:
    from perseus.governance.process import today

    return getattr(args, "date", None) or today()


def _refused(exc: Exception) -> int:
    print(f"error: {exc}", file=sys.stderr)
    return 1


def run_check(args) -> int:
    from perseus.governance.check import check
    from perseus.governance.records import Unreadable

    try:
        problems = check(_root(args))
    except Unreadable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in the governance records", file=sys.stderr)
        return 1
    print("governance records hold", file=sys.stderr)
    return 0


def _step(args, action) -> int:
    from perseus.governance.process import StepRefused
    from perseus.governance.records import Unreadable
    from perseus.provenance.signer import SigningError

    try:
        result = action()
    except (StepRefused, SigningError, FileNotFoundError) as exc:
        return _refused(exc)
    except Unreadable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if result:
        print(result, file=sys.stderr)
    return 0


def run_draft(args) -> int:
    from perseus.governance import process

    return _step(
        args,
        lambda: (
            f"drafted {process.draft(_root(args), args.artefact, _day(args), args.compared_with, args.note)['artefact']}"
        ),
    )


def run_propose(args) -> int:
    from perseus.governance import process

    def action():
        record = process.propose(
            _root(args), args.id, args.artefacts, args.motion, args.proposed_by, args.group, _day(args), args.revises
        )
        return f"proposed {', '.join(record['artefacts'])}; review packs frozen: " + ", ".join(
            p["path"] for p in record["review_packs"]
        )

    return _step(args, action)


def run_record_vote(args) -> int:
    from perseus.governance import process

    def action():
        votes = []
        for item in args.vote:
            member, _, vote = item.partition("=")
            votes.append({"member": member, "vote": vote})
        tally = None
        if args.in_favour is not None or args.against is not None:
            tally = {"in_favour": args.in_favour or 0, "against": args.against or 0, "abstentions": args.abstain}
        record = process.record_vote(
            _root(args),
            args.proposal,
            _day(args),
            args.meeting,
            tally,
            votes or None,
            args.decision_id,
            args.chair,
            args.minutes,
            args.note,
        )
        return f"decision {record['id']}: {record['outcome']} ({record['tally']})"

    return _step(args, action)


def run_publish(args) -> int:
    from perseus.governance import process

    def action():
        manifest = process.publish(_root(args), args.decision, _day(args), args.key, args.cert)
        signed = "signed" if args.key and args.cert else "not signed yet: run `perseus governance sign`"
        return f"published {args.decision} edition {manifest['edition']}: {len(manifest['files'])} files ({signed})"

    return _step(args, action)


def run_sign(args) -> int:
    from perseus.governance import process

    if not (args.key and args.cert):
        return _refused(ValueError("sign needs --key and --cert (the secretariat's)"))
    return _step(
        args,
        lambda: (
            f"signed {args.decision} edition {process.sign(_root(args), args.decision, args.key, args.cert)['edition']}"
        ),
    )


def run_verify_release(args) -> int:
    import json

    from perseus.governance import manifest as manifests

    root = _root(args)
    anchor = args.trust_anchor or root / manifests.TRUST_ANCHORS
    try:
        anchors = anchor.read_bytes()
    except OSError as exc:
        print(f"error: {anchor}: cannot read the trust anchor ({exc.strerror})", file=sys.stderr)
        return 2
    found = []
    for path in sorted((root / "governance/manifests").glob("*.json")):
        try:
            body = json.loads(path.read_text())
        except json.JSONDecodeError as exc:
            print(f"error: {path}: not JSON ({exc})", file=sys.stderr)
            return 2
        if args.artefact in body.get("manifest", {}).get("artefacts", []):
            found.append((path, body))
    if not found:
        print(f"error: no published manifest holds {args.artefact}", file=sys.stderr)
        return 2
    failed = False
    for path, body in found:
        where = path.relative_to(root)
        if "signature" not in body:
            print(f"{where}: not signed", file=sys.stderr)
            failed = True
            continue
        try:
            verified = manifests.verify(body["manifest"], body["signature"], anchors)
        except manifests.SignatureProblem as exc:
            print(f"{where}: {exc}", file=sys.stderr)
            failed = True
            continue
        problems = manifests.file_problems(root, body["manifest"])
        for problem in problems:
            print(f"{where}: {problem}", file=sys.stderr)
        failed = failed or bool(problems)
        if not problems:
            m = body["manifest"]
            print(
                f"{args.artefact}: {where} edition {m['edition']}, {len(m['files'])} files, signed by {verified.signer} "
                f"at {verified.signed_at}: verified"
            )
    return 1 if failed else 0


def run_erratum(args) -> int:
    from perseus.governance import process

    def action():
        record = process.erratum(
            _root(args), args.id, args.decision, _day(args), args.decided_by, args.reason, args.repin, args.withdraw
        )
        return f"erratum {record['id']} recorded; publish decision {record['decision']} again to sign it"

    return _step(args, action)


def run_stage(args) -> int:
    from perseus.governance import process

    stage = {"deploy": "deployed", "supersede": "superseded", "withdraw": "withdrawn", "deprecate": "deprecated"}[
        args.stage
    ]
    return _step(
        args,
        lambda: (
            f"{args.artefact}: {stage} "
            + str(
                process.set_stage(
                    _root(args),
                    args.artefact,
                    stage,
                    _day(args),
                    by=getattr(args, "by", None) if stage == "withdrawn" else None,
                    superseded_by=getattr(args, "by", None) if stage == "superseded" else None,
                    sunset=getattr(args, "sunset", None),
                )
            )
        ),
    )


def run_member_add(args) -> int:
    from perseus.governance import process

    member = {
        "id": args.id,
        "name": args.name,
        "organisation": args.organisation,
        "group": args.group,
        "role": args.role,
        "joined": args.joined,
    }
    return _step(args, lambda: f"member {process.member_add(_root(args), member)['id']} added")


def run_keys(args) -> int:
    from perseus.governance.manifest import SECRETARIAT, SECRETARIAT_CHAIN, TRUST_ANCHORS
    from perseus.provenance.keys import create_ca, create_member, write_private, write_public

    output = args.output
    output.mkdir(parents=True, exist_ok=True)
    ca = create_ca("production", purpose="governance")
    # The secretariat signs what is published in production; its member URL is a local one, not a directory entry.
    member = create_member(
        ca,
        member="https://secretariat.perseus.example/member/secretariat",
        organisation=args.organisation,
        roles=[SECRETARIAT],
        allowed_roles=(SECRETARIAT,),
        environment="production",
        days=3 * 365,
    )
    write_private(output / "secretariat-ca.key", ca.key_pem())
    write_public(output / "secretariat-ca.pem", ca.certificate_pem())
    write_private(output / "secretariat.key", member.key_pem())
    write_public(output / "secretariat.pem", member.certificate_pem() + ca.certificate_pem())
    print(
        f"wrote {output}/secretariat.key (keep it off the repository), secretariat.pem and secretariat-ca.pem",
        file=sys.stderr,
    )
    if args.install:
        root = _root(args)
        anchors = root / TRUST_ANCHORS
        anchors.parent.mkdir(parents=True, exist_ok=True)
        existing = anchors.read_bytes() if anchors.exists() else b""
        write_public(anchors, existing + ca.certificate_pem())
        write_public(root / SECRETARIAT_CHAIN, member.certificate_pem() + ca.certificate_pem())
        print(f"added the CA to {TRUST_ANCHORS} and the chain to {SECRETARIAT_CHAIN}", file=sys.stderr)
    return 0
