"""SME archetypes: opening hours and the loads behind them.

Figures are the project's own plausible assumptions for small British premises
(a 10-person office uses about 30 MWh of electricity and 3,000 m³ of gas a year),
not measurements: the output is synthetic and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CLOSED = (np.nan, np.nan)


@dataclass(frozen=True)
class Archetype:
    name: str
    description: str
    # Local opening hours (open, close) in hours for Monday .. Sunday; CLOSED when shut.
    hours: tuple[tuple[float, float], ...]
    # Electricity, in kW.
    base_kw: float  # always on: fridges, servers, standby
    open_kw: float  # extra load while open: lighting, equipment, people
    morning_peak_kw: float = 0.0  # extra in the first hours after opening (coffee machines, ovens)
    winter_lighting: float = 0.15  # relative extra open-hours load in midwinter
    # Gas, in m³ per hour.
    heating_per_degree: float = 0.1  # per °C below the 15.5 °C base temperature, while heated
    preheat_hours: float = 1.5  # heating starts this long before opening, at a 30% boost
    open_gas: float = 0.0  # hot water and cooking while open, all year
    morning_gas: float = 0.0  # extra gas in the morning rush (ovens, hot water)
    frost_gas: float = 0.01  # frost protection when the building is closed and it is cold

    def opening_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        opens = np.array([h[0] for h in self.hours], dtype=float)
        closes = np.array([h[1] for h in self.hours], dtype=float)
        return opens, closes


ARCHETYPES: dict[str, Archetype] = {
    archetype.name: archetype
    for archetype in (
        Archetype(
            name="office",
            description="small office, open Monday to Friday 08:00-18:00, gas central heating",
            hours=((8, 18),) * 5 + (CLOSED, CLOSED),
            base_kw=1.2,
            open_kw=7.5,
            heating_per_degree=0.12,
            open_gas=0.02,
        ),
        Archetype(
            name="cafe",
            description="café open every day (07:00-17:00, Sunday 09:00-16:00), gas cooking and hot water",
            hours=((7, 17),) * 6 + ((9, 16),),
            base_kw=1.5,
            open_kw=4.0,
            morning_peak_kw=3.5,
            heating_per_degree=0.06,
            preheat_hours=1.0,
            open_gas=0.25,
            morning_gas=0.45,
        ),
        Archetype(
            name="workshop",
            description="light-industrial workshop, Monday to Friday 07:00-16:00 and Saturday morning, machinery, space heating",
            hours=((7, 16),) * 5 + ((8, 12), CLOSED),
            base_kw=1.0,
            open_kw=11.0,
            winter_lighting=0.08,
            heating_per_degree=0.17,
            preheat_hours=2.0,
            frost_gas=0.03,
        ),
        Archetype(
            name="shop",
            description="high-street shop, Monday to Saturday 09:00-17:30 and Sunday 10:00-16:00, refrigeration",
            hours=((9, 17.5),) * 6 + ((10, 16),),
            base_kw=1.8,
            open_kw=3.5,
            winter_lighting=0.25,
            heating_per_degree=0.08,
            preheat_hours=1.0,
            open_gas=0.01,
        ),
    )
}
