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


class StepType(str, Enum):
    """
    The kinds of step ib1-provenance records.
    """
    permission = "permission"
    """
    A permission the data subject granted, which later steps cite.
    """
    origin = "origin"
    """
    Where data entered the record (a meter, a published dataset).
    """
    transfer = "transfer"
    """
    Data sent from one member to another.
    """
    receipt = "receipt"
    """
    A member's acknowledgement that it received a transfer.
    """
    process = "process"
    """
    A computation that turned the named inputs into new data.
    """


class AssuranceDataSource(str, Enum):
    """
    The registry's `data-source` assurance signal: how consumption was collected. A step writes each value as its registry URI, `<scheme>/assurance/data-source/<value>`.
    """
    SmartMeter = "SmartMeter"
    """
    Readings of one smart meter, passed on unchanged.
    """
    VirtualMeter = "VirtualMeter"
    """
    Derived from part of a meter's readings or from several meters.
    """


class AssuranceMissingData(str, Enum):
    """
    The registry's `missing-data` assurance signal: whether measurement periods lack readings. Written as `<scheme>/assurance/missing-data/<value>`.
    """
    Complete = "Complete"
    """
    Every measurement period has a reading.
    """
    Missing = "Missing"
    """
    Some measurement periods have no reading.
    """
    Substituted = "Substituted"
    """
    Some measurement periods carry estimates in place of readings.
    """


class AssuranceProcessing(str, Enum):
    """
    The registry's `processing` assurance signal: what was done to the data on its way. Written as `<scheme>/assurance/processing/<value>`.
    """
    Emissions = "Emissions"
    """
    The carbon accounting provider calculated emissions from half-hourly consumption and the matching half-hourly grid intensity at the meter's postcode.
    """
    SmartDCCOtherUser = "SmartDCCOtherUser"
    """
    Consumption, tariff and export values passed on unchanged as received from the DCC.
    """
    VirtualMeter = "VirtualMeter"
    """
    Consumption, tariff and export values derived from a shared meter's readings.
    """


class AssuranceProcessingVirtualMeter(str, Enum):
    """
    The registry's `processing-virtual-meter` assurance signal: how a shared meter's consumption was allocated to a virtual meter. Written as `<scheme>/assurance/processing-virtual-meter/<value>`.
    """
    AreaOccupied = "AreaOccupied"
    """
    In proportion to the share of the supplied area the occupant uses.
    """
    NumberOfOccupants = "NumberOfOccupants"
    """
    In proportion to the number of people using the area.
    """
    AdditionalMetering = "AdditionalMetering"
    """
    Measured by a meter of its own besides the supply meter.
    """
    Other = "Other"
    """
    By some other method.
    """


class ErrorCode(str, Enum):
    """
    The stable codes of `Problem.code`. A code never changes meaning; new codes may be added in new versions, so clients treat an unknown code by its HTTP status.
    """
    missing_credentials = "missing-credentials"
    """
    401: the request carried no bearer token and no client certificate.
    """
    invalid_credentials = "invalid-credentials"
    """
    401: the bearer token or client certificate is not one the server knows.
    """
    permission_missing = "permission-missing"
    """
    403: the client holds no permission for this data source (or for any, on `GET /emissions`).
    """
    permission_expired = "permission-expired"
    """
    403: the client's permission for this data source has expired (one year after its grant).
    """
    unknown_data_source = "unknown-data-source"
    """
    404: no data source has this id.
    """
    unknown_measure = "unknown-measure"
    """
    404: the data source does not offer this measure.
    """
    unknown_path = "unknown-path"
    """
    404: no endpoint has this path.
    """
    method_not_allowed = "method-not-allowed"
    """
    405: the endpoint does not answer this HTTP method.
    """
    uri_too_long = "uri-too-long"
    """
    414: the request's URI is longer than the server accepts.
    """
    headers_too_large = "headers-too-large"
    """
    431: the request's headers are larger than the server accepts.
    """
    rate_limited = "rate-limited"
    """
    429: the client sent too many requests; wait for the seconds in `Retry-After`.
    """
    internal_error = "internal-error"
    """
    500: the server failed. No detail of the failure is given to the client.
    """
    unavailable = "unavailable"
    """
    503: the service is temporarily unavailable; ask again after `Retry-After`.
    """


class Scenario(str, Enum):
    """
    The deliberate error states a sandbox answers on demand, named in the `X-Perseus-Scenario` request header, so that clients can test their handling of every response. Production servers ignore the header.
    """
    not_ready = "not-ready"
    """
    202 with `DataNotReady` and `Retry-After`.
    """
    unauthorised = "unauthorised"
    """
    401 `invalid-credentials`, as if the credentials were not recognised.
    """
    forbidden = "forbidden"
    """
    403 `permission-missing`, as if the client held no permission.
    """
    not_found = "not-found"
    """
    404 `unknown-data-source`, as if the data source did not exist.
    """
    invalid = "invalid"
    """
    422 `HTTPValidationError` naming the header itself (`loc: [header, X-Perseus-Scenario]`).
    """
    rate_limited = "rate-limited"
    """
    429 `rate-limited` with `Retry-After`.
    """
    server_error = "server-error"
    """
    500 `internal-error`: the server raises an exception, which the client never sees.
    """
    unavailable = "unavailable"
    """
    503 `unavailable` with `Retry-After`.
    """


class HeartbeatStatus(str, Enum):
    """
    The state a heartbeat reports.
    """
    ok = "ok"
    """
    The service is up and answering.
    """


class ArtefactStatus(str, Enum):
    """
    Where a published artefact stands.
    """
    draft = "draft"
    """
    Being written; not for use.
    """
    proposed = "proposed"
    """
    Put to a group for a decision.
    """
    approved = "approved"
    """
    Approved by a decision; frozen. Any change is a new version.
    """
    superseded = "superseded"
    """
    Approved once, now replaced by a newer version (named in `superseded_by`).
    """
    withdrawn = "withdrawn"
    """
    No longer to be used, with no replacement.
    """


class ArtefactKind(str, Enum):
    """
    The kinds of artefact the scheme publishes and governs.
    """
    data_specification = "data-specification"
    """
    An API data specification (JSON Schema and OpenAPI documents cut from `spec/`).
    """
    permission_text = "permission-text"
    """
    A consent text shown to the SME (`permission-texts/`).
    """
    methodology = "methodology"
    """
    A calculation methodology (`methodologies/`).
    """
    factor_set = "factor-set"
    """
    An emission-factor or calorific-value dataset (`factors/`).
    """


class ReleaseProfile(str, Enum):
    """
    How a data specification's documents are written.
    """
    registry = "registry"
    """
    As the registry's documents: objects open to further keys unless the model closes them, timestamps any RFC 3339 date-time, the registry's operation, tag, component and security scheme names.
    """
    strict = "strict"
    """
    The project's rules: every object closed, timestamps in UTC written with `Z`, emissions entries aligned to calendar months.
    """


class DecisionOutcome(str, Enum):
    """
    What a group decided on a motion.
    """
    approved = "approved"
    """
    The motion was carried.
    """
    rejected = "rejected"
    """
    The motion was defeated.
    """
    deferred = "deferred"
    """
    The decision was postponed to a later meeting.
    """


class PermissionVariant(str, Enum):
    """
    Who gives data to whom under the permission.
    """
    edp_cap = "edp-cap"
    """
    The carbon accounting provider (CAP) reads consumption data from the energy data provider (EDP).
    """
    cap_fsp = "cap-fsp"
    """
    The CAP shares emissions data with the financial service provider (FSP).
    """
    edp_cap_fsp = "edp-cap-fsp"
    """
    Both at once; the CAP reads from the EDP and shares the results with the FSP.
    """


