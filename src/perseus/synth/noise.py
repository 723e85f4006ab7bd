"""Seeded noise indexed by absolute time.

Each draw belongs to a fixed half-hour (or day) counted from ORIGIN, so a series
for January is exactly the January slice of the series for the whole year with
the same seed: windows never change the numbers.
"""

from __future__ import annotations

import zlib

import numpy as np

ORIGIN = np.datetime64("2000-01-01T00:00:00", "s")
END = np.datetime64("2100-01-01T00:00:00", "s")


def stream(seed: int, *labels: str | int) -> np.random.Generator:
    """An independent generator per (seed, labels), stable across runs and platforms."""
    keys = [seed] + [zlib.crc32(label.encode()) if isinstance(label, str) else int(label) for label in labels]
    return np.random.default_rng(np.random.SeedSequence(keys))


def half_hour_positions(starts: np.ndarray) -> np.ndarray:
    return ((starts - ORIGIN) // np.timedelta64(30, "m")).astype(np.int64)


def day_positions(days: np.ndarray) -> np.ndarray:
    return (days.astype("datetime64[D]") - ORIGIN.astype("datetime64[D]")).astype(np.int64)


def normals_at(rng: np.random.Generator, positions: np.ndarray) -> np.ndarray:
    """Standard normal draws for the given absolute positions (draw k always belongs to position k)."""
    return rng.standard_normal(int(positions.max()) + 1)[positions]


def smooth_normals_at(rng: np.random.Generator, positions: np.ndarray, width: int) -> np.ndarray:
    """Normals averaged over `width` neighbouring positions and rescaled to unit variance:
    weather-like persistence over several days."""
    raw = rng.standard_normal(int(positions.max()) + width)
    smooth = np.convolve(raw, np.ones(width) / np.sqrt(width), mode="valid")
    return smooth[positions]
