"""A drawing of a provenance record (its steps, their links and signers), rendered with matplotlib.

ib1-provenance's `Record.to_graphviz()` writes DOT, but Graphviz is not installed here
and the site must build offline, so the same graph (steps as boxes, `inputs`/`of`/
`transfer` as arrows, one colour per signer) is laid out in columns by depth and drawn
with matplotlib. For the site: `render_record_svg(example_record())` or the PNG variant.
"""

from __future__ import annotations

import io
import textwrap

from perseus.provenance.vocabulary import METER, is_a, short

COLOURS = ("#d8eef0", "#fde7c8", "#e4e0f4", "#e2f0d9", "#f6d9dd")


def _steps(record) -> list[dict]:
    return record.decoded() if hasattr(record, "decoded") else list(record)


def _sources(step: dict) -> list[tuple[str, str]]:
    """(from, label) for each arrow into the step."""
    edges = [(i, "input") for i in step.get("inputs", [])] + [(p, "permission") for p in step.get("permissions", [])]
    if step["type"] == "transfer":
        edges.append((step["of"], "of"))
    if step["type"] == "receipt":
        edges.append((step["transfer"], "transfer"))
    return edges


def _label(step: dict) -> str:
    kind = step["type"]
    if kind == "origin" and is_a(step.get("sourceType"), "source-type", {METER}):
        assurance = step.get("perseus:assurance") or {}
        text = (
            f"{step.get('perseus:energyType', '')} consumption\n"
            f"{short(assurance.get('dataSource', ''))} {short(assurance.get('missingData', ''))}"
        )
    elif kind == "origin":
        dataset = step.get("perseus:dataset") or {}
        text = f"{dataset.get('role', 'dataset')}\n{textwrap.shorten(dataset.get('title', ''), 34)}\n{step.get('originLicense', '')}"
    elif kind == "process":
        text = f"{step.get('perseus:methodology') or step.get('process', '').rsplit('/', 2)[-2]}"
    elif kind == "transfer":
        text = f"to {step.get('to', '').rstrip('/').rsplit('/', 1)[-1]}"
    elif kind == "receipt":
        text = f"from {str(step.get('from', '')).rstrip('/').rsplit('/', 1)[-1]}"
    else:
        text = ""
    return f"{kind.upper()}\n{text}".strip()


def _layout(steps: list[dict]) -> dict[str, tuple[int, int]]:
    """Column = longest chain of links leading to the step; row = order within the column."""
    by_id = {s["id"]: s for s in steps}
    depth: dict[str, int] = {}

    def depth_of(sid: str, seen=()) -> int:
        if sid not in depth:
            preds = [p for p, _ in _sources(by_id[sid]) if p in by_id and p not in seen]
            depth[sid] = 1 + max((depth_of(p, (*seen, sid)) for p in preds), default=-1)
        return depth[sid]

    for step in steps:
        depth_of(step["id"])
    # Calculations side by side in one column, their transfers to the FSP after them.
    processes = [s["id"] for s in steps if s["type"] == "process"]
    if processes:
        last = max(depth[p] for p in processes)
        for step in steps:
            if step["type"] == "process":
                depth[step["id"]] = last
            elif step["type"] == "transfer" and step.get("of") in processes:
                depth[step["id"]] = last + 1
    rows: dict[int, int] = {}
    places = {}
    for step in steps:
        column = depth[step["id"]]
        places[step["id"]] = (column, rows.get(column, 0))
        rows[column] = rows.get(column, 0) + 1
    return places


