from __future__ import annotations

import re
import sys
from datetime import (
    date,
    datetime,
    time
)
from decimal import Decimal
from enum import Enum
from typing import (
    Any,
    ClassVar,
    Literal,
    Optional,
    Union
)

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer
)


metamodel_version = "1.12.0"
version = "2025-10-27"


class ConfiguredBaseModel(BaseModel):
    model_config = ConfigDict(
        serialize_by_alias = True,
        validate_by_name = True,
        validate_assignment = True,
        validate_default = True,
        extra = "forbid",
        arbitrary_types_allowed = True,
        use_enum_values = True,
        strict = False,
    )





class LinkMLMeta(RootModel):
    root: dict[str, Any] = {}
    model_config = ConfigDict(frozen=True)

    def __getattr__(self, key:str):
        return getattr(self.root, key)

    def __getitem__(self, key:str):
        return self.root[key]

    def __setitem__(self, key:str, value):
        self.root[key] = value

    def __contains__(self, key:str) -> bool:
        return key in self.root


linkml_meta = None

class UnitCode(str, Enum):
    """
    UN/CEFACT Recommendation 20 common codes for the units these specifications use.
    """
    KWH = "KWH"
    """
    kilowatt hour (energy)
    """
    WHR = "WHR"
    """
    watt hour (energy)
    """
    MTQ = "MTQ"
    """
    cubic metre (volume; gas as measured by SMETS2 meters)
    """
    KGM = "KGM"
    """
    kilogram (here, of carbon dioxide equivalent)
    """


class EnergyUnitCode(str, Enum):
    """
    Units in which consumption may be reported.
    """
    KWH = "KWH"
    """
    kilowatt hour; electricity meters, and SMETS1 gas meters that report energy
    """
    WHR = "WHR"
    """
    watt hour
    """
    MTQ = "MTQ"
    """
    cubic metre of gas as measured (SMETS2 gas meters report volume); never valid for electricity
    """


class EmissionsUnitCode(str, Enum):
    """
    Units in which emissions are reported.
    """
    KGM = "KGM"
    """
    kilogram of carbon dioxide equivalent (CO2e)
    """


class EnergyType(str, Enum):
    """
    The kind of energy a data source meters or an emissions entry covers.
    """
    electricity = "electricity"
    """
    Electricity imported from or exported to the grid.
    """
    gas = "gas"
    """
    Natural gas taken from the gas grid.
    """


class Measure(str, Enum):
    """
    The direction of flow a meter measures.
    """
    import_ = "import"
    """
    Energy taken from the grid by the premises.
    """
    export = "export"
    """
    Energy sent to the grid by the premises (for example from solar panels).
    """


class CalorificValueSource(str, Enum):
    """
    Where a calorific value came from.
    """
    charging_area_average = "charging-area-average"
    """
    The average of the daily calorific values of the gas charging area over the billing period, as used for bills under the Gas (Calculation of Thermal Energy) Regulations 1996.
    """
    distribution_zone_daily = "distribution-zone-daily"
    """
    The daily calorific value published by National Gas for the meter's local distribution zone.
    """
    supplier_bill = "supplier-bill"
    """
    The calorific value printed on the customer's gas bill.
    """
    declared = "declared"
    """
    A value declared by the data provider without further detail; `description` says how it was obtained.
    """


class MissingData(str, Enum):
    """
    The scheme's assurance vocabulary for gaps in the data behind a figure.
    """
    Complete = "Complete"
    """
    Every expected half-hour was present.
    """
    Missing = "Missing"
    """
    Some expected half-hours were absent and the figure covers only those present.
    """
    Substituted = "Substituted"
    """
    Some absent half-hours were replaced by estimates, which the figure includes.
    """


class DatasetRole(str, Enum):
    """
    What a dataset contributed to a calculation.
    """
    grid_intensity = "grid-intensity"
    """
    Half-hourly carbon intensity of grid electricity.
    """
    emission_factors = "emission-factors"
    """
    Annual emission factors (for example the UK government's conversion factors).
    """
    calorific_values = "calorific-values"
    """
    Calorific values used to turn gas volume into energy.
    """


