"""Provenance records, with the scheme's library ib1-provenance. Every provenance concept lives here:

- `vocabulary`: environments, trust frameworks, role, assurance, source-type and process URIs, instants.
- `sign_report` (build.py): the CAP's record of a report, nesting EDP records it verified.
- `inbound`: the records consumption arrives with, verified against a trust anchor.
- `verify_report` (verify.py): chain, signatures, roles, dates, origins and the report's sources.
- `sign_meter_data` (edp.py): an EDP's record for consumption data, as the demo EDP writes it.
- `unsigned`: the calculator's record when it does not sign; `synthetic`: synthetic data's record.
- `keys`: local CAs per environment and certmaker-shaped member signing certificates.
- `model`: the JSON Schema of decoded steps; `drawing.render_record_png`: a picture of a record.
"""

from perseus.provenance.vocabulary import TRUST_FRAMEWORK

__all__ = ["TRUST_FRAMEWORK", "sign_report", "verify_report", "sign_meter_data"]


def __getattr__(name):  # keep `import perseus.provenance` light (the CLI imports it to register options)
    if name == "sign_report":
        from perseus.provenance.build import sign_report

        return sign_report
    if name == "verify_report":
        from perseus.provenance.verify import verify_report

        return verify_report
    if name == "sign_meter_data":
        from perseus.provenance.edp import sign_meter_data

        return sign_meter_data
    raise AttributeError(name)
