"""The unsigned record `perseus calculate` writes when it is not asked to sign (no --sign).

ib1-provenance encodes a record only while signing it, so this is the closest honest
unsigned form: the steps encoded exactly as the library encodes them, the energy data
provider's record nested as received (verified first when --trust-anchor is given), and
no signature block of the calculator's own. `perseus calculate --sign` replaces it with
the signed record of build.py.
"""

from __future__ import annotations

from perseus.calculator.instants import HALF_HOUR_NS, z
from perseus.provenance.ids import DerivedIds
from perseus.provenance.steps import decode_step, encode_step
from perseus.provenance.vocabulary import METER, PRODUCTION, by_trust_framework, dataset_source_type


class UnsignedRecord(DerivedIds):
    """A Record that can show its pending steps without a signature (in the library's own step encoding);
    its step ids are derived from its contents (perseus.provenance.ids)."""

    def unsigned(self, nested: list[list]) -> dict:
        steps: list = list(nested)
        steps += [encode_step(step) for step in self._additional_steps]
        origins: list[str] = []
        gather_origins(nested, origins)  # the nested records' origins, then this record's own, in the order of `steps`
        origins += [step["id"] for step in self._additional_steps if step["type"] == "origin"]
        return {"ib1:provenance": self.trust_framework, "origins": origins, "steps": steps}


def gather_origins(container: list, origins: list[str]) -> None:
    """The ids of origin steps in a container, nested ones included, signature blocks skipped."""
    for item in container:
        if isinstance(item, str):
            try:
                step = decode_step(item)
            except ValueError:
                continue
            if step.get("type") == "origin":
                origins.append(step["id"])
        elif isinstance(item, list) and not (item and item[0] == 0):
            gather_origins(item, origins)


def received_container(provenance: dict | None) -> list | None:
    """The data provider's record, to nest as received: one of a known trust framework whose steps decode to origins."""
    if (
        not provenance
        or not by_trust_framework(provenance.get("ib1:provenance"))
        or not isinstance(provenance.get("steps"), list)
    ):
        return None
    found: list[str] = []
    gather_origins(provenance["steps"], found)
    return provenance["steps"] if found else None


def dataset_step(dataset: dict, energy_type: str, timestamp: str, env=PRODUCTION) -> dict:
    """The origin step of a dataset named in a report's `sources`, as every record of this project writes it."""
    return {
        "type": "origin",
        "timestamp": timestamp,
        "scheme": env.scheme,
        "sourceType": env.source_type(dataset_source_type(dataset["role"], energy_type)),
        "origin": dataset["url"],
        "originLicense": dataset["licence"],
        "external": True,
        "perseus:dataset": {k: dataset[k] for k in DATASET_KEYS if k in dataset},
    }


DATASET_KEYS = ("role", "publisher", "title", "version", "months", "substitutedFor")


def build(taken_at: str, consumption, intensity, results, zone_values=None) -> dict:
    """The calculator's unsigned record: an origin per consumption file, one per dataset, a process per methodology."""
    received = [
        (item, container) for item in consumption if (container := received_container(item.provenance)) is not None
    ]
    # received_container() keeps only records of a known trust framework
    env = (by_trust_framework(received[0][0].provenance["ib1:provenance"]) if received else None) or PRODUCTION
    record = UnsignedRecord(env.trust_framework)
    nested = [container for item, container in received if item.provenance["ib1:provenance"] == env.trust_framework]
    file_steps = {}
    for item in consumption:
        starts = item.columns["from"]  # ns since 1970
        period = {"from": z(int(starts.min())), "to": z(int(starts.max()) + HALF_HOUR_NS)} if len(starts) else {}
        scheme = {"meteringPeriod": period}
        if item.outcode:
            scheme["postcode"] = item.outcode
        file_steps[str(item.path)] = record.add_step(
            {
                "type": "origin",
                "timestamp": taken_at,
                "scheme": env.scheme,
                "sourceType": env.source_type(METER),
                "perseus:file": {"name": item.path.name, "sha256": item.sha256},
                "perseus:scheme": scheme,
            }
        )
    for result in results:
        energy_type = result.methodology.energy_type
        inputs = [file_steps[f] for f in sorted(set(result.files))]
        for dataset in result.datasets:
            step = dataset_step(dataset, energy_type, taken_at, env)
            if intensity is not None and dataset["role"] == "grid-intensity":
                step["perseus:file"] = {"name": intensity.path.name, "sha256": intensity.sha256}
            if zone_values is not None and dataset["role"] == "calorific-values":
                step["perseus:file"] = {"name": zone_values.path.name, "sha256": zone_values.sha256}
            inputs.append(record.add_step(step))
        record.add_step(
            {
                "type": "process",
                "timestamp": taken_at,
                "scheme": env.scheme,
                "process": result.methodology.uri,
                "perseus:methodology": result.methodology.ref,
                "perseus:energyType": energy_type,
                "inputs": inputs,
            }
        )
    return record.unsigned(nested)