class CalorificValueChoice(str, Enum):
    """
    Which calorific value a gas calculation used, in the order the methodology looks for one.
    """
    data = "data"
    """
    The value carried by the consumption data.
    """
    caller = "caller"
    """
    The value given by whoever ran the calculation.
    """
    methodology_default = "methodology-default"
    """
    The default value written in the methodology.
    """


class HeartbeatStatus(str, Enum):
    """
    The state a heartbeat reports.
    """
    ok = "ok"
    """
    The service is up and answering.
    """



class Quantity(ConfiguredBaseModel):
    """
    An amount with a unit. Values are never negative.
    """
    value: float = Field(default=..., description="""The amount, in the unit given by `unitCode`. Never negative.""", ge=0)
    unitCode: str = Field(default=..., description="""The unit of `value`, as a UN/CEFACT common code.""")


class Energy(Quantity):
    """
    An amount of energy consumed, or for gas meters that report volume, the volume of gas.
    """
    value: float = Field(default=..., description="""The amount, in the unit given by `unitCode`. Never negative.""", ge=0)
    unitCode: EnergyUnitCode = Field(default=..., description="""The unit of `value`, as a UN/CEFACT common code.""")


class Location(ConfiguredBaseModel):
    """
    Where a data source is, at low resolution.
    """
    ukPostcodeOutcode: str = Field(default=..., description="""The outward part of the premises' UK postcode; no finer location is shared.""")


class Provenance(ConfiguredBaseModel):
    """
    A provenance record in its encoded, signed form.
    """
    ib1_provenance: str = Field(default=..., alias="ib1:provenance", description="""URI of the trust framework under whose rules the record was made.""")
    origins: list[str] = Field(default=..., description="""Identifiers of the steps at which data entered the record.""")
    steps: list[Any] = Field(default=..., description="""Nested containers of steps: each item is an encoded step (a string), a nested container (an array), or, inside a signature block, the integer 0 that marks it. The published scheme schema allows only strings and arrays; real signature blocks carry the integer, so it is allowed here.""")


class DataSource(ConfiguredBaseModel):
    """
    A meter that the carbon accounting provider holds a permission to read.
    """
    id: str = Field(default=..., description="""An opaque identifier chosen by the data provider; stable for as long as the permission lasts.""")
    type: EnergyType = Field(default=..., description="""The kind of energy.""")
    location: Location = Field(default=..., description="""Where the data source is.""")
    availableMeasures: list[Measure] = Field(default=..., description="""The measures that can be read from this data source.""")


class DataSources(ConfiguredBaseModel):
    """
    Response of `GET /datasources`.
    """
    data: list[DataSource] = Field(default=..., description="""The items of the response.""")


