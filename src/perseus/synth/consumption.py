"""Half-hourly electricity and gas consumption for SME archetypes, vectorised with numpy.

One meter-year is a handful of array operations over 17,520 half-hours; no loop per reading.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from perseus.synth import noise
from perseus.synth.archetypes import Archetype
from perseus.synth.timegrid import LocalCalendar, local_calendar
from perseus.vocabulary import ENERGY_TYPES

VOLUME_CORRECTION = 1.02264  # standard temperature and pressure correction for gas volume
DEFAULT_CALORIFIC_VALUE = 39.5  # MJ/m³, a typical British value; used to give SMETS1 gas meters kWh
HEATING_BASE_C = 15.5  # °C: below this outdoor temperature a building needs heating
HEATING_SEASON_C = 13.0  # °C: controls switch heating off on days whose mean is warmer
DECIMALS = 3  # meters report to 0.001 kWh or 0.001 m³
SCALE = 10**DECIMALS


@dataclass(frozen=True)
class MeterSeries:
    """One meter's half-hourly readings for one energy type, in integer thousandths of `unit`
    so that the cumulative register is exactly the running sum of the half-hourly values."""

    meter: str
    type: str  # electricity | gas
    unit: str  # KWH | MTQ
    starts: np.ndarray  # datetime64[s], UTC
    milli: np.ndarray  # int64, thousandths of `unit` per half-hour
    register_start_milli: int  # the register before the first half-hour

    @property
    def values(self) -> np.ndarray:
        return self.milli / SCALE

    @property
    def cumulative(self) -> np.ndarray:
        return (self.register_start_milli + np.cumsum(self.milli)) / SCALE


def meter_id(archetype: str, number: int) -> str:
    """Meter ids say `synthetic-` so that nobody mistakes them for real meters."""
    return f"synthetic-{archetype}-{number:03d}"


@dataclass(frozen=True)
class Weather:
    temperature: np.ndarray  # °C per half-hour
    daily_mean: np.ndarray  # °C, the mean of the half-hour's local day


def outdoor_weather(starts: np.ndarray, calendar: LocalCalendar, seed: int) -> Weather:
    """A British seasonal cycle (daily means about 4 °C in January, 16.5 °C in July), a
    day-to-day weather anomaly persisting a few days, and a daily cycle peaking mid-afternoon."""
    season = 10.3 - 6.3 * np.cos(2 * np.pi * (calendar.day_of_year - 20) / 365.25)
    anomaly = 2.8 * noise.smooth_normals_at(noise.stream(seed, "weather"), noise.day_positions(calendar.local_day), 3)
    daily_cycle = 2.5 * np.cos(2 * np.pi * (calendar.hour - 15) / 24)
    return Weather(temperature=season + anomaly + daily_cycle, daily_mean=season + anomaly)


def _winter_weight(day_of_year: np.ndarray) -> np.ndarray:
    """1 in mid-January, 0 in mid-July."""
    return 0.5 * (1 + np.cos(2 * np.pi * (day_of_year - 15) / 365.25))


def _ramp(hour: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """1 inside [start, end], ramping linearly over an hour around each edge; 0 when closed (NaN)."""
    level = np.clip(np.minimum(hour - start + 0.5, end - hour + 0.5), 0.0, 1.0)
    return np.nan_to_num(level, nan=0.0)


def _morning_bump(hour: np.ndarray, opens: np.ndarray) -> np.ndarray:
    return np.nan_to_num(np.exp(-0.5 * ((hour - (opens + 1.25)) / 0.9) ** 2), nan=0.0)


def _lognormal(rng_values: np.ndarray, sigma: float) -> np.ndarray:
    """Multiplicative noise with mean 1."""
    return np.exp(sigma * rng_values - sigma**2 / 2)


def synthesise_meter(
    archetype: Archetype,
    starts: np.ndarray,
    seed: int,
    meter_number: int,
    types: tuple[str, ...] = ENERGY_TYPES,
    gas_unit: str = "MTQ",
    calorific_value: float = DEFAULT_CALORIFIC_VALUE,
    calendar: LocalCalendar | None = None,
    weather: Weather | None = None,
) -> list[MeterSeries]:
    """The series of one meter (meter_number counts from 1) for each requested energy type."""
    calendar = calendar or local_calendar(starts)
    weather = weather or outdoor_weather(starts, calendar, seed)
    temperature = weather.temperature
    meter = meter_id(archetype.name, meter_number)
    traits = noise.stream(seed, archetype.name, meter_number, "traits")
    size = float(np.exp(traits.normal(0.0, 0.2)))  # this business is a bit bigger or smaller than typical
    shift = float(traits.choice([-0.5, 0.0, 0.0, 0.5]))  # and opens a little earlier or later
    registers = traits.integers(1_000 * SCALE, 50_000 * SCALE, size=2)

    opens, closes = archetype.opening_arrays()
    open_at = opens[calendar.weekday] + shift
    close_at = closes[calendar.weekday] + shift
    occupied = _ramp(calendar.hour, open_at, close_at)
    morning = _morning_bump(calendar.hour, open_at)
    half_hours = noise.half_hour_positions(starts)
    days = noise.day_positions(calendar.local_day)

    series = []
    if "electricity" in types:
        rng_key = (seed, archetype.name, meter_number, "electricity")
        busy = noise.normals_at(noise.stream(*rng_key, "half-hour"), half_hours)
        daily = noise.normals_at(noise.stream(*rng_key, "day"), days)
        kw = (
            archetype.base_kw * _lognormal(busy, 0.05)
            + archetype.open_kw
            * occupied
            * (1 + archetype.winter_lighting * _winter_weight(calendar.day_of_year))
            * _lognormal(busy, 0.12)
            + archetype.morning_peak_kw * morning * _lognormal(busy, 0.2)
        ) * _lognormal(daily, 0.06)
        kwh = kw * 0.5 * size
        series.append(_series(meter, "electricity", "KWH", starts, kwh, int(registers[0])))
    if "gas" in types:
        rng_key = (seed, archetype.name, meter_number, "gas")
        jitter = noise.normals_at(noise.stream(*rng_key, "half-hour"), half_hours)
        deficit = np.clip(HEATING_BASE_C - temperature, 0.0, None)
        heating_on = weather.daily_mean < HEATING_SEASON_C
        heated = _ramp(calendar.hour, open_at - archetype.preheat_hours, close_at) * heating_on
        preheat_boost = np.where(calendar.hour < open_at, 1.3, 1.0)  # NaN compares False: no boost when closed
        frost = archetype.frost_gas * np.clip((4.0 - temperature) / 4.0, 0.0, 1.0) * (1 - heated)
        m3_per_hour = (
            archetype.heating_per_degree * deficit * heated * preheat_boost
            + frost
            + archetype.open_gas * occupied
            + archetype.morning_gas * morning
        ) * _lognormal(jitter, 0.15)
        m3 = m3_per_hour * 0.5 * size
        if gas_unit == "MTQ":
            series.append(_series(meter, "gas", "MTQ", starts, m3, int(registers[1])))
        else:
            kwh_per_m3 = VOLUME_CORRECTION * calorific_value / 3.6
            register_kwh = int(registers[1] * kwh_per_m3)  # the same register, read in kWh
            series.append(_series(meter, "gas", "KWH", starts, m3 * kwh_per_m3, register_kwh))
    return series


def _series(meter, energy_type, unit, starts, values, register_start) -> MeterSeries:
    milli = np.rint(values * SCALE).astype(np.int64)
    return MeterSeries(meter, energy_type, unit, starts, milli, register_start)


def synthesise_consumption(
    archetype: Archetype,
    starts: np.ndarray,
    seed: int,
    meters: int = 1,
    types: tuple[str, ...] = ENERGY_TYPES,
    gas_unit: str = "MTQ",
    calorific_value: float = DEFAULT_CALORIFIC_VALUE,
) -> list[MeterSeries]:
    """Series for `meters` businesses of one archetype sharing one local weather."""
    calendar = local_calendar(starts)
    weather = outdoor_weather(starts, calendar, seed)
    series = []
    for number in range(1, meters + 1):  # a loop per meter, not per reading
        series += synthesise_meter(archetype, starts, seed, number, types, gas_unit, calorific_value, calendar, weather)
    return series
