"""Impact reports: what a proposed change does to the figures, before anyone votes on it.

    from perseus.review.impact import impact
    pack = impact("gas-desnz-annual@2025-10-27", "desnz@2025")   # raises ImpactError, CalculationError
    pack.markdown(); pack.json(); pack.chart()                   # Markdown, JSON, SVG

The reference portfolio (perseus.review.impact.reference: every synthetic archetype,
electricity and gas, two years, several regions) is synthesised into a temporary
directory and calculated under OLD and under NEW with the portfolio kernel
(perseus.portfolio); `variants` says what OLD and NEW may be, `compare` sets the
figures side by side, `pack` and `markdown` write them out.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

from perseus.review.impact.pack import ImpactPack
from perseus.review.impact.variants import ImpactError

__all__ = ["ImpactError", "ImpactPack", "impact"]


def impact(old: str, new: str, methods: Iterable[str] = ()) -> ImpactPack:
    """The impact pack of NEW against OLD (checked before anything is synthesised or calculated)."""
    from perseus.review.impact.compare import reference_runner
    from perseus.review.impact.pack import build_pack
    from perseus.review.impact.variants import resolve_pair

    variants = resolve_pair(old, new, methods)
    with tempfile.TemporaryDirectory(prefix="perseus-impact-") as folder:
        return build_pack(reference_runner(Path(folder)), variants)
