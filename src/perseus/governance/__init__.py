"""Governance: the one register of status, decisions with their tallies and pins, errata,
proposals with frozen review packs, and signed release manifests (governance/PROCESS.md).

`register` is all the runtime needs (the status of an artefact) and imports YAML only;
the rest is build code: `records` reads and validates every record, `check` holds the
rules `perseus governance check` applies, `process` writes the records each step of the
process makes, `manifest` signs and verifies what is published, `changelog` writes
CHANGELOG.md.
"""