class CalorificValue(ConfiguredBaseModel):
    """
    The gross calorific value used to turn a volume of gas into energy: kWh = m³ × 1.02264 × MJ/m³ ÷ 3.6, where 1.02264 is the standard correction for temperature and pressure.
    """
    megajoulesPerCubicMetre: float = Field(default=..., description="""Gross calorific value in megajoules per cubic metre (MJ/m³); typically 37.5 to 43.0.""", ge=30, le=50)
    source: CalorificValueSource = Field(default=..., description="""Where the calorific value came from.""")
    distributionZone: Optional[str] = Field(default=None, description="""The gas local distribution zone (LDZ) whose value this is, as its two-letter code (for example `SE`).""")
    description: Optional[str] = Field(default=None, description="""Free text on how the value was obtained.""")

    @field_validator('distributionZone')
    def pattern_distributionZone(cls, v):
        pattern=re.compile(r"^(EA|EM|NO|NE|NT|NW|SC|SO|SE|SW|WM|WN|WS)$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid distributionZone format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid distributionZone format: {v}"
            raise ValueError(err_msg)
        return v


class Reading(ConfiguredBaseModel):
    """
    The consumption of one half-hour `[from, to)`, with the register at its end. Electricity is never in cubic metres.
    """
    type: EnergyType = Field(default=..., description="""The kind of energy.""")
    from_: datetime  = Field(default=..., alias="from", description="""Start of the interval, inclusive.""")
    to: datetime  = Field(default=..., description="""End of the interval, exclusive.""")
    takenAt: datetime  = Field(default=..., description="""When the reading was taken; at or after `to`.""")
    energy: Energy = Field(default=..., description="""The consumption in the half-hour: energy for electricity and for gas meters that report energy, volume for gas meters that report cubic metres.""")
    cumulative: Energy = Field(default=..., description="""The meter's register at the end of the interval, in the same unit as `energy`.""")
    calorificValue: Optional[CalorificValue] = Field(default=None, description="""The calorific value to turn a gas volume into energy. On `MeterData` it applies to every reading; on a `Reading` it applies to that reading and wins over the one on `MeterData`. Meaningless for electricity.""")


class MeterData(ConfiguredBaseModel):
    """
    Response of `GET /datasources/{id}/{measure}`.
    """
    data: list[Reading] = Field(default=..., description="""The items of the response.""")
    location: Location = Field(default=..., description="""Where the data source is.""")
    calorificValue: Optional[CalorificValue] = Field(default=None, description="""The calorific value to turn a gas volume into energy. On `MeterData` it applies to every reading; on a `Reading` it applies to that reading and wins over the one on `MeterData`. Meaningless for electricity.""")
    provenance: Provenance = Field(default=..., description="""The signed provenance record for the response.""")


class Emissions(Quantity):
    """
    An amount of greenhouse gas emissions, in kilograms of carbon dioxide equivalent.
    """
    value: float = Field(default=..., description="""The amount, in the unit given by `unitCode`. Never negative.""", ge=0)
    unitCode: EmissionsUnitCode = Field(default=..., description="""The unit of `value`, as a UN/CEFACT common code.""")


class EmissionsEntry(ConfiguredBaseModel):
    """
    The emissions of one energy type over one calendar month (UTC): `from` is the first instant of the month and `to` the first instant of the next.
    """
    type: EnergyType = Field(default=..., description="""The kind of energy.""")
    from_: datetime  = Field(default=..., alias="from", description="""Start of the interval, inclusive.""")
    to: datetime  = Field(default=..., description="""End of the interval, exclusive.""")
    takenAt: datetime  = Field(default=..., description="""When the figure was calculated; after `to`.""")
    emissions: Emissions = Field(default=..., description="""The month's emissions, rounded once as the methodology says.""")
    dataQuality: Optional[DataQuality] = Field(default=None, description="""How complete the consumption behind this figure was.""")


class DataQuality(ConfiguredBaseModel):
    """
    Counts of half-hours behind one monthly figure. Nothing is filled in silently.
    """
    missingData: MissingData = Field(default=..., description="""The assurance value for gaps, in the scheme's vocabulary.""")
    expectedHalfHours: int = Field(default=..., description="""Half-hours in the month that the report covers.""", ge=0)
    presentHalfHours: int = Field(default=..., description="""Distinct half-hours with a reading.""", ge=0)
    missingHalfHours: int = Field(default=..., description="""Expected half-hours with no reading.""", ge=0)
    duplicateReadings: int = Field(default=..., description="""Readings that repeated a half-hour with the same value and were counted once.""", ge=0)


class EmissionsReport(ConfiguredBaseModel):
    """
    Response of `GET /emissions`.
    """
    provenance: Provenance = Field(default=..., description="""The signed provenance record for the response.""")
    data: list[EmissionsEntry] = Field(default=..., description="""One entry per energy type and calendar month.""")
    sources: Optional[list[EnergyTypeSources]] = Field(default=None, description="""For each energy type in `data`, the methodology and every dataset used, for the report as a whole (individual figures are not tied to factors).""")


class EnergyTypeSources(ConfiguredBaseModel):
    """
    What produced the figures of one energy type in a report.
    """
    type: EnergyType = Field(default=..., description="""The energy type these sources produced.""")
    methodology: str = Field(default=..., description="""The methodology version applied, `label@YYYY-MM-DD`.""")
    methodologyUri: str = Field(default=..., description="""Where the methodology version is published.""")
    datasets: list[DatasetUse] = Field(default=..., description="""Every factor, intensity or calorific-value dataset used.""")
    calorificValue: Optional[CalorificValueUse] = Field(default=None, description="""For gas, the calorific value used and where it came from.""")


class DatasetUse(ConfiguredBaseModel):
    """
    One dataset and the months of the report it was applied to.
    """
    role: DatasetRole = Field(default=..., description="""What the dataset contributed.""")
    publisher: str = Field(default=..., description="""Who publishes the dataset.""")
    title: str = Field(default=..., description="""The dataset's title as published.""")
    version: str = Field(default=..., description="""The year or version of the dataset (for example `2025` or `2025 v1.1`).""")
    url: str = Field(default=..., description="""Where the dataset is published.""")
    licence: str = Field(default=..., description="""The licence under which it is used (for example `OGL-UK-3.0`, `CC-BY-4.0`).""")
    months: list[str] = Field(default=..., description="""The months of the report whose figures used this dataset.""")
    substitutedFor: Optional[str] = Field(default=None, description="""Set when this dataset stood in for one that does not exist yet: the version the methodology asked for (for example the factor set of the half-hour's year), which was not available.""")


class CalorificValueUse(ConfiguredBaseModel):
    """
    The calorific value a gas calculation used.
    """
    megajoulesPerCubicMetre: float = Field(default=..., description="""Gross calorific value, MJ/m³.""", ge=0)
    choice: CalorificValueChoice = Field(default=..., description="""Which of the possible values was used.""")


class DataNotReady(ConfiguredBaseModel):
    """
    Body of a 202 response: the data is being prepared. The `Retry-After` header says when to ask again, in seconds or as an HTTP date.
    """
    message: str = Field(default=..., description="""A human-readable explanation.""")


class ValidationError(ConfiguredBaseModel):
    """
    One problem with a request's parameters.
    """
    loc: list[Union[int, str]] = Field(default=..., description="""Where the problem is, as a path of names and positions (for example `[\"query\", \"from\"]`).""")
    msg: str = Field(default=..., description="""A human-readable description of the problem.""")
    type: str = Field(default=..., description="""A machine-readable kind of problem (for example `missing`, `datetime_parsing`).""")


class HTTPValidationError(ConfiguredBaseModel):
    """
    Body of a 422 response, in the shape the deployed APIs (FastAPI) return.
    """
    detail: Optional[list[ValidationError]] = Field(default=None, description="""The problems found.""")


class Heartbeat(ConfiguredBaseModel):
    """
    Body of a 200 response of `GET /heartbeat`.
    """
    status: HeartbeatStatus = Field(default=..., description="""Always `ok` when the service answers.""")
    timestamp: datetime  = Field(default=..., description="""The server's clock when it answered.""")


# Model rebuild
# see https://pydantic-docs.helpmanual.io/usage/models/#rebuilding-a-model
Quantity.model_rebuild()
Energy.model_rebuild()
Location.model_rebuild()
Provenance.model_rebuild()
DataSource.model_rebuild()
DataSources.model_rebuild()
CalorificValue.model_rebuild()
Reading.model_rebuild()
MeterData.model_rebuild()
Emissions.model_rebuild()
EmissionsEntry.model_rebuild()
DataQuality.model_rebuild()
EmissionsReport.model_rebuild()
EnergyTypeSources.model_rebuild()
DatasetUse.model_rebuild()
CalorificValueUse.model_rebuild()
DataNotReady.model_rebuild()
ValidationError.model_rebuild()
HTTPValidationError.model_rebuild()
Heartbeat.model_rebuild()
