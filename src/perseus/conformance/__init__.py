"""The conformance suite: numbered cases that test a server (an energy data provider's consumption-data
API, a carbon accounting provider's emissions-data API) against the specification.

Not to be confused with tests/conformance/, the reference calculator's numbered cases. The cases and
their requirements are data (cases.yaml); each has one check function (registry.CHECKS). Run it with
`perseus conformance edp|cap URL --release LABEL@DATE`.
"""