class PartyPlaceholder(str, Enum):
    """
    The placeholders a text may contain. The `token` annotation is the text as it appears in the wording.
    """
    CAP = "CAP"
    """
    The carbon accounting provider's name.
    """
    EDP = "EDP"
    """
    The energy data provider's name.
    """
    FSP = "FSP"
    """
    The financial service provider's name.
    """
    EDP_privacy_policy_link = "EDP-privacy-policy-link"
    """
    The address of the EDP's privacy policy.
    """
    CAP_process = "CAP-process"
    """
    How the SME withdraws its permission with the CAP (a link or a short description).
    """


class PermissionSectionKind(str, Enum):
    """
    The seven sections a permission text may have, in the order they are shown.
    """
    data_access = "data-access"
    """
    Which party asks, and which data it will access from which provider (the data items).
    """
    computation = "computation"
    """
    What is computed from the data (the emissions data).
    """
    use = "use"
    """
    How the emissions data is used.
    """
    smart_meter = "smart-meter"
    """
    The EDP's smart-meter service, its Smart Energy Code compliance and privacy policy.
    """
    fsp_consent = "fsp-consent"
    """
    What the SME agrees to on behalf of the FSP's use of the emissions data.
    """
    withdrawal = "withdrawal"
    """
    How to withdraw, what follows, and where the privacy information is.
    """
    expiry = "expiry"
    """
    When the permission ends.
    """


class ClauseStyle(str, Enum):
    """
    How a clause is laid out.
    """
    paragraph = "paragraph"
    """
    A paragraph of its own.
    """
    item = "item"
    """
    A bullet point under the paragraph before it.
    """


class DataItemKind(str, Enum):
    """
    The kinds of data a permission covers.
    """
    half_hourly_consumption = "half-hourly-consumption"
    """
    Energy consumption as recorded every 30 minutes.
    """
    tariff = "tariff"
    """
    Tariff data.
    """
    emissions_data = "emissions-data"
    """
    The emissions data the CAP calculated.
    """


class FactorActivity(str, Enum):
    """
    What a factor applies to.
    """
    natural_gas = "natural-gas"
    """
    Natural gas burnt on site (Scope 1), the publisher's default row, which reflects the grid's blend.
    """
    natural_gas_mineral_blend = "natural-gas-mineral-blend"
    """
    Natural gas with no biomethane (the "100% mineral blend" row); shipped for reference, not used by default.
    """
    electricity_generation = "electricity-generation"
    """
    UK grid electricity as generated (Scope 2, location-based).
    """
    electricity_td = "electricity-td"
    """
    Transmission and distribution losses of UK grid electricity (Scope 3).
    """


class FactorUnitBasis(str, Enum):
    """
    The unit of activity a factor is per.
    """
    kWh_gross_cv = "kWh-gross-cv"
    """
    Per kilowatt hour on a gross calorific value basis (how suppliers bill gas).
    """
    kWh_net_cv = "kWh-net-cv"
    """
    Per kilowatt hour on a net calorific value basis.
    """
    kWh = "kWh"
    """
    Per kilowatt hour of electricity.
    """
    m3 = "m3"
    """
    Per cubic metre of gas.
    """


class Ghg(str, Enum):
    """
    Which greenhouse gases a factor counts, in kg CO2e.
    """
    total = "total"
    """
    All gases together, kg CO2e.
    """
    CO2 = "CO2"
    """
    Carbon dioxide only.
    """
    CH4 = "CH4"
    """
    Methane, as kg CO2e.
    """
    N2O = "N2O"
    """
    Nitrous oxide, as kg CO2e.
    """


class MethodologyStatus(str, Enum):
    """
    Where a methodology version stands in the scheme's governance.
    """
    proposed = "proposed"
    """
    Written down and open for review; not approved for use in the scheme.
    """
    approved = "approved"
    """
    Approved by the scheme's technical advisory group; never changes again.
    """
    withdrawn = "withdrawn"
    """
    No longer to be used for new reports.
    """


class GhgScope(str, Enum):
    """
    The Greenhouse Gas Protocol scope the method's emissions belong to.
    """
    scope_1 = "scope-1"
    """
    Direct emissions, for example gas burnt in the business's own boilers.
    """
    scope_2 = "scope-2"
    """
    Indirect emissions from purchased electricity.
    """


class InputSource(str, Enum):
    """
    Where the calculator takes an input's values from.
    """
    consumption = "consumption"
    """
    The half-hourly consumption readings.
    """
    grid_intensity = "grid-intensity"
    """
    The half-hourly grid carbon intensity series for the meter's region.
    """
    emission_factors = "emission-factors"
    """
    The factor set picked by the methodology's factor-set rule.
    """
    calorific_value = "calorific-value"
    """
    The calorific value picked by the methodology's calorific-value rule.
    """


class AggregationPeriod(str, Enum):
    """
    The period half-hourly figures are summed over.
    """
    calendar_month = "calendar-month"
    """
    A calendar month, from its first instant to the first instant of the next.
    """


class RoundingMode(str, Enum):
    """
    How a value exactly half-way between two representable values is rounded.
    """
    half_even = "half-even"
    """
    To the even neighbour (0.0125 becomes 0.012; 0.0135 becomes 0.014).
    """
    half_up = "half-up"
    """
    Away from zero (0.0125 becomes 0.013).
    """


class RuleOutcome(str, Enum):
    """
    What the calculator does with data that breaks a data-quality rule.
    """
    reject = "reject"
    """
    The calculation stops with an error naming the file, the record and the rule; no report is written.
    """
    count = "count"
    """
    The calculation goes on and the report's data quality counts the cases.
    """


class CalorificValueOrigin(str, Enum):
    """
    A place the calorific-value rule may take a value from.
    """
    data = "data"
    """
    The value carried by the consumption data (on the reading, else on the meter data).
    """
    caller = "caller"
    """
    The value given by whoever runs the calculation.
    """
    methodology_default = "methodology-default"
    """
    The default written in the methodology (`default` of its calorific-value parameter).
    """


class FactorSetFallback(str, Enum):
    """
    What the factor-set rule does when the set it asks for is not available.
    """
    latest_earlier = "latest-earlier"
    """
    Use the latest earlier set and name the set it stood in for (`substitutedFor`).
    """
    reject = "reject"
    """
    Stop with an error.
    """


class ParameterLocation(str, Enum):
    """
    Where a request parameter travels.
    """
    path = "path"
    """
    A segment of the request's path.
    """
    query = "query"
    """
    The request's query string.
    """
    header = "header"
    """
    A request header.
    """


