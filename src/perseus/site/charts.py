"""Charts rendered to SVG at build time with matplotlib: no script, no request to another host.

Text stays text (`svg.fonttype: none`) and no chart is shrunk on the page: a chart wider
than the column scrolls in its frame, so that its labels keep the size they were drawn at.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no display: render straight to bytes
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

COLOURS = {"electricity": "#00897b", "gas": "#ef6c00"}
STYLE = {"svg.fonttype": "none", "svg.hashsalt": "perseus", "font.size": 10}  # 10 pt = 13.3 px at natural size


def _svg(figure) -> bytes:
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    return buffer.getvalue()


def figure(name: str, alt: str) -> str:
    """Markdown for a chart beside the page: shown at its natural size, and a link to open it alone."""
    return (
        f'<figure class="chart" markdown>\n\n[![{alt}]({name})]({name} "Open the chart on its own")\n\n'
        f"<figcaption>{alt}. Select the chart to open it on its own.</figcaption>\n</figure>\n"
    )


def half_hourly(readings: pd.DataFrame, with_intensity: bool, days: int = 7) -> bytes:
    """A week of half-hourly consumption, and the grid intensity when the method uses it."""
    first = readings["from"].min()
    week = readings[readings["from"] < first + pd.Timedelta(days=days)].sort_values("from")
    with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
        fig, axis = plt.subplots(figsize=(9, 3.2))
        energy_type = week["type"].iloc[0]
        unit = week["unitCode"].iloc[0]
        axis.step(week["from"], week["value"], where="post", color=COLOURS[energy_type], linewidth=1)
        axis.set_ylabel(f"{energy_type} per half-hour ({'m³' if unit == 'MTQ' else 'kWh'})")
        axis.set_xlabel("UTC")
        if with_intensity:
            twin = axis.twinx()
            twin.plot(week["from"], week["intensity"], color="#5e35b1", linewidth=1, alpha=0.8)
            twin.set_ylabel("grid intensity (gCO2/kWh)", color="#5e35b1")
        axis.set_title(f"First {days} days of the worked example (synthetic data)")
        fig.autofmt_xdate()
    return _svg(fig)


def monthly_by_type(report: dict) -> bytes:
    """Monthly emissions by energy type, stacked."""
    frame = pd.DataFrame(
        [{"month": e["from"][:7], "type": e["type"], "kg": e["emissions"]["value"]} for e in report["data"]]
    )
    table = frame.pivot(index="month", columns="type", values="kg").fillna(0)
    with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
        fig, axis = plt.subplots(figsize=(9, 3.2))
        bottom = None
        for energy_type in table.columns:
            axis.bar(table.index, table[energy_type], bottom=bottom, label=energy_type, color=COLOURS[energy_type])
            bottom = table[energy_type] if bottom is None else bottom + table[energy_type]
        axis.set_ylabel("kg CO2e")
        axis.legend()
        axis.set_title("Monthly emissions by energy type: a synthetic café, 2025")
        fig.autofmt_xdate()
    return _svg(fig)


def factors_over_years(rows: pd.DataFrame) -> bytes:
    """Each activity's headline factor (all gases, kg CO2e per unit) across the sets."""
    with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
        fig, axis = plt.subplots(figsize=(9, 3.6))
        for (activity, basis), series in rows.groupby(["activity", "unitBasis"]):
            series = series.sort_values("setYear")
            axis.plot(series["setYear"], series["value"], marker="o", label=f"{activity}, per {basis}")
        axis.set_xlabel("factor set")
        axis.set_ylabel("kg CO2e per unit")
        axis.legend(fontsize=9)
        axis.set_title("UK government conversion factors, all gases")
    return _svg(fig)
