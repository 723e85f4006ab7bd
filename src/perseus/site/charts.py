"""Charts rendered to PNG (site pages) or SVG (impact packs) with matplotlib: no script, no request to
another host, and the same bytes for the same figures."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no display: render straight to bytes
matplotlib.rcParams["svg.hashsalt"] = "perseus"  # SVG element ids from a fixed salt, not a random one
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller files, readable diffs
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

COLOURS = {"electricity": "#00897b", "gas": "#ef6c00"}


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def _svg(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    return buffer.getvalue()


def half_hourly(readings: pd.DataFrame, days: int = 7) -> bytes:
    """A week of half-hourly consumption, with grid intensity where the method uses it."""
    first = readings["from"].min()
    week = readings[readings["from"] < first + pd.Timedelta(days=days)].sort_values("from")
    figure, axis = plt.subplots(figsize=(9, 3.2))
    energy_type = week["type"].iloc[0]
    unit = week["unitCode"].iloc[0]
    axis.step(week["from"], week["value"], where="post", color=COLOURS[energy_type], linewidth=1)
    axis.set_ylabel(f"{energy_type} per half-hour ({'m³' if unit == 'MTQ' else 'kWh'})")
    axis.set_xlabel("UTC")
    if week["intensity"].notna().any():
        twin = axis.twinx()
        twin.plot(week["from"], week["intensity"], color="#5e35b1", linewidth=1, alpha=0.8)
        twin.set_ylabel("grid intensity (gCO2/kWh)", color="#5e35b1")
    axis.set_title(f"First {days} days of the worked example (synthetic data)")
    figure.autofmt_xdate()
    return _png(figure)


def monthly_by_type(report: dict) -> bytes:
    """Monthly emissions by energy type, stacked."""
    frame = pd.DataFrame([{"month": e["from"][:7], "type": e["type"], "kg": e["emissions"]["value"]}
                          for e in report["data"]])
    table = frame.pivot(index="month", columns="type", values="kg").fillna(0)
    figure, axis = plt.subplots(figsize=(9, 3.2))
    bottom = None
    for energy_type in table.columns:
        axis.bar(table.index, table[energy_type], bottom=bottom, label=energy_type, color=COLOURS[energy_type])
        bottom = table[energy_type] if bottom is None else bottom + table[energy_type]
    axis.set_ylabel("kg CO2e")
    axis.legend()
    axis.set_title("Monthly emissions by energy type: a synthetic café, 2025")
    figure.autofmt_xdate()
    return _png(figure)


def factors_over_years(rows: pd.DataFrame) -> bytes:
    """Each activity's headline factor (all gases, kg CO2e per unit) across the sets."""
    figure, axis = plt.subplots(figsize=(9, 3.6))
    for (activity, basis), series in rows.groupby(["activity", "unitBasis"]):
        series = series.sort_values("setYear")
        axis.plot(series["setYear"], series["value"], marker="o", label=f"{activity}, per {basis}")
    axis.set_xlabel("factor set")
    axis.set_ylabel("kg CO2e per unit")
    axis.legend(fontsize=8)
    axis.set_title("UK government conversion factors, all gases")
    return _png(figure)


def impact_by_month(months: pd.DataFrame, title: str) -> bytes:
    """An impact pack's relative difference (%) by month, a line per archetype and a panel per energy type
    (`months`: type, archetype, month, relative, as perseus.review.impact.compare.side_by_side gives them)."""
    types = sorted(months["type"].unique())
    figure, axes = plt.subplots(len(types), 1, figsize=(9, 3.0 * len(types)), squeeze=False, sharex=True)
    for axis, energy_type in zip(axes[:, 0], types, strict=True):
        rows = months[months["type"] == energy_type]
        for archetype, series in rows.groupby("archetype"):
            series = series.sort_values("month")
            axis.plot(series["month"], series["relative"] * 100, marker="o", markersize=3, linewidth=1, label=archetype)
        axis.axhline(0, color="#777777", linewidth=0.8)
        axis.set_ylabel(f"{energy_type}: relative difference (%)")
        axis.legend(fontsize=8, ncols=4)
    axes[0, 0].set_title(title)
    axes[-1, 0].tick_params(axis="x", labelrotation=90, labelsize=7)
    return _svg(figure)
