"""The scheme's words the code needs, read from the model (spec/, through its generated JSON Schema), never typed again."""

from __future__ import annotations

from perseus.methodology.model_schema import enum_values, pattern_alternatives

ENERGY_TYPES = enum_values("EnergyType")  # electricity, gas
ENERGY_UNITS = enum_values("EnergyUnitCode")  # KWH, WHR, MTQ
EMISSIONS_UNITS = enum_values("EmissionsUnitCode")  # KGM
MISSING_DATA = enum_values("MissingData")  # Complete, Missing, Substituted
CALORIFIC_ORIGINS = enum_values("CalorificValueOrigin")  # data, distribution-zone-daily, caller, methodology-default
DISTRIBUTION_ZONES = pattern_alternatives("CalorificValueDefault", "distributionZone")  # the 13 gas LDZ codes, EA .. WS
RULE_CODES = enum_values("DataQualityRuleCode")
