"""Bad portfolio input stops the run with exit 1, naming the file or partition, the row and the rule, and writes nothing."""

from __future__ import annotations

import os
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.calc_helpers import run_calculate
from tests.portfolio_helpers import TAKEN_AT, rewrite, small_portfolio


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return small_portfolio(tmp_path_factory.mktemp("pristine"), meters=6, buckets=2)


@pytest.fixture
def portfolio(pristine, tmp_path):
    return shutil.copytree(pristine, tmp_path / "portfolio")


def partition_of(portfolio, energy_type: str, meter: str):
    for path in sorted((portfolio / "readings" / f"type={energy_type}").rglob("*.parquet")):
        ids = pq.read_table(path, columns=["meter"]).column("meter").to_pylist()
        if meter in ids:
            return path, ids.index(meter)
    raise AssertionError(meter)


def run_and_expect_refusal(capsys, portfolio, tmp_path, *expected):
    """In-process, as `perseus calculate` (the subprocess form is tested in test_portfolio.py)."""
    target = tmp_path / "out" / "reports.jsonl"
    target.parent.mkdir()
    code, _, err = run_calculate(
        ["--portfolio", str(portfolio), "--taken-at", TAKEN_AT, "--output", str(target)], capsys
    )
    assert code == 1, err
    for text in expected:
        assert text in err, err
    assert os.listdir(target.parent) == [], "no output and no temporary file"
    return err


def test_a_meter_missing_from_the_meters_table(capsys, portfolio, tmp_path):
    meter = "synthetic-portfolio-000004"

    def forget(t):
        t.loc[(t["meter"] == meter) & (t["type"] == "electricity"), "meter"] = "someone-else"

    rewrite(portfolio / "meters.parquet", forget)
    path, first_row = partition_of(portfolio, "electricity", meter)
    relative = str(path.relative_to(portfolio))
    run_and_expect_refusal(
        capsys, portfolio, tmp_path, f"{relative}: row {first_row + 1}:", repr(meter), "[rule: known-meter]"
    )


def test_an_unknown_region(capsys, portfolio, tmp_path):
    def move(t):
        t.loc[2, "region"] = 99

    rewrite(portfolio / "meters.parquet", move)
    run_and_expect_refusal(
        capsys, portfolio, tmp_path, "meters.parquet: row 3:", "region '99'", "[rule: intensity-for-every-half-hour]"
    )


def test_a_negative_reading(capsys, portfolio, tmp_path):
    path, _ = partition_of(portfolio, "gas", "synthetic-portfolio-000001")

    def negative(t):
        t.loc[41, "value"] = -0.5

    rewrite(path, negative)
    relative = str(path.relative_to(portfolio))
    run_and_expect_refusal(
        capsys, portfolio, tmp_path, f"{relative}: row 42:", "value -0.5 is negative", "[rule: non-negative]"
    )


def test_cubic_metres_on_electricity(capsys, portfolio, tmp_path):
    path, _ = partition_of(portfolio, "electricity", "synthetic-portfolio-000001")

    def volume(t):
        t.loc[6, "unitCode"] = "MTQ"

    rewrite(path, volume)
    relative = str(path.relative_to(portfolio))
    run_and_expect_refusal(capsys, portfolio, tmp_path, f"{relative}: row 7:", "[rule: no-volume-for-electricity]")


def test_a_meter_split_across_two_files(capsys, portfolio, tmp_path):
    path, first = partition_of(portfolio, "gas", "synthetic-portfolio-000001")
    table = pq.read_table(path)
    pq.write_table(table.slice(first, 10), path.parent.parent / "bucket=999.parquet")
    run_and_expect_refusal(capsys, portfolio, tmp_path, "synthetic-portfolio-000001", "[rule: one-file-per-meter]")


