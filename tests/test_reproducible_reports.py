"""Same inputs and --taken-at, same report: the provenance step ids are derived from the record's contents.

Unsigned reports (single files and portfolios) are byte-identical from run to run; signed
ones differ only in the signature block of the calculator's container (its signing time
and ECDSA signature), never in a step, an id or an origin.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from perseus.provenance import keys
from perseus.provenance.edp import sign_meter_data
from perseus.provenance.vocabulary import CAP, EDP
from tests.helpers import ROOT
from tests.portfolio_helpers import TAKEN_AT, small_portfolio

CASE = ROOT / "tests" / "conformance" / "005-blended"
ARGS = json.loads((CASE / "args.json").read_text())
CAP_MEMBER = "https://directory.sandbox.example/member/cap"


def twice(perseus, tmp_path: Path, *args) -> tuple[bytes, bytes]:
    outputs = []
    for run in ("first", "second"):
        out = tmp_path / f"{run}-{args[-1]}"
        done = perseus(*args[:-1], "--output", out, cwd=CASE)
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    return outputs[0], outputs[1]


def test_two_unsigned_reports_of_the_same_inputs_are_byte_identical(perseus, tmp_path):
    first, second = twice(perseus, tmp_path, "calculate", *ARGS, "report.json")
    assert json.loads(first)["provenance"]["origins"], "the report has a provenance record with steps"
    assert first == second


def test_two_unsigned_portfolio_runs_are_byte_identical(perseus, tmp_path):
    portfolio = small_portfolio(tmp_path / "portfolio", meters=4, buckets=2)
    first, second = twice(
        perseus, tmp_path, "calculate", "--portfolio", portfolio, "--taken-at", TAKEN_AT, "reports.jsonl"
    )
    assert len(first.splitlines()) == 4
    assert first == second


def test_a_change_of_input_changes_the_ids(perseus, tmp_path):
    """Ids come from the inputs: another taken-at (or file, or dataset) gives other ids, not the same ones."""
    base = twice(perseus, tmp_path, "calculate", *ARGS, "report.json")[0]
    later = [*ARGS[:-1], "2027-02-02T00:00:00Z"]
    other = twice(perseus, tmp_path, "calculate", *later, "later.json")[0]
    first, second = (set(json.loads(r)["provenance"]["origins"]) for r in (base, other))
    received = set(json.loads((CASE / "inputs" / "gas.json").read_text())["provenance"]["origins"])
    assert first & second == received, "only the energy data provider's own (nested) origins are shared"


@pytest.fixture(scope="module")
def signing(tmp_path_factory):
    """A CAP's key, and the case's electricity signed by an energy data provider of the same CA for that CAP."""
    folder = tmp_path_factory.mktemp("cap")
    ca = keys.create_ca("sandbox")
    cap = keys.create_member(ca, member=CAP_MEMBER, organisation="Example CAP Ltd", roles=[CAP])
    edp = keys.create_member(
        ca, member="https://directory.sandbox.example/member/edp", organisation="Example EDP Ltd", roles=[EDP]
    )
    (folder / "ca.pem").write_bytes(ca.certificate_pem())
    (folder / "cap.pem").write_bytes(cap.certificate_pem())
    (folder / "cap.key").write_bytes(cap.key_pem())
    payload = json.loads((CASE / "inputs" / "electricity.json").read_text())
    signed = sign_meter_data(payload, key=edp.key, cert_chain=[edp.certificate], cap=CAP_MEMBER)
    (folder / "electricity.json").write_text(json.dumps(signed))
    return folder


def test_two_signed_reports_differ_only_in_their_signatures(perseus, tmp_path, signing):
    args = [
        "calculate",
        "--consumption",
        signing / "electricity.json",
        "--intensity",
        "inputs/intensity.json",
        "--taken-at",
        "2027-02-01T00:00:00Z",
        "--sign",
        signing / "cap.key",
        "--cert",
        signing / "cap.pem",
        "--trust-anchor",
        signing / "ca.pem",
        "--fsp",
        "https://directory.sandbox.example/member/bank",
    ]
    first, second = (json.loads(r) for r in twice(perseus, tmp_path, *args, "signed.json"))
    one, other = first.pop("provenance"), second.pop("provenance")
    assert first == second  # the figures and sources
    *steps, block = one.pop("steps")
    *other_steps, other_block = other.pop("steps")
    assert sum(isinstance(s, str) for s in steps) >= 4 and any(isinstance(s, list) for s in steps), (
        "the CAP's own steps, and the EDP's record nested"
    )
    assert steps == other_steps
    assert one == other  # trust framework, origins, certificates
    assert block[:2] == other_block[:2]  # format version and certificate serial; then signing time and signature
