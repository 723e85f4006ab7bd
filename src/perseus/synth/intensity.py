"""A synthetic regional grid carbon intensity series (gCO2/kWh), half-hourly, seeded.

Shape, not data: a seasonal level (higher in winter), an evening peak that is
strongest in winter, a night-time dip, a midday solar dip that deepens in summer,
and wind weather lasting a few days. The regional scale factors and index bands
are the project's illustrative assumptions, not NESO figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from perseus.synth import noise
from perseus.synth.timegrid import local_calendar

# NESO Carbon Intensity API region ids: (dnoregion, shortname, illustrative scale against the GB mean)
REGIONS: dict[int, tuple[str, str, float]] = {
    1: ("Scottish Hydro Electric Power Distribution", "North Scotland", 0.15),
    2: ("SP Distribution", "South Scotland", 0.3),
    3: ("Electricity North West", "North West England", 0.85),
    4: ("NPG North East", "North East England", 0.75),
    5: ("NPG Yorkshire", "Yorkshire", 1.1),
    6: ("SP Manweb", "North Wales", 0.75),
    7: ("WPD South Wales", "South Wales", 1.15),
    8: ("WPD West Midlands", "West Midlands", 1.1),
    9: ("WPD East Midlands", "East Midlands", 1.05),
    10: ("UKPN East", "East England", 0.85),
    11: ("WPD South West", "South West England", 0.9),
    12: ("SSE South", "South England", 1.0),
    13: ("UKPN London", "London", 1.05),
    14: ("UKPN South East", "South East England", 0.95),
    15: ("England", "England", 1.0),
    16: ("Scotland", "Scotland", 0.25),
    17: ("Wales", "Wales", 0.95),
}

# Upper bounds (exclusive) of the index bands, gCO2/kWh; illustrative, the last band is open.
INDEX_BANDS = ((60, "very low"), (140, "low"), (220, "moderate"), (300, "high"), (None, "very high"))

# Generation mix: the gas share follows the intensity (gas plant emits about 390 g/kWh),
# solar follows the sun, and the rest is split in these fixed proportions.
OTHER_SOURCES = {
    "biomass": 0.09,
    "coal": 0.0,
    "imports": 0.17,
    "nuclear": 0.2,
    "other": 0.02,
    "hydro": 0.02,
    "wind": 0.5,
}
MIX_ORDER = ("biomass", "coal", "imports", "gas", "nuclear", "other", "hydro", "solar", "wind")


@dataclass(frozen=True)
class IntensitySeries:
    region_id: int
    starts: np.ndarray  # datetime64[s], UTC
    forecast: np.ndarray  # int64 gCO2/kWh
    solar: np.ndarray  # 0..1, how strongly the sun shines (drives the solar share)

    @property
    def dnoregion(self) -> str:
        return REGIONS[self.region_id][0]

    @property
    def shortname(self) -> str:
        return REGIONS[self.region_id][1]

    def index(self) -> np.ndarray:
        labels = np.empty(self.forecast.shape, dtype=object)
        lower = -np.inf
        for upper, label in INDEX_BANDS:
            upper_value = np.inf if upper is None else upper
            labels[(self.forecast >= lower) & (self.forecast < upper_value)] = label
            lower = upper_value
        return labels

    def generation_mix(self) -> dict[str, np.ndarray]:
        """Percentages per fuel, to 0.1, summing to 100 for every half-hour."""
        gas = np.clip(self.forecast / 390.0 * 100.0, 0.0, 85.0)
        solar = np.minimum(22.0 * self.solar, 100.0 - gas)
        rest = 100.0 - gas - solar
        mix: dict[str, np.ndarray] = {"gas": np.round(gas, 1), "solar": np.round(solar, 1)}
        for fuel, share in OTHER_SOURCES.items():
            if fuel != "wind":
                mix[fuel] = np.round(rest * share, 1)
        mix["wind"] = np.round(100.0 - sum(mix.values()), 1)  # wind takes the rounding remainder
        return {fuel: mix[fuel] for fuel in MIX_ORDER}


def synthesise_intensity(starts: np.ndarray, seed: int, region_id: int = 13) -> IntensitySeries:
    if region_id not in REGIONS:
        raise ValueError(f"unknown NESO region id {region_id}; known: 1-17")
    calendar = local_calendar(starts)
    hour, doy = calendar.hour, calendar.day_of_year
    winter = 0.5 * (1 + np.cos(2 * np.pi * (doy - 15) / 365.25))
    day_length = 12.0 - 4.3 * np.cos(2 * np.pi * (doy + 10) / 365.25)  # about 8 h in December, 16 h in June
    sun = np.clip(np.cos(np.pi * (hour - 12.5) / day_length), 0.0, None) * (0.3 + 0.7 * (1 - winter))

    level = 120.0 + 90.0 * winter
    evening_peak = 45.0 * (0.5 + 0.5 * winter) * np.exp(-0.5 * ((hour - 18.0) / 1.6) ** 2)
    night_dip = -25.0 * np.exp(-0.5 * ((hour - 3.5) / 2.2) ** 2)
    solar_dip = -70.0 * sun

    half_hours = noise.half_hour_positions(starts)
    wind = 32.0 * _slow_weather(noise.stream(seed, "intensity", region_id, "wind"), half_hours)
    jitter = 4.0 * noise.normals_at(noise.stream(seed, "intensity", region_id, "half-hour"), half_hours)

    _, _, scale = REGIONS[region_id]
    raw = (level + evening_peak + night_dip + solar_dip - wind) * scale + jitter
    forecast = np.rint(np.clip(raw, 20.0, 420.0)).astype(np.int64)
    return IntensitySeries(region_id, starts, forecast, sun)


def _slow_weather(rng: np.random.Generator, half_hours: np.ndarray) -> np.ndarray:
    """Unit-variance noise that drifts over about three days: 6-hour knots, smoothed, interpolated."""
    knots_per_step, width = 12, 12  # a knot every 6 hours, averaged over 3 days
    knot = half_hours // knots_per_step
    fraction = (half_hours % knots_per_step) / knots_per_step
    raw = rng.standard_normal(int(knot.max()) + width + 1)
    smooth = np.convolve(raw, np.ones(width) / np.sqrt(width), mode="valid")
    return smooth[knot] * (1 - fraction) + smooth[knot + 1] * fraction