def figure(record, title: str | None = None):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import FancyBboxPatch, Patch

    steps = _steps(record)
    places = _layout(steps)
    columns = max(c for c, _ in places.values()) + 1
    rows = max(r for _, r in places.values()) + 1
    signers = list(dict.fromkeys(s["_signature"]["signed"]["name"] for s in steps))
    colour = {name: COLOURS[i % len(COLOURS)] for i, name in enumerate(signers)}
    width, height, box_w, box_h = 3.9, 1.55, 3.3, 1.25  # inches: room for 10 pt labels
    fig, ax = plt.subplots(figsize=(columns * width + 0.5, rows * height + 1.4))
    centre = {}
    for step in steps:
        column, row = places[step["id"]]
        x, y = column * width, -row * height
        centre[step["id"]] = (x + box_w / 2, y + box_h / 2)
        signer = step["_signature"]["signed"]["name"]
        ax.add_patch(
            FancyBboxPatch(
                (x, y),
                box_w,
                box_h,
                boxstyle="round,pad=0.04",
                linewidth=1.4 if step["_signature"]["includedBy"] else 0.8,
                linestyle="--" if step["_signature"]["includedBy"] else "-",
                facecolor=colour[signer],
                edgecolor="#333333",
            )
        )
        ax.text(x + box_w / 2, y + box_h / 2, _label(step), ha="center", va="center", fontsize=10)
    for step in steps:
        for source, _label_text in _sources(step):
            if source not in centre:
                continue
            (x0, y0), (x1, y1) = centre[source], centre[step["id"]]
            ax.annotate(
                "",
                xy=(x1 - box_w / 2, y1),
                xytext=(x0 + box_w / 2, y0),
                arrowprops={
                    "arrowstyle": "->",
                    "color": "#555555",
                    "linewidth": 0.8,
                    "connectionstyle": "arc3,rad=0.08" if y0 != y1 else "arc3",
                },
            )
    ax.legend(
        handles=[Patch(facecolor=colour[n], edgecolor="#333333", label=f"signed by {n}") for n in signers],
        loc="upper center",
        bbox_to_anchor=(0.5, 1.0 + 0.9 / (rows * height + 1.4)),
        ncol=min(3, len(signers)),
        fontsize=10,
        frameon=False,
    )
    ax.set_xlim(-0.3, columns * width)
    ax.set_ylim(-(rows - 1) * height - 0.3, box_h + 0.3)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=12, pad=30)
    fig.tight_layout()
    return fig


def _render(record, fmt: str, title: str | None) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig = figure(record, title)
    buffer = io.BytesIO()
    # No dates or software versions in the files, so the same record draws the same bytes.
    metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
    with matplotlib.rc_context({"svg.hashsalt": "perseus", "svg.fonttype": "none"}):
        fig.savefig(buffer, format=fmt, metadata=metadata, dpi=110)
    plt.close(fig)
    return buffer.getvalue()


def render_record_png(record, title: str | None = None) -> bytes:
    """PNG of a verified record (an ib1 `Record` after `verify`, or its decoded steps)."""
    return _render(record, "png", title)


def render_record_svg(record, title: str | None = None) -> str:
    """SVG text of a verified record, for inlining into a page."""
    return _render(record, "svg", title).decode("utf-8")


def example_record():
    """The verified record of the blended electricity and gas example report, signed with throwaway
    keys made in memory (a sandbox CA, an EDP for electricity, a CAP), for the documentation."""
    import json

    from ib1.provenance import Record
    from ib1.provenance.certificates import CertificatesProviderSelfContainedRecord

    from perseus.paths import EXAMPLES
    from perseus.provenance import keys
    from perseus.provenance.build import sign_report
    from perseus.provenance.edp import sign_meter_data
    from perseus.provenance.vocabulary import CAP, EDP, FSP, SANDBOX

    ca = keys.create_ca("sandbox")
    cap = keys.example_member(ca, CAP, organisation="Example CAP Ltd")
    edp = keys.example_member(ca, EDP, organisation="Example EDP Ltd")
    report = json.loads((EXAMPLES / "valid" / "EmissionsReport-blended-with-sources.json").read_text())
    meter = json.loads((EXAMPLES / "valid" / "MeterData-electricity.json").read_text())
    inbound = sign_meter_data(meter, key=edp.key, cert_chain=[edp.certificate], cap=cap.application)
    signed = sign_report(
        report,
        key=cap.key,
        cert_chain=[cap.certificate],
        inbound_records=[inbound],
        trust_anchor=ca.certificate_pem(),
        fsp=keys.example_member_url(keys.EXAMPLES[FSP][0]),
        outcode="RG10",
    )
    record = Record(SANDBOX.trust_framework, signed["provenance"])
    record.verify(CertificatesProviderSelfContainedRecord(ca.certificate_pem()))
    return record


MARKER = "<!-- provenance-record-drawing -->"
TITLE = "The record of the blended electricity and gas example report"
