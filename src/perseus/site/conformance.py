"""The conformance page: every case of `perseus conformance`, with its requirement, rendered from the
suite's own catalogue (src/perseus/conformance/cases.yaml) at build time."""

from __future__ import annotations

from perseus.site.markdown import cell, table

ROLES = {
    "edp": ("Energy data provider", "perseus conformance edp URL --release consumption-data@DATE"),
    "cap": ("Carbon accounting provider", "perseus conformance cap URL --release emissions-data@DATE"),
}
GROUPS = {"API": "Every Perseus API", "EDP": "Energy data provider", "CAP": "Carbon accounting provider"}
# The run the page shows against a local sandbox; the tests run these arguments and expect every case to pass.
SANDBOX_URL = "http://127.0.0.1:8080"
SANDBOX_EDP_ARGS = (
    "edp",
    SANDBOX_URL,
    "--release",
    "consumption-data@2026-11-28",
    "--token",
    "sandbox-token-cap-office",
    "--foreign-source",
    "synthetic-cafe-001-electricity",
    "--trust-anchor",
    "trust-anchor.pem",
)
VERDICTS = [
    ["pass", "the server did what the requirement says, on every answer the case looked at"],
    [
        "fail",
        "some answer broke the requirement; the evidence shows the request and the part of the answer that decided",
    ],
    [
        "not applicable",
        "the case could not be checked here, and the report says why (an input not given, such as "
        "`--foreign-source` or `--trust-anchor`, or a state the server never entered, such as 202)",
    ],
    ["not run", "the run reached `--max-requests` or `--timeout` before the case could send what it needed"],
]


def synopsis() -> str:
    """The command for each role, with the URL and the release date to fill in."""
    return "\n".join(command for _, command in ROLES.values())


def _intro() -> str:
    from perseus.commands.conformance import DEFAULT_MAX_REQUESTS, DEFAULT_TIMEOUT
    from perseus.conformance.exits import EXIT_STATUSES

    commands = synopsis()
    return (
        "# Conformance\n\n"
        "`perseus conformance` tests a server against the specification before it joins the scheme: an energy "
        "data provider's consumption-data API, or a carbon accounting provider's emissions-data API. It runs the "
        "numbered cases below, each checking one MUST or SHOULD of the specification, and reports each verdict "
        "with its evidence. It sends GET requests only, at most `--max-requests` "
        f"(default {DEFAULT_MAX_REQUESTS:,}) within `--timeout` seconds (default {DEFAULT_TIMEOUT:g}), and prints "
        "how many it sent and how long the run took.\n\n"
        f"```sh\n{commands}\n```\n\n"
        "Credentials are those the release needs: `--token` (a bearer token), `--cert` and `--key` (mutual TLS; "
        "`--server-ca` for the server's own certificate), and `--trust-anchor`, the environment's signing CA, "
        "with which provenance records must verify. `--until` sets where the day, month and year asked for end "
        "(default: the first day of the current month); `--foreign-source` names a data source the credentials "
        "hold no permission for; for a CAP, `--consumption` (and `--intensity`) give what it read, so that its "
        "figures are recomputed. `--json` and `--markdown` write the report.\n\n"
        "This page is rendered from the suite's own catalogue, the one place where the cases' requirements are "
        "written. The project's tests run every case against the sandbox (`perseus sandbox`), over plain HTTP "
        "with a token and over mutual TLS, and against a deliberately broken server per case, which must fail "
        "that case and no MUST case it does not target.\n\n"
        "Against a local sandbox, which passes every case (the office's client, the cafe's meter as another "
        "client's data source, and the sandbox's signing CA as the trust anchor), start the sandbox in one "
        "terminal:\n\n"
        "```sh\n.venv/bin/perseus sandbox\n```\n\n"
        "and run the suite against it from another:\n\n"
        f"```sh\ncurl -s {SANDBOX_URL}/trust-anchor.pem > trust-anchor.pem\n"
        f".venv/bin/perseus conformance {' '.join(SANDBOX_EDP_ARGS)}\n```\n\n"
        "## Verdicts and exit status\n\n"
        + table(["verdict", "meaning"], VERDICTS)
        + "\n"
        + table(["exit status", "meaning"], [[f"`{code}`", text] for code, text in EXIT_STATUSES.items()])
    )


def _case(case) -> str:
    roles = " and ".join(ROLES[r][0].lower() + "s" for r in case.applies)
    return (
        f"### {case.id} {cell(case.title)} {{#{case.id.lower()}}}\n\n"
        f"**{case.level}**, for {roles}. {case.requirement}\n\n"
        f"- Source: {case.source}\n- Checked: {case.method}\n"
    )


def pages() -> dict[str, str]:
    from perseus.conformance.catalogue import all_cases

    cases = all_cases()
    out = [
        _intro(),
        "## The cases\n",
        table(
            ["case", "level", "applies to", "title"],
            [[f"[{c.id}](#{c.id.lower()})", c.level, ", ".join(r.upper() for r in c.applies), c.title] for c in cases],
        ),
    ]
    for prefix, heading in GROUPS.items():
        group = [c for c in cases if c.id.startswith(prefix + "-")]
        out.append(f"## {heading}\n")
        out += [_case(c) for c in group]
    return {"conformance/index.md": "\n".join(out)}