def test_repeated_half_hours_that_disagree(capsys, portfolio, tmp_path):
    path, first = partition_of(portfolio, "electricity", "synthetic-portfolio-000000")

    def repeat(t):
        extra = t.iloc[[first + 5]].copy()
        extra["value"] = extra["value"] + 1
        t.loc[len(t)] = extra.iloc[0]

    rewrite(path, repeat)
    run_and_expect_refusal(capsys, portfolio, tmp_path, "[rule: no-conflicting-duplicates]", "disagrees with row")


def test_repeated_half_hours_that_agree_are_counted(portfolio, tmp_path):
    from perseus.portfolio import calculate_portfolio

    path, first = partition_of(portfolio, "electricity", "synthetic-portfolio-000000")

    def repeat(t):
        t.loc[len(t)] = t.iloc[first + 5]

    rewrite(path, repeat)
    reports = dict(calculate_portfolio(portfolio, taken_at=TAKEN_AT).reports())
    december = reports["synthetic-portfolio-000000"]["data"][0]["dataQuality"]
    assert december["duplicateReadings"] == 1 and december["presentHalfHours"] == december["expectedHalfHours"]


def test_a_reading_off_the_half_hour(capsys, portfolio, tmp_path):
    import pandas as pd

    path, _ = partition_of(portfolio, "electricity", "synthetic-portfolio-000002")

    def shift(t):
        t.loc[2, "from"] = t.loc[2, "from"] + pd.Timedelta(minutes=15)

    rewrite(path, shift)
    relative = str(path.relative_to(portfolio))
    run_and_expect_refusal(capsys, portfolio, tmp_path, f"{relative}: row 3:", "[rule: half-hour-boundaries]")


def test_a_half_hour_without_intensity(capsys, portfolio, tmp_path):
    meter = "synthetic-portfolio-000000"  # region 1, the first rows of the intensity table
    table = pq.read_table(portfolio / "intensity.parquet").to_pandas()
    pq.write_table(pa.Table.from_pandas(table.drop(index=100), preserve_index=False), portfolio / "intensity.parquet")
    path, first = partition_of(portfolio, "electricity", meter)
    relative = str(path.relative_to(portfolio))
    run_and_expect_refusal(
        capsys,
        portfolio,
        tmp_path,
        f"{relative}: row {first + 101}:",
        "2025-12-03T02:00:00Z",
        "[rule: intensity-for-every-half-hour]",
    )


def test_bad_readings_are_named_by_their_row_across_row_groups(capsys, portfolio, tmp_path):
    """The kernel reads a file record batch by record batch: a row in a later row group keeps its file row number."""
    import pandas as pd

    path, _ = partition_of(portfolio, "electricity", "synthetic-portfolio-000002")
    table = pq.read_table(path).to_pandas()
    for column in ("meter", "unitCode"):
        table[column] = table[column].astype(str)
    row = len(table) - 5
    table.loc[row, "from"] = table.loc[row, "from"] + pd.Timedelta(minutes=15)
    pq.write_table(pa.Table.from_pandas(table, preserve_index=False), path, row_group_size=1000)
    assert pq.ParquetFile(path).metadata.num_row_groups > 1
    relative = str(path.relative_to(portfolio))
    run_and_expect_refusal(capsys, portfolio, tmp_path, f"{relative}: row {row + 1}:", "[rule: half-hour-boundaries]")


@pytest.mark.parametrize("bad", [float("inf"), float("nan")])
def test_a_reading_that_is_not_a_number(capsys, portfolio, tmp_path, bad):
    path, _ = partition_of(portfolio, "electricity", "synthetic-portfolio-000002")

    table = pq.read_table(path)
    values = table.column("value").to_numpy().copy()
    values[4] = bad
    table = table.set_column(table.schema.get_field_index("value"), "value", pa.array(values))  # a NaN, not a null
    pq.write_table(table, path)
    relative = str(path.relative_to(portfolio))
    run_and_expect_refusal(
        capsys, portfolio, tmp_path, f"{relative}: row 5:", f"value {bad} is not a number", "[rule: readable-input]"
    )
