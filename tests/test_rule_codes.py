"""Every rule code the calculator raises is in the enumeration of spec/methodology.yaml and declared by the
methodology it was raised under; a code raised outside any one methodology (a file, an option) is declared
by every methodology."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from perseus.calculator import CalculationError, calculate
from perseus.methodology.documents import all_methodologies, resolve
from perseus.paths import ROOT
from perseus.portfolio import calculate_portfolio
from perseus.vocabulary import RULE_CODES
from tests.calc_helpers import instant, intensity_rows, reading, write_csv
from tests.portfolio_helpers import TAKEN_AT, rewrite, small_portfolio

CODES = set(RULE_CODES)
DECLARED = {m.ref: {r["code"] for r in m.document["dataQualityRules"]} for m in all_methodologies()}
START = instant("2025-01-06T00:00:00Z")
C = ["type", "from", "to", "value", "unitCode"]


def declared_under(error: CalculationError) -> set[str]:
    if error.methodology is not None:
        return DECLARED[error.methodology]
    return set.intersection(*DECLARED.values())


def single_file_refusals(tmp_path: Path):
    """(name, call) of bad inputs to `calculate`, one or more per rule it can raise."""
    e = lambda k, v=1.0, u="KWH": reading("electricity", START, k, v, u)  # noqa: E731
    g = lambda k, v=1.0, u="KWH": reading("gas", START, k, v, u)  # noqa: E731

    def csv(name, rows):
        return write_csv(tmp_path / f"{name}.csv", rows, C)

    intensity = write_csv(tmp_path / "i.csv", intensity_rows(START, [100, 110]), ["from", "to", "intensity"])
    yield (
        "off the half-hour",
        lambda: calculate(
            [csv("a", [e(0), e(1) | {"from": "2025-01-06T00:40:00Z", "to": "2025-01-06T01:10:00Z"}])],
            intensity=intensity,
        ),
    )
    yield "negative", lambda: calculate([csv("b", [g(0, -1.0)])])
    yield "unknown unit", lambda: calculate([csv("c", [g(0, 1.0, "MWH")])])
    yield "volume on electricity", lambda: calculate([csv("d", [e(0, 0.3, "MTQ")])], intensity=intensity)
    yield "conflicting repeat", lambda: calculate([csv("f", [g(0, 1.0), g(0, 2.0)])])
    yield "no intensity file", lambda: calculate([csv("h", [e(0)])])
    yield "a half-hour without intensity", lambda: calculate([csv("i", [e(5)])], intensity=intensity)
    yield "caller's calorific value", lambda: calculate([csv("j", [g(0, 0.4, "MTQ")])], calorific_value=0)
    yield (
        "no factor set",
        lambda: calculate([csv("k", [reading("gas", instant("2018-06-01T00:00:00Z"), 0, 1.0, "KWH")])]),
    )
    yield "unknown energy type", lambda: calculate([csv("m", [reading("water", START, 0, 1.0, "KWH")])])
    yield "no zone", lambda: calculate([csv("n", [g(0) | {"from": "2025-01-06T00:00:00"}])])
    yield "window off the half-hour", lambda: calculate([csv("o", [g(0)])], start="2025-01-06T00:10:00Z")
    yield "unknown methodology", lambda: calculate([csv("p", [g(0)])], methods=["no-such-method"])


def portfolio_refusals(pristine: Path, tmp_path: Path):
    """(name, call) of bad portfolios, each a changed copy of a good one."""

    def copy(name, change):
        root = shutil.copytree(pristine, tmp_path / name)
        change(root)
        return lambda: calculate_portfolio(root, taken_at=TAKEN_AT)

    def first_file(root, energy_type):
        return sorted((root / "readings" / f"type={energy_type}").rglob("*.parquet"))[0]

    def unknown_meter(root):
        rewrite(
            first_file(root, "electricity"), lambda t: t.__setitem__("meter", t["meter"].where(t.index > 0, "stranger"))
        )

    def split_meter(root):
        path = first_file(root, "gas")
        pq.write_table(pq.read_table(path).slice(0, 10), path.parent.parent / "bucket=999.parquet")

    def unknown_region(root):
        rewrite(root / "meters.parquet", lambda t: t.__setitem__("region", t["region"].where(t.index != 0, 99)))

    def no_intensity(root):
        (root / "intensity.parquet").unlink()

    def negative_gas(root):
        rewrite(first_file(root, "gas"), lambda t: t.__setitem__("value", t["value"].where(t.index != 3, -1.0)))

    def wrong_unit(root):
        rewrite(first_file(root, "gas"), lambda t: t.__setitem__("unitCode", t["unitCode"].where(t.index != 3, "MWH")))

    def bad_type(root):
        rewrite(root / "meters.parquet", lambda t: t.__setitem__("type", t["type"].where(t.index != 0, "water")))

    def bad_calorific_value(root):
        rewrite(root / "meters.parquet", lambda t: t.__setitem__("calorificValue", 99.0))

    for name, change in [
        ("unknown meter", unknown_meter),
        ("meter in two files", split_meter),
        ("unknown region", unknown_region),
        ("no intensity table", no_intensity),
        ("negative gas", negative_gas),
        ("wrong unit", wrong_unit),
        ("unknown type", bad_type),
        ("calorific value out of range", bad_calorific_value),
    ]:
        yield name, copy(name.replace(" ", "-"), change)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return small_portfolio(tmp_path_factory.mktemp("pristine"), meters=4, buckets=2)


def test_every_raised_code_is_declared_by_the_methodology_it_was_raised_under(tmp_path, pristine):
    raised = {}
    for name, call in [*single_file_refusals(tmp_path), *portfolio_refusals(pristine, tmp_path)]:
        with pytest.raises(CalculationError) as caught:
            call()
        for breach in caught.value.breaches:
            raised[(name, breach.rule)] = caught.value.methodology
            assert breach.rule in CODES, f"{name}: {breach.rule} is not in DataQualityRuleCode"
            assert breach.rule in declared_under(caught.value), (
                f"{name}: {breach.rule} raised under {caught.value.methodology or 'no one methodology'}, which does not declare it"
            )
    # The catalogue reaches every code the calculator can raise (the counted ones are never raised).
    assert {rule for _, rule in raised} == CODES - {"duplicate-readings", "missing-half-hours"}


RULE_ARGUMENT = {"Breach": 2, "breach": 1, "breach_for_rows": 3}  # where each call takes its rule code


def test_the_code_names_no_rule_outside_the_enumeration():
    """Every literal rule code in the calculation modules, whether the catalogue above reaches it or not."""
    found = {}
    for path in [*(ROOT / "src/perseus/calculator").glob("*.py"), *(ROOT / "src/perseus/portfolio").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            name = getattr(node, "func", None) and getattr(node.func, "id", getattr(node.func, "attr", ""))
            if isinstance(node, ast.Call) and name in RULE_ARGUMENT and len(node.args) > RULE_ARGUMENT[name]:
                rule = node.args[RULE_ARGUMENT[name]]
                if isinstance(rule, ast.Constant):
                    found.setdefault(rule.value, f"{path.name}:{node.lineno}")
    assert {c: f for c, f in found.items() if c not in CODES} == {}
    assert len(found) >= 12  # the scan does see the calls


def test_a_methodology_must_name_its_rules_from_the_enumeration(tmp_path):
    from perseus.methodology.documents import MethodologyError

    source = resolve("gas-desnz-annual@2025-10-27").path
    copy = tmp_path / source.name
    copy.write_text(source.read_text().replace("code: known-unit", "code: known-units"))
    with pytest.raises(MethodologyError, match="known-units"):
        from perseus.methodology.documents import load

        load(copy)


def test_an_option_is_refused_before_any_methodology_runs():
    """Such codes are held to every methodology's declarations (see declared_under)."""
    with pytest.raises(CalculationError) as caught:
        calculate([ROOT / "tests/conformance/002-gas-kilowatt-hours/inputs/gas.csv"], start="2025-03-10T06:10:00Z")
    assert caught.value.methodology is None and caught.value.breaches[0].rule == "half-hour-boundaries"
