"""A synthetic daily calorific value per gas local distribution zone (MJ/m³), seeded, in National Gas's CSV layout.

Shape, not data: each zone's level, a small seasonal swing (richer gas in winter)
and weather-like drift over a few days, to one decimal as published. The levels are
the project's illustrative assumptions (near the July 2014 sample National Gas
published for seven zones), not measurements. The file says it is synthetic in its
CSV on the Web sidecar, and the calculator names it so in every report.
"""

from __future__ import annotations

import numpy as np

from perseus.calculator.zones import COLUMNS
from perseus.synth import noise
from perseus.vocabulary import DISTRIBUTION_ZONES

LEVELS = {
    "EA": 39.4,
    "EM": 39.5,
    "NO": 39.3,
    "NE": 39.4,
    "NT": 39.3,
    "NW": 39.4,
    "SC": 39.3,
    "SO": 39.0,
    "SE": 39.0,
    "SW": 39.1,
    "WM": 39.4,
    "WN": 39.5,
    "WS": 39.2,
}  # MJ/m³, illustrative


def synthesise_zone_values(days: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    """Per zone, one value per gas day (`days`: datetime64[D]), rounded to 0.1 MJ/m³."""
    positions = noise.day_positions(days)
    day_of_year = (days - days.astype("datetime64[Y]")).astype(np.int64) + 1
    winter = np.cos(2 * np.pi * (day_of_year - 15) / 365.25)
    values = {}
    for zone in DISTRIBUTION_ZONES:
        drift = 0.12 * noise.smooth_normals_at(noise.stream(seed, "calorific-value", zone), positions, 5)
        values[zone] = np.round(np.clip(LEVELS[zone] + 0.15 * winter + drift, 37.5, 43.0), 1)
    return values


def zone_values_frame(days: np.ndarray, seed: int):
    """The table as National Gas lays it out: one row per gas day and zone, published at 10:30 the next day."""
    import pandas as pd

    values = synthesise_zone_values(days, seed)
    day_text = pd.DatetimeIndex(days).strftime("%d/%m/%Y").to_numpy()
    published = pd.DatetimeIndex(days + np.timedelta64(1, "D")).strftime("%d/%m/%Y 10:30:00").to_numpy()
    frames = [
        pd.DataFrame(
            {
                COLUMNS[0]: published,
                COLUMNS[1]: day_text,
                COLUMNS[2]: f"Calorific Value, LDZ({zone})",
                COLUMNS[3]: [f"{v:.1f}" for v in values[zone]],
                COLUMNS[4]: published,
                COLUMNS[5]: "",
            }
        )
        for zone in DISTRIBUTION_ZONES
    ]
    order = np.argsort(np.tile(np.arange(len(days)), len(DISTRIBUTION_ZONES)), kind="stable")  # by day, then zone
    return pd.concat(frames, ignore_index=True).iloc[order].reset_index(drop=True)