class ParameterFormat(str, Enum):
    """
    The JSON Schema format of a string parameter.
    """
    date_time = "date-time"
    """
    An RFC 3339 date-time.
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
    certificates: Optional[Any] = Field(default=None, description="""The signing certificates, when the record carries them (a self-contained record, which a verifier checks with the environment's trust anchor alone): keyed by certificate serial, the signing certificate in PEM followed by the serials of its issuers, or an issuer's PEM on its own.""")


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


class ProvenanceStep(ConfiguredBaseModel):
    """
    What every step has; the library sets `id` and `timestamp` when the step is added.
    """
    id: str = Field(default=..., description="""The step's identifier, unique across records (random, base64url).""")
    type: StepType = Field(default=..., description="""The kind of step.""")
    timestamp: str = Field(default=..., description="""When the step happened.""")
    scheme: Optional[str] = Field(default=None, description="""The scheme whose rules the step follows, as its registry URI (for Perseus `<registry>/scheme/perseus`). The scheme's members write it on every step.""")


class PermissionStep(ProvenanceStep):
    """
    A permission granted by the data subject (the SME), cited by the steps it allows.
    """
    account: Optional[str] = Field(default=None, description="""The data subject's account at the member that recorded the permission (opaque).""")
    allows: Optional[PermissionScope] = Field(default=None, description="""What the permission allows.""")
    expires: Optional[str] = Field(default=None, description="""When the permission lapses.""")
    id: str = Field(default=..., description="""The step's identifier, unique across records (random, base64url).""")
    type: StepType = Field(default=..., description="""The kind of step.""")
    timestamp: str = Field(default=..., description="""When the step happened.""")
    scheme: Optional[str] = Field(default=None, description="""The scheme whose rules the step follows, as its registry URI (for Perseus `<registry>/scheme/perseus`). The scheme's members write it on every step.""")


class PermissionScope(ConfiguredBaseModel):
    """
    What a permission allows: licences and processes, as registry URIs. The 2024-12-05 records spell the key `licences`, later ones `licenses`; both are read.
    """
    licences: Optional[list[str]] = Field(default=None, description="""Licences the permission grants (`<scheme>/licence/<label>/<date>`).""")
    licenses: Optional[list[str]] = Field(default=None, description="""The same, as the 2026-03-12 release spells it (`<scheme>/license/<label>/<date>`).""")
    processes: Optional[list[str]] = Field(default=None, description="""Processes the permission allows (`<scheme>/process/<label>/<date>`).""")


class OriginStep(ProvenanceStep):
    """
    Where data entered the record: consumption from a meter (`sourceType` `<scheme>/source-type/Meter`, with `perseus:scheme` and `perseus:assurance`), or data from outside the scheme such as grid carbon intensity or emission factors (with `origin`, its licence and `external: true`).
    """
    sourceType: str = Field(default=..., description="""The kind of source, a scheme URI: the registry's `Meter` and `GridCarbonIntensity`, `GasGreenhouseGasFactor` (gas emission factors), and this project's `EmissionFactors` (electricity annual factors) and `CalorificValues`.""")
    origin: Optional[str] = Field(default=None, description="""Where the data comes from (the DCC for smart meters; a dataset's URL).""")
    originLicense: Optional[str] = Field(default=None, description="""The licence the data is used under: a URL, or an SPDX-style identifier (for example `CC-BY-4.0`, `OGL-UK-3.0`).""")
    originLicence: Optional[str] = Field(default=None, description="""The same, in the spelling the demo energy data provider writes.""")
    external: Optional[bool] = Field(default=None, description="""True when the data comes from outside the trust framework.""")
    permissions: Optional[list[str]] = Field(default=None, description="""The permission steps under which the data was obtained.""")
    perseus_energyType: Optional[EnergyType] = Field(default=None, alias="perseus:energyType", description="""The energy type of consumption data.""")
    perseus_scheme: Optional[SchemeMetadata] = Field(default=None, alias="perseus:scheme", description="""The scheme's metadata about the data (metering period, postcode).""")
    perseus_assurance: Optional[Assurance] = Field(default=None, alias="perseus:assurance", description="""How far the data can be relied on, in the scheme's assurance signals.""")
    perseus_dataset: Optional[DatasetDescription] = Field(default=None, alias="perseus:dataset", description="""For a published dataset, the same description the report's `sources` give it.""")
    description: Optional[str] = Field(default=None, description="""A note for people reading the record.""")
    id: str = Field(default=..., description="""The step's identifier, unique across records (random, base64url).""")
    type: StepType = Field(default=..., description="""The kind of step.""")
    timestamp: str = Field(default=..., description="""When the step happened.""")
    scheme: Optional[str] = Field(default=None, description="""The scheme whose rules the step follows, as its registry URI (for Perseus `<registry>/scheme/perseus`). The scheme's members write it on every step.""")


class TransferStep(ProvenanceStep):
    """
    Data sent to another member, with the request that fetched it.
    """
    of: str = Field(default=..., description="""The step whose data was sent.""")
    to: str = Field(default=..., description="""The recipient: its application's directory URL (the SAN URI of its certificate), as the demo energy data provider writes it, or its member URL.""")
    standard: Optional[str] = Field(default=None, description="""The data standard the data follows (`<scheme>/standard/<label>/<date>`).""")
    license: Optional[str] = Field(default=None, description="""The licence the data is sent under (`<scheme>/license/<label>/<date>`).""")
    licence: Optional[str] = Field(default=None, description="""The same, in the 2024-12-05 spelling (`<scheme>/licence/<label>/<date>`).""")
    service: Optional[str] = Field(default=None, description="""The URL of the request that fetched the data.""")
    path: Optional[str] = Field(default=None, description="""The API path of that request (for example `/readings`).""")
    parameters: Optional[TransferParameters] = Field(default=None, description="""The request's parameters (for example `measure`, `from`, `to`).""")
    permissions: Optional[list[str]] = Field(default=None, description="""The permission steps that allow the transfer.""")
    transaction: Optional[str] = Field(default=None, description="""The request's interaction identifier (the FAPI `x-fapi-interaction-id`).""")
    id: str = Field(default=..., description="""The step's identifier, unique across records (random, base64url).""")
    type: StepType = Field(default=..., description="""The kind of step.""")
    timestamp: str = Field(default=..., description="""When the step happened.""")
    scheme: Optional[str] = Field(default=None, description="""The scheme whose rules the step follows, as its registry URI (for Perseus `<registry>/scheme/perseus`). The scheme's members write it on every step.""")


class TransferParameters(ConfiguredBaseModel):
    """
    The parameters of the request behind a transfer. Open: each API has its own, and dates are written at the precision the request used (`2023-09Z`, `2025-10-01T00:00Z`).
    """
    measure: Optional[str] = Field(default=None, description="""The measure asked for (`import` or `export`).""")
    from_: Optional[str] = Field(default=None, alias="from", description="""The start asked for.""")
    to: Optional[str] = Field(default=None, description="""The end asked for.""")


class ReceiptStep(ProvenanceStep):
    """
    A member's receipt of a transfer it was sent.
    """
    transfer: str = Field(default=..., description="""The transfer step received.""")
    from_: Optional[str] = Field(default=None, alias="from", description="""The sending member's directory URL.""")
    id: str = Field(default=..., description="""The step's identifier, unique across records (random, base64url).""")
    type: StepType = Field(default=..., description="""The kind of step.""")
    timestamp: str = Field(default=..., description="""When the step happened.""")
    scheme: Optional[str] = Field(default=None, description="""The scheme whose rules the step follows, as its registry URI (for Perseus `<registry>/scheme/perseus`). The scheme's members write it on every step.""")


class ProcessStep(ProvenanceStep):
    """
    A computation: for Perseus, an emissions calculation applied to consumption with the datasets it names.
    """
    process: str = Field(default=..., description="""The process's registry URI, `<scheme>/process/<label>/<version>`: the registry's `emissions-calculations`, the CAP agent's `electricity-emissions-calculation` and `gas-emissions-calculation`, or one of this project's methodologies.""")
    inputs: Optional[list[str]] = Field(default=None, description="""The steps whose data the process read.""")
    permissions: Optional[list[str]] = Field(default=None, description="""The permission steps that allow the process.""")
    perseus_methodology: Optional[str] = Field(default=None, alias="perseus:methodology", description="""The methodology version, `label@YYYY-MM-DD`, as the report's `sources` name it.""")
    perseus_energyType: Optional[EnergyType] = Field(default=None, alias="perseus:energyType", description="""The energy type whose figures the process produced.""")
    perseus_assurance: Optional[Assurance] = Field(default=None, alias="perseus:assurance", description="""What the process did and how complete its input was.""")
    perseus_report: Optional[ReportBinding] = Field(default=None, alias="perseus:report", description="""The digest binding the report's figures and sources for this energy type to the signature.""")
    id: str = Field(default=..., description="""The step's identifier, unique across records (random, base64url).""")
    type: StepType = Field(default=..., description="""The kind of step.""")
    timestamp: str = Field(default=..., description="""When the step happened.""")
    scheme: Optional[str] = Field(default=None, description="""The scheme whose rules the step follows, as its registry URI (for Perseus `<registry>/scheme/perseus`). The scheme's members write it on every step.""")


class SchemeMetadata(ConfiguredBaseModel):
    """
    The scheme's metadata about consumption data.
    """
    meteringPeriod: Optional[MeteringPeriod] = Field(default=None, description="""The interval the readings cover, `[from, to)`.""")
    postcode: Optional[str] = Field(default=None, description="""The meter's postcode outcode.""")


class MeteringPeriod(ConfiguredBaseModel):
    """
    An interval of time, `from` inclusive and `to` exclusive.
    """
    from_: str = Field(default=..., alias="from", description="""Start, inclusive.""")
    to: str = Field(default=..., description="""End, exclusive.""")


class Assurance(ConfiguredBaseModel):
    """
    The scheme's assurance signals (`perseus:assurance`), each value a registry URI. Open: members add signals of their own (the library's example writes `originMethod`).
    """
    dataSource: Optional[AssuranceDataSource] = Field(default=None, description="""How the consumption was collected.""")
    missingData: Optional[AssuranceMissingData] = Field(default=None, description="""Whether measurement periods lack readings.""")
    processing: Optional[AssuranceProcessing] = Field(default=None, description="""What was done to the data.""")
    processingVirtualMeter: Optional[AssuranceProcessingVirtualMeter] = Field(default=None, description="""How a virtual meter's consumption was allocated (the key follows the other signals' naming; the registry gives only the signal's label).""")
    originMethod: Optional[str] = Field(default=None, description="""How the data was obtained at its origin, as a registry URI (`<scheme>/assurance/origin-method/<value>`).""")


class DatasetDescription(ConfiguredBaseModel):
    """
    A published dataset as the report's `sources` describe it (without URL and licence, which the origin step carries).
    """
    role: DatasetRole = Field(default=..., description="""What the dataset contributed.""")
    publisher: str = Field(default=..., description="""Who publishes the dataset.""")
    title: str = Field(default=..., description="""The dataset's title as published.""")
    version: str = Field(default=..., description="""The year or version of the dataset.""")
    months: Optional[list[str]] = Field(default=None, description="""The months of the report whose figures used it.""")
    substitutedFor: Optional[str] = Field(default=None, description="""The dataset it stood in for, when the intended one was not available.""")


class ReportBinding(ConfiguredBaseModel):
    """
    SHA-256 of the canonical JSON (sorted keys, no whitespace, UTF-8) of `{\"data\": [the report's entries of the energy type, in order], \"sources\": [its source]}`.
    """
    sha256: str = Field(default=..., description="""The digest, lower-case hexadecimal.""")
    entries: int = Field(default=..., description="""How many entries the digest covers.""", ge=0)

    @field_validator('sha256')
    def pattern_sha256(cls, v):
        pattern=re.compile(r"^[0-9a-f]{64}$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid sha256 format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid sha256 format: {v}"
            raise ValueError(err_msg)
        return v


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
    input: Optional[Any] = Field(default=None, description="""The value that was refused, as FastAPI reports it (`null` when the value is missing).""")
    ctx: Optional[Any] = Field(default=None, description="""Details of the rule broken, as FastAPI reports them (for example `{\"error\": \"input is too short\"}`).""")
    url: Optional[Any] = Field(default=None, description="""A link to the documentation of the error type, as FastAPI (pydantic) writes it.""")


class HTTPValidationError(ConfiguredBaseModel):
    """
    Body of a 422 response, in the shape the deployed APIs (FastAPI) return.
    """
    detail: Optional[list[ValidationError]] = Field(default=None, description="""The problems found.""")


class Problem(ConfiguredBaseModel):
    """
    Body of an error response in the shape of RFC 9457 (`application/problem+json`), for every error whose shape the deployed APIs do not fix (all errors except 422). `code` is stable and meant for programs; `detail` is for people; `type` links to the documentation of the code.
    """
    type: str = Field(default=..., description="""URI of the documentation of the error code (a page anchor named after `code`).""")
    title: str = Field(default=..., description="""A short summary of the kind of problem; the same for every occurrence of a code.""")
    status: int = Field(default=..., description="""The HTTP status code of the response, repeated for convenience.""", ge=400, le=599)
    detail: str = Field(default=..., description="""A human-readable explanation of this occurrence.""")
    code: ErrorCode = Field(default=..., description="""The stable, machine-readable error code.""")
    parameter: Optional[str] = Field(default=None, description="""The request parameter or header at fault, by its name on the wire (for example `id`, `measure`, `from`, `Authorization`), when one is.""")
    instance: Optional[str] = Field(default=None, description="""The path of the request that failed (a URI reference).""")


class Heartbeat(ConfiguredBaseModel):
    """
    Body of a 200 response of `GET /heartbeat`.
    """
    status: HeartbeatStatus = Field(default=..., description="""Always `ok` when the service answers.""")
    timestamp: datetime  = Field(default=..., description="""The server's clock when it answered.""")


class ReleaseRegister(ConfiguredBaseModel):
    """
    The contents of `governance/releases.yaml`.
    """
    releases: list[DataSpecRelease] = Field(default=..., description="""Every published data-specification version.""")


class DataSpecRelease(ConfiguredBaseModel):
    """
    One published version of a data specification.
    """
    label: str = Field(default=..., description="""The registry label, for example `consumption-data`.""")
    version: str = Field(default=..., description="""The release date, which is the version.""")
    title: str = Field(default=..., description="""The specification's name as readers see it.""")
    status: ArtefactStatus = Field(default=..., description="""Where the version stands.""")
    description: str = Field(default=..., description="""What the version covers, for the docs and the OpenAPI document.""")
    payloads: list[str] = Field(default=..., description="""The classes (response bodies) the specification serves.""")
    profile: Optional[ReleaseProfile] = Field(default=None, description="""How the release's documents are written; `strict` when not given.""")
    builds_on: Optional[list[str]] = Field(default=None, description="""The releases this one adds to. The release holds every element added in its own version or in the version of a release it builds on, directly or not.""")
    reproduces: Optional[str] = Field(default=None, description="""For a release the registry published, the URL of the registry's document, which the release accepts exactly except for the fixes the corpus lists.""")

    @field_validator('label')
    def pattern_label(cls, v):
        pattern=re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid label format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid label format: {v}"
            raise ValueError(err_msg)
        return v


class StatusRegister(ConfiguredBaseModel):
    """
    The contents of `governance/status.yaml`: the status of every published artefact other than the data specifications, whose status lives in `releases.yaml`. Each artefact has exactly one status record.
    """
    statuses: list[ArtefactStatusRecord] = Field(default=..., description="""One record per artefact version.""")


class ArtefactStatusRecord(ConfiguredBaseModel):
    """
    The current status of one published artefact version.
    """
    artefact: str = Field(default=..., description="""The artefact version the status is for.""")
    kind: ArtefactKind = Field(default=..., description="""What kind of artefact it is.""")
    status: ArtefactStatus = Field(default=..., description="""Where the artefact stands now.""")
    since: str = Field(default=..., description="""The date the artefact took this status.""")
    decision: Optional[str] = Field(default=None, description="""The id of the decision record that gave this status, when one is held.""")
    superseded_by: Optional[str] = Field(default=None, description="""The version that replaced this one (status `superseded` only).""")
    note: Optional[str] = Field(default=None, description="""Anything a reader needs to know about the status, such as why no decision record is held.""")

    @field_validator('decision')
    def pattern_decision(cls, v):
        pattern=re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid decision format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid decision format: {v}"
            raise ValueError(err_msg)
        return v


class DecisionRecord(ConfiguredBaseModel):
    """
    What a group decided at a meeting, on one motion. Records only what is known: the tally, the chair and the minutes link are left out when they are not known, never guessed.
    """
    id: str = Field(default=..., description="""A stable id; the record's file is `governance/decisions/<id>.yaml`.""")
    meeting: str = Field(default=..., description="""The meeting, as its minutes name it.""")
    date: str = Field(default=..., description="""The date of the meeting.""")
    group: str = Field(default=..., description="""The group that decided, for example the technical advisory group.""")
    chair: Optional[str] = Field(default=None, description="""Who chaired the meeting; left out when the record does not say.""")
    motion: str = Field(default=..., description="""The motion put to the vote, in the words of the minutes.""")
    artefacts: list[DecidedArtefact] = Field(default=..., description="""The artefact versions the motion decided on.""")
    outcome: DecisionOutcome = Field(default=..., description="""What the group decided.""")
    tally: Optional[Tally] = Field(default=None, description="""The votes cast, only when the minutes record them.""")
    minutes: Optional[str] = Field(default=None, description="""Where the minutes are published, when they are.""")
    note: Optional[str] = Field(default=None, description="""Context a reader needs, for example what is deliberately left out and why.""")

    @field_validator('id')
    def pattern_id(cls, v):
        pattern=re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid id format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid id format: {v}"
            raise ValueError(err_msg)
        return v


class DecidedArtefact(ConfiguredBaseModel):
    """
    One artefact version a decision covered, with the files it approved.
    """
    artefact: str = Field(default=..., description="""The artefact version decided on.""")
    kind: ArtefactKind = Field(default=..., description="""What kind of artefact it is.""")
    files: Optional[list[PinnedFile]] = Field(default=None, description="""The published files approved, each pinned by its SHA-256. Empty when the artefact is recorded by reference only (its files are not held in this repository yet); `note` then says so.""")
    note: Optional[str] = Field(default=None, description="""Anything a reader needs to know, for example why no file is pinned.""")


class Erratum(ConfiguredBaseModel):
    """
    A correction to a published file of an approved artefact, recorded as such (`governance/errata/<id>.yaml`): the file's SHA-256 before and after, and why. The file is then frozen at its new digest.
    """
    id: str = Field(default=..., description="""A stable id; the record's file is `governance/errata/<id>.yaml`.""")
    artefact: str = Field(default=..., description="""The artefact version corrected.""")
    file: str = Field(default=..., description="""The corrected file's path relative to the repository root.""")
    old_sha256: str = Field(default=..., description="""The SHA-256 of the file's bytes before the correction.""")
    new_sha256: str = Field(default=..., description="""The SHA-256 of the file's bytes after the correction.""")
    reason: str = Field(default=..., description="""What was wrong and what the correction changes.""")
    decided_by: str = Field(default=..., description="""Who decided the correction (a group, or the maintainers and the issue that asked for it).""")
    date: str = Field(default=..., description="""The date of the correction.""")

    @field_validator('id')
    def pattern_id(cls, v):
        pattern=re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid id format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid id format: {v}"
            raise ValueError(err_msg)
        return v

    @field_validator('file')
    def pattern_file(cls, v):
        pattern=re.compile(r"^[^/].*$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid file format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid file format: {v}"
            raise ValueError(err_msg)
        return v


class PinnedFile(ConfiguredBaseModel):
    """
    A published file as it was approved.
    """
    path: str = Field(default=..., description="""The file's path relative to the repository root.""")
    sha256: str = Field(default=..., description="""The SHA-256 of the file's bytes when the decision was taken.""")

    @field_validator('path')
    def pattern_path(cls, v):
        pattern=re.compile(r"^[^/].*$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid path format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid path format: {v}"
            raise ValueError(err_msg)
        return v


class Tally(ConfiguredBaseModel):
    """
    The votes cast on a motion.
    """
    in_favour: int = Field(default=..., description="""Votes for the motion.""", ge=0)
    against: int = Field(default=..., description="""Votes against the motion.""", ge=0)
    abstentions: int = Field(default=..., description="""Members who abstained.""", ge=0)


class PermissionText(ConfiguredBaseModel):
    """
    One version of one permission-text variant.
    """
    label: PermissionVariant = Field(default=..., description="""The registry label; equals the variant (for example `edp-cap`).""")
    version: str = Field(default=..., description="""The version date.""")
    title: str = Field(default=..., description="""The text's name as the advisory group and implementers see it.""")
    status: Optional[ArtefactStatus] = Field(default=None, description="""The version's status. Not written in the text's own file: it is read from the governance register (`governance/status.yaml`), so that a change of status never alters an approved text.""")
    placeholders: list[PartyPlaceholder] = Field(default=..., description="""The party placeholders the rendered text uses; a test checks this equals what the wording contains.""")
    energy_types: list[EnergyType] = Field(default=..., description="""The energy types the data items cover, in order. Rendered as a list in words: `electricity`, or `electricity and gas`.""")
    data_items: list[DataItemKind] = Field(default=..., description="""The kinds of data the permission covers, in the order they are listed.""")
    sections: list[PermissionSection] = Field(default=..., description="""The sections in the order shown; their kinds follow the order of PermissionSectionKind.""")


class PermissionSection(ConfiguredBaseModel):
    """
    One section of a text: its kind (which gives its heading from the library) and its clauses by id. The data items are listed after the clauses of the `data-access` section.
    """
    kind: PermissionSectionKind = Field(default=..., description="""Which of the seven parts of a permission text this section is.""")
    clauses: list[str] = Field(default=..., description="""The section's clauses by id, in order; the wording is in the clause library.""")


class ClauseLibrary(ConfiguredBaseModel):
    """
    The one source of wording shared by every variant and version: section headings, data-item wording and clauses.
    """
    headings: list[SectionHeading] = Field(default=..., description="""One heading per section kind.""")
    data_items: list[DataItemWording] = Field(default=..., description="""One wording per kind of data item.""")
    clauses: list[Clause] = Field(default=..., description="""Every clause any text uses.""")


class SectionHeading(ConfiguredBaseModel):
    """
    The heading of one kind of section.
    """
    kind: PermissionSectionKind = Field(default=..., description="""The section kind the heading belongs to.""")
    heading: str = Field(default=..., description="""The heading as shown; it may contain placeholders.""")


class DataItemWording(ConfiguredBaseModel):
    """
    How one kind of data item reads. `{energy_types}` is replaced by the text's energy types in words.
    """
    kind: DataItemKind = Field(default=..., description="""The kind of data item.""")
    text: str = Field(default=..., description="""The wording, with `{energy_types}` where the energy types go.""")


class Clause(ConfiguredBaseModel):
    """
    One clause. `style: item` renders as a bullet under the paragraph before it. Party placeholders are written as they appear, for example `[CAP]`.
    """
    id: str = Field(default=..., description="""A stable id; texts refer to the clause by it.""")
    style: Optional[ClauseStyle] = Field(default=None, description="""How the clause is laid out; a paragraph when not given.""")
    text: str = Field(default=..., description="""The wording, with party placeholders as written, e.g. `[CAP]`.""")


class FactorSet(ConfiguredBaseModel):
    """
    The metadata of one published set of emission factors (for example one year of the UK government's conversion factors).
    """
    publisher: str = Field(default=..., description="""Who publishes the set (for example the Department for Energy Security and Net Zero).""")
    title: str = Field(default=..., description="""The title as published.""")
    year: int = Field(default=..., description="""The set's year, which the factor-set rule matches to the calendar year of a half-hour.""", ge=1990)
    version: str = Field(default=..., description="""The set's version as the report quotes it (for example `2025`, or `2025 v1.1` for a reissue).""")
    url: str = Field(default=..., description="""Where the set is published.""")
    licence: str = Field(default=..., description="""An SPDX-style identifier (for example `OGL-UK-3.0`).""")
    retrievalDate: str = Field(default=..., description="""When the figures were taken from their sources, `YYYY-MM-DD`.""")
    gwpBasis: Optional[str] = Field(default=None, description="""The global warming potentials behind the CH4 and N2O figures (AR4 before 2023, AR5 from 2023).""")
    notes: Optional[str] = Field(default=None, description="""Anything a reader of the figures should know (how they were gathered, what is interpretation).""")
    table: str = Field(default=..., description="""The file, next to this one, that holds the set's factors.""")
    confidence: list[FactorConfidence] = Field(default=..., description="""How well each group of figures is corroborated.""")

    @field_validator('retrievalDate')
    def pattern_retrievalDate(cls, v):
        pattern=re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid retrievalDate format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid retrievalDate format: {v}"
            raise ValueError(err_msg)
        return v


class FactorConfidence(ConfiguredBaseModel):
    """
    The corroboration of one group of a set's figures.
    """
    activity: FactorActivity = Field(default=..., description="""The activity whose figures this confidence describes.""")
    statement: str = Field(default=..., description="""As recorded when gathered, for example `2 sources` (two independent publications agree), `1 source`, `government file` (read from the publisher's own spreadsheet) or `gross: 2 sources` (only the gross figure was corroborated twice).""")


class EmissionFactor(ConfiguredBaseModel):
    """
    One row of a factor table.
    """
    setYear: int = Field(default=..., description="""The year of the factor set the row belongs to.""")
    activity: FactorActivity = Field(default=..., description="""What the factor applies to (for example natural gas, electricity generation).""")
    unitBasis: FactorUnitBasis = Field(default=..., description="""The unit of activity the factor is per (kWh gross CV, kWh net CV, cubic metre).""")
    ghg: Ghg = Field(default=..., description="""Which gas the value covers: all gases as CO2e, or CO2, CH4 or N2O alone (each in kg CO2e).""")
    value: float = Field(default=..., description="""kg CO2e per unit of the basis.""", ge=0)


class CalorificValueDefault(ConfiguredBaseModel):
    """
    A calorific value the project may fall back on, with its source.
    """
    id: str = Field(default=..., description="""A short identifier by which methodologies refer to this value.""")
    megajoulesPerCubicMetre: float = Field(default=..., description="""The gross calorific value, MJ/m³.""", ge=30, le=50)
    distributionZone: Optional[str] = Field(default=None, description="""The gas local distribution zone the value is for, if it is zone-specific.""")
    date: Optional[str] = Field(default=None, description="""The gas day the value is for, when it is a daily value.""")
    publisher: str = Field(default=..., description="""Who published the value, or who chose it when it is a project choice.""")
    source: str = Field(default=..., description="""Where the figure comes from, in words.""")
    url: Optional[str] = Field(default=None, description="""Where the value or its basis is published.""")
    description: str = Field(default=..., description="""What the value is and how it was chosen.""")

    @field_validator('id')
    def pattern_id(cls, v):
        pattern=re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid id format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid id format: {v}"
            raise ValueError(err_msg)
        return v

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

    @field_validator('date')
    def pattern_date(cls, v):
        pattern=re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid date format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid date format: {v}"
            raise ValueError(err_msg)
        return v


class CalorificValueDefaults(ConfiguredBaseModel):
    """
    The file `factors/calorific-values.yaml`.
    """
    values: list[CalorificValueDefault] = Field(default=..., description="""The calorific values a methodology may name as its default.""")


class Methodology(ConfiguredBaseModel):
    """
    One version of a calculation method.
    """
    label: str = Field(default=..., description="""The methodology's label; with `version` it names the file, `label@version.yaml`.""")
    version: str = Field(default=..., description="""The version, as the date it was put to the scheme (for example the day it was voted).""")
    status: MethodologyStatus = Field(default=..., description="""Where the version stood when it was published; the governance register records later changes.""")
    title: str = Field(default=..., description="""The method's name as readers see it.""")
    description: str = Field(default=..., description="""What the method does and when to use it, in plain words.""")
    energyType: EnergyType = Field(default=..., description="""The energy type whose consumption the method turns into emissions.""")
    scope: GhgScope = Field(default=..., description="""The Greenhouse Gas Protocol scope of the emissions the method computes.""")
    decision: Optional[str] = Field(default=None, description="""The decision that approved this version (for example a meeting and date), if any.""")
    inputs: list[MethodologyInput] = Field(default=..., description="""The per-half-hour values the calculator supplies to the steps.""")
    parameters: Optional[list[Parameter]] = Field(default=None, description="""Fixed numbers the steps use, each with its unit, default and source.""")
    steps: list[Step] = Field(default=..., description="""The arithmetic, in order; each step may use inputs, parameters and earlier steps.""")
    result: str = Field(default=..., description="""The step whose value is a half-hour's emissions in kg CO2e.""")
    aggregation: Aggregation = Field(default=..., description="""How half-hourly results are summed into reporting periods.""")
    rounding: Rounding = Field(default=..., description="""The one rounding applied, and where.""")
    dataQualityRules: list[DataQualityRule] = Field(default=..., description="""What the calculator checks in the input, and what it does when a check fails.""")
    factorSetRule: Optional[FactorSetRule] = Field(default=None, description="""How the emission-factor set is picked, for methods that use one.""")
    calorificValueRule: Optional[CalorificValueRule] = Field(default=None, description="""How the calorific value is picked, for methods that turn gas volume into energy.""")


class MethodologyInput(ConfiguredBaseModel):
    """
    A per-half-hour value the calculator supplies to the steps.
    """
    name: str = Field(default=..., description="""The name by which steps refer to the input.""")
    unit: str = Field(default=..., description="""The unit of the value, written out (for example `kWh`, `m3`, `gCO2/kWh`).""")
    source: InputSource = Field(default=..., description="""Where the calculator takes the input's values from.""")
    description: str = Field(default=..., description="""What the input holds, in plain words.""")


class Parameter(ConfiguredBaseModel):
    """
    A constant of the method, with its unit, its default and where the default comes from.
    """
    name: str = Field(default=..., description="""The name by which steps refer to the parameter.""")
    unit: str = Field(default=..., description="""The parameter's unit, or 1 for a pure number.""")
    default: float = Field(default=..., description="""The value the calculator uses.""")
    source: str = Field(default=..., description="""Where the value comes from.""")
    url: Optional[str] = Field(default=None, description="""A page that shows the value, where there is one.""")
    description: str = Field(default=..., description="""What the parameter does in the calculation.""")


class Step(ConfiguredBaseModel):
    """
    One named line of arithmetic, applied to every half-hour at once.
    """
    name: str = Field(default=..., description="""The name of the step's result, usable by later steps.""")
    unit: str = Field(default=..., description="""The unit of the step's result.""")
    expression: str = Field(default=..., description="""The arithmetic: numbers, names of inputs, parameters and earlier steps, `+`, `-`, `*`, `/` and parentheses. Anything else is refused when the methodology is loaded.""")
    description: str = Field(default=..., description="""What the step computes, in plain words.""")


class Aggregation(ConfiguredBaseModel):
    """
    How half-hourly results are added up.
    """
    period: AggregationPeriod = Field(default=..., description="""The reporting period half-hours are summed into.""")
    timezone: str = Field(default=..., description="""The time zone the period's boundaries are in; always `UTC`, so every month has 48 half-hours a day.""")
    description: str = Field(default=..., description="""How a half-hour is assigned to a period, in plain words.""")

    @field_validator('timezone')
    def pattern_timezone(cls, v):
        pattern=re.compile(r"^UTC$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid timezone format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid timezone format: {v}"
            raise ValueError(err_msg)
        return v


class Rounding(ConfiguredBaseModel):
    """
    The one rounding of the method, applied to the monthly total and nowhere else.
    """
    appliesTo: str = Field(default=..., description="""What is rounded; always the monthly total.""")
    decimals: int = Field(default=..., description="""Decimal places kept, in the result's unit (kg CO2e).""", ge=0, le=6)
    mode: RoundingMode = Field(default=..., description="""How a value exactly half-way is rounded.""")

    @field_validator('appliesTo')
    def pattern_appliesTo(cls, v):
        pattern=re.compile(r"^monthly-total$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid appliesTo format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid appliesTo format: {v}"
            raise ValueError(err_msg)
        return v


class DataQualityRule(ConfiguredBaseModel):
    """
    A check on the inputs and what happens when it fails.
    """
    code: str = Field(default=..., description="""The rule's name, as errors and reports quote it.""")
    outcome: RuleOutcome = Field(default=..., description="""What happens when the rule is broken: the calculation stops, or the case is counted and reported.""")
    description: str = Field(default=..., description="""The rule, in plain words.""")


class FactorSetRule(ConfiguredBaseModel):
    """
    Which emission factor a half-hour uses.
    """
    publisher: str = Field(default=..., description="""The publisher whose factor sets (in `factors/`) the rule draws on.""")
    activity: FactorActivity = Field(default=..., description="""The factor's activity, as in the factor tables.""")
    unitBasis: FactorUnitBasis = Field(default=..., description="""The factor's unit basis, as in the factor tables.""")
    ghg: Ghg = Field(default=..., description="""Which gas column of the factor tables is used.""")
    setYear: str = Field(default=..., description="""How the wanted set is chosen; always the calendar year (UTC) in which the half-hour starts.""")
    whenMissing: FactorSetFallback = Field(default=..., description="""What happens when the set the rule asks for is not held.""")
    description: str = Field(default=..., description="""The rule, in plain words.""")

    @field_validator('setYear')
    def pattern_setYear(cls, v):
        pattern=re.compile(r"^calendar-year-of-half-hour$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid setYear format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid setYear format: {v}"
            raise ValueError(err_msg)
        return v


class CalorificValueRule(ConfiguredBaseModel):
    """
    Where the calorific value that turns a gas volume into energy comes from.
    """
    precedence: list[CalorificValueOrigin] = Field(default=..., description="""The places to look, first first.""")
    defaultParameter: Optional[str] = Field(default=None, description="""The parameter whose value is the methodology's default (needed when `methodology-default` is in `precedence`).""")
    minimumMegajoulesPerCubicMetre: float = Field(default=..., description="""Values below this are not usable.""")
    maximumMegajoulesPerCubicMetre: float = Field(default=..., description="""Values above this are not usable.""")
    description: str = Field(default=..., description="""The rule, in plain words.""")


class SlaRegister(ConfiguredBaseModel):
    """
    One published set of service level targets.
    """
    label: str = Field(default=..., description="""The registry label of the set (for example `sandbox-sla`).""")
    version: str = Field(default=..., description="""The release date of the set, `YYYY-MM-DD`.""")
    status: ArtefactStatus = Field(default=..., description="""Where the set stands (`draft` until a group approves it).""")
    description: str = Field(default=..., description="""What the set is for and how it is measured.""")
    targets: list[SlaTarget] = Field(default=..., description="""One target per endpoint.""")

    @field_validator('label')
    def pattern_label(cls, v):
        pattern=re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid label format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid label format: {v}"
            raise ValueError(err_msg)
        return v

    @field_validator('version')
    def pattern_version(cls, v):
        pattern=re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid version format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid version format: {v}"
            raise ValueError(err_msg)
        return v


class SlaTarget(ConfiguredBaseModel):
    """
    The targets of one endpoint. Availability counts every response that is not a server error (5xx) other than those a client asked for with a deliberate scenario.
    """
    endpoint: str = Field(default=..., description="""The endpoint as `METHOD path`, the path as in the OpenAPI document (for example `GET /datasources/{id}/{measure}`).""")
    api: str = Field(default=..., description="""The registry label of the API document that defines the endpoint.""")
    availabilityPercent: float = Field(default=..., description="""The share of requests, in per cent, that must be answered without a server error.""", ge=0, le=100)
    p95LatencyMilliseconds: float = Field(default=..., description="""The latency, in milliseconds, that 95 % of responses must not exceed (measured at the server, from request to last byte).""", ge=0)
    window: str = Field(default=..., description="""The period over which the target is measured, as an ISO 8601 duration (for example `P30D`).""")

    @field_validator('endpoint')
    def pattern_endpoint(cls, v):
        pattern=re.compile(r"^GET /[a-z/{}]*$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid endpoint format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid endpoint format: {v}"
            raise ValueError(err_msg)
        return v

    @field_validator('window')
    def pattern_window(cls, v):
        pattern=re.compile(r"^P[0-9]+D$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid window format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid window format: {v}"
            raise ValueError(err_msg)
        return v


class ServiceStatus(ConfiguredBaseModel):
    """
    What a server measured since it started (the sandbox's `/status.json`): uptime, responses by status code, and per endpoint the availability and latency percentiles set against the endpoint's target.
    """
    startedAt: datetime  = Field(default=..., description="""When the server started.""")
    uptimeSeconds: float = Field(default=..., description="""Seconds since the server started.""", ge=0)
    requests: int = Field(default=..., description="""Requests answered since the server started, on every path.""", ge=0)
    responses: Optional[list[StatusCount]] = Field(default=None, description="""Responses by HTTP status code, on every path.""")
    sla: str = Field(default=..., description="""The target set compared with, as `label@YYYY-MM-DD`.""")
    endpoints: list[EndpointStatus] = Field(default=..., description="""One entry per endpoint of the API documents.""")


class StatusCount(ConfiguredBaseModel):
    """
    How many responses carried one HTTP status code.
    """
    status: int = Field(default=..., description="""The HTTP status code.""", ge=100, le=599)
    count: int = Field(default=..., description="""The number of responses.""", ge=0)


class LatencyPercentiles(ConfiguredBaseModel):
    """
    Latency percentiles of an endpoint's recent responses, in milliseconds, measured in the server.
    """
    p50: float = Field(default=..., description="""The median latency, in milliseconds.""", ge=0)
    p95: float = Field(default=..., description="""The 95th-percentile latency, in milliseconds (the one SLA targets bound).""", ge=0)
    p99: float = Field(default=..., description="""The 99th-percentile latency, in milliseconds.""", ge=0)


class EndpointStatus(ConfiguredBaseModel):
    """
    What one endpoint answered. Responses a client asked for with a deliberate scenario are counted in `responses` and `deliberate`, and left out of the availability.
    """
    endpoint: str = Field(default=..., description="""The endpoint as `METHOD path`, the path as in the OpenAPI document.""")
    requests: int = Field(default=..., description="""Requests answered by the endpoint.""", ge=0)
    responses: Optional[list[StatusCount]] = Field(default=None, description="""The endpoint's responses by HTTP status code.""")
    deliberate: int = Field(default=..., description="""Responses asked for with a deliberate scenario.""", ge=0)
    availabilityPercent: Optional[float] = Field(default=None, description="""The share, in per cent, of the other responses that were not server errors (absent before any).""", ge=0, le=100)
    latencyMilliseconds: Optional[LatencyPercentiles] = Field(default=None, description="""Latency percentiles of the most recent responses (absent before any).""")
    target: Optional[SlaTarget] = Field(default=None, description="""The endpoint's service level target, when one is set.""")
    meetsAvailability: Optional[bool] = Field(default=None, description="""Whether the measured availability meets the target (absent when either is).""")
    meetsLatency: Optional[bool] = Field(default=None, description="""Whether the measured p95 latency meets the target (absent when either is).""")


class ApiDescription(ConfiguredBaseModel):
    """
    One API, the same in every release of its label (`spec/api/<label>.yaml`).
    """
    label: str = Field(default=..., description="""The registry label of the API's releases, for example `consumption-data`.""")
    title: str = Field(default=..., description="""The title of the API's documents as the registry writes it.""")
    tag: ApiTag = Field(default=..., description="""The tag every operation of the API carries in the registry's documents.""")
    operations: list[ApiOperation] = Field(default=..., description="""The API's operations, in the order the documents list them.""")

    @field_validator('label')
    def pattern_label(cls, v):
        pattern=re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid label format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid label format: {v}"
            raise ValueError(err_msg)
        return v


class ApiTag(ConfiguredBaseModel):
    """
    A group of operations; client generators name a class after it.
    """
    name: str = Field(default=..., description="""The tag's name, as the registry's documents give it.""")
    description: str = Field(default=..., description="""What the operations of the tag do.""")


class ApiOperation(ConfiguredBaseModel):
    """
    One HTTP operation of an API.
    """
    path: str = Field(default=..., description="""The path, with `{name}` for each path parameter.""")
    method: str = Field(default=..., description="""The HTTP method, in lower case; every Perseus operation is a `get`.""")
    operation_id: str = Field(default=..., description="""The operation's id in the registry's documents, from which clients name the method.""")
    strict_operation_id: Optional[str] = Field(default=None, description="""The id the project's strict-profile documents (the 2025-10-27 releases, approved and frozen) use, when it is not the registry's.""")
    summary: str = Field(default=..., description="""A short phrase saying what the operation returns.""")
    parameters: Optional[list[ApiParameter]] = Field(default=None, description="""The operation's own parameters, in order.""")
    shared_parameters: Optional[list[str]] = Field(default=None, description="""The names of the conventions' shared parameters the operation takes, after its own.""")
    responses: list[ApiResponse] = Field(default=..., description="""The responses of the registry's documents. Releases with machine-readable errors (those that serve `Problem`) answer the conventions' problem responses as well, on every operation.""")

    @field_validator('path')
    def pattern_path(cls, v):
        pattern=re.compile(r"^/")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid path format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid path format: {v}"
            raise ValueError(err_msg)
        return v

    @field_validator('method')
    def pattern_method(cls, v):
        pattern=re.compile(r"^(get)$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid method format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid method format: {v}"
            raise ValueError(err_msg)
        return v

    @field_validator('operation_id')
    def pattern_operation_id(cls, v):
        pattern=re.compile(r"^[a-z][A-Za-z]*$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid operation_id format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid operation_id format: {v}"
            raise ValueError(err_msg)
        return v

    @field_validator('strict_operation_id')
    def pattern_strict_operation_id(cls, v):
        pattern=re.compile(r"^[a-z][A-Za-z]*$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid strict_operation_id format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid strict_operation_id format: {v}"
            raise ValueError(err_msg)
        return v


class ApiParameter(ConfiguredBaseModel):
    """
    One request parameter; a string unless `enum` or `format` says more.
    """
    name: str = Field(default=..., description="""The parameter's name on the wire.""")
    in_: ParameterLocation = Field(default=..., alias="in", description="""Where the parameter travels.""")
    required: bool = Field(default=..., description="""Whether the request must carry the parameter.""")
    description: str = Field(default=..., description="""What the parameter means.""")
    format: Optional[ParameterFormat] = Field(default=None, description="""The string's format, when it has one.""")
    enum: Optional[str] = Field(default=None, description="""The LinkML enum whose values the parameter takes, when it takes a fixed set.""")
    default: Optional[str] = Field(default=None, description="""The value a server assumes when the client leaves the parameter out.""")


class ApiResponse(ConfiguredBaseModel):
    """
    One response status of an operation.
    """
    status: str = Field(default=..., description="""The HTTP status code.""")
    description: Optional[str] = Field(default=None, description="""What the status means here; the conventions' text for the status when not given.""")
    body: Optional[str] = Field(default=None, description="""The payload class of the body (JSON), when the response has one.""")
    retry_after: Optional[bool] = Field(default=None, description="""Whether the response carries a `Retry-After` header.""")

    @field_validator('status')
    def pattern_status(cls, v):
        pattern=re.compile(r"^[1-5][0-9][0-9]$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid status format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid status format: {v}"
            raise ValueError(err_msg)
        return v


class ApiConventions(ConfiguredBaseModel):
    """
    What every Perseus API shares (`spec/api/common.yaml`).
    """
    status_texts: list[ApiResponse] = Field(default=..., description="""The description of each status answered without a body or with a shared one.""")
    shared_parameters: list[ApiParameter] = Field(default=..., description="""Parameters several operations take (the period `from` and `to`).""")
    problem_responses: list[ApiResponse] = Field(default=..., description="""The error responses of releases that serve `Problem`: each answers `application/problem+json`, on every operation.""")
    scenario_header: ApiParameter = Field(default=..., description="""The request header with which a sandbox answers a state on demand; a parameter of every operation of releases that serve `Problem`.""")
    profiles: list[DocumentConventions] = Field(default=..., description="""What differs between the documents of the two release profiles.""")


class DocumentConventions(ConfiguredBaseModel):
    """
    How the OpenAPI documents of one release profile are written.
    """
    profile: ReleaseProfile = Field(default=..., description="""The release profile these conventions are for.""")
    title_pattern: str = Field(default=..., description="""The document title; `{api}` stands for the API's title and `{release}` for the release's title.""")
    security_scheme: str = Field(default=..., description="""The name of the mutual TLS security scheme, from which clients name their credentials.""")
    security_description: Optional[str] = Field(default=None, description="""What the security scheme asks of a client.""")
    server_default: str = Field(default=..., description="""The default of the `endpointURL` server variable.""")
    server_description: Optional[str] = Field(default=None, description="""The description of the `endpointURL` server variable, when the documents give one.""")
    tags: bool = Field(default=..., description="""Whether operations carry the API's tag.""")
    retry_after: HeaderDescription = Field(default=..., description="""The `Retry-After` header of a 202 response.""")
    retry_after_required: HeaderDescription = Field(default=..., description="""The `Retry-After` header of responses that must carry it (429 and 503).""")


class HeaderDescription(ConfiguredBaseModel):
    """
    A response header.
    """
    description: str = Field(default=..., description="""What the header says.""")
    required: bool = Field(default=..., description="""Whether the response always carries it.""")
    integer_or_string: bool = Field(default=..., description="""Whether the value's schema is \"a non-negative integer or a string\" (as the 2025-10-27 documents were approved) rather than a string.""")


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
ProvenanceStep.model_rebuild()
PermissionStep.model_rebuild()
PermissionScope.model_rebuild()
OriginStep.model_rebuild()
TransferStep.model_rebuild()
TransferParameters.model_rebuild()
ReceiptStep.model_rebuild()
ProcessStep.model_rebuild()
SchemeMetadata.model_rebuild()
MeteringPeriod.model_rebuild()
Assurance.model_rebuild()
DatasetDescription.model_rebuild()
ReportBinding.model_rebuild()
DataNotReady.model_rebuild()
ValidationError.model_rebuild()
HTTPValidationError.model_rebuild()
Problem.model_rebuild()
Heartbeat.model_rebuild()
ReleaseRegister.model_rebuild()
DataSpecRelease.model_rebuild()
StatusRegister.model_rebuild()
ArtefactStatusRecord.model_rebuild()
DecisionRecord.model_rebuild()
DecidedArtefact.model_rebuild()
Erratum.model_rebuild()
PinnedFile.model_rebuild()
Tally.model_rebuild()
PermissionText.model_rebuild()
PermissionSection.model_rebuild()
ClauseLibrary.model_rebuild()
SectionHeading.model_rebuild()
DataItemWording.model_rebuild()
Clause.model_rebuild()
FactorSet.model_rebuild()
FactorConfidence.model_rebuild()
EmissionFactor.model_rebuild()
CalorificValueDefault.model_rebuild()
CalorificValueDefaults.model_rebuild()
Methodology.model_rebuild()
MethodologyInput.model_rebuild()
Parameter.model_rebuild()
Step.model_rebuild()
Aggregation.model_rebuild()
Rounding.model_rebuild()
DataQualityRule.model_rebuild()
FactorSetRule.model_rebuild()
CalorificValueRule.model_rebuild()
SlaRegister.model_rebuild()
SlaTarget.model_rebuild()
ServiceStatus.model_rebuild()
StatusCount.model_rebuild()
LatencyPercentiles.model_rebuild()
EndpointStatus.model_rebuild()
ApiDescription.model_rebuild()
ApiTag.model_rebuild()
ApiOperation.model_rebuild()
ApiParameter.model_rebuild()
ApiResponse.model_rebuild()
ApiConventions.model_rebuild()
DocumentConventions.model_rebuild()
HeaderDescription.model_rebuild()
