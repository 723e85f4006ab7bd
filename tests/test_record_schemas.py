"""Records are checked through their models' generated JSON Schemas (generated/models/records/),
with exactly the messages LinkML's own validator gives, and never through a stale schema."""

import json
import shutil
import subprocess
import sys
from functools import cache

import pytest
import yaml

from perseus import records
from perseus.generators.record_schemas import RECORD_MODULES
from perseus.paths import GOVERNANCE, ROOT, SPEC, record_schema_path


def _real_records():
    yield "governance.yaml", "ArtefactRegister", yaml.safe_load((GOVERNANCE / "register.yaml").read_text())
    yield "governance.yaml", "ReleaseRegister", yaml.safe_load((GOVERNANCE / "releases.yaml").read_text())
    yield "governance.yaml", "MemberRegister", yaml.safe_load((GOVERNANCE / "members.yaml").read_text())
    for folder, cls in (("decisions", "DecisionRecord"), ("errata", "Erratum"), ("proposals", "Proposal")):
        for path in sorted((GOVERNANCE / folder).glob("*.yaml")):
            yield "governance.yaml", cls, yaml.safe_load(path.read_text())
    for path in sorted((GOVERNANCE / "manifests").glob("*.json")):
        yield "governance.yaml", "ReleaseManifest", json.loads(path.read_text())["manifest"]
    texts = ROOT / "permission-texts"
    yield "permission_text.yaml", "ClauseLibrary", yaml.safe_load((texts / "clauses.yaml").read_text())
    for path in sorted(texts.glob("*@*.yaml")):
        yield "permission_text.yaml", "PermissionText", yaml.safe_load(path.read_text())
    yield "api.yaml", "ApiConventions", yaml.safe_load((SPEC / "api" / "common.yaml").read_text())
    for path in sorted((SPEC / "api").glob("*.yaml")):
        if path.name != "common.yaml":
            yield "api.yaml", "ApiDescription", yaml.safe_load(path.read_text())


def _broken(data: dict):
    """The record as it is, and broken three ways: a key the model lacks, its first key left out,
    and its first key's value of the wrong type."""
    first = next(iter(data))
    yield data
    yield {**data, "not_in_the_model": 1}
    yield {k: v for k, v in data.items() if k != first}
    yield {**data, first: [{"wrong": "type"}]}


CASES = [(module, cls, variant) for module, cls, data in _real_records() for variant in _broken(data)]


@cache
def _linkml(module: str):
    from linkml.validator import Validator
    from linkml.validator.plugins import JsonschemaValidationPlugin

    return Validator(str(SPEC / module), validation_plugins=[JsonschemaValidationPlugin(closed=True)])


def test_every_record_module_has_a_schema():
    used = {module for module, _, _ in CASES}
    assert used == set(RECORD_MODULES)


@pytest.mark.parametrize(("module", "cls", "data"), CASES)
def test_messages_are_linkml_validators_own(module, cls, data):
    expected = [r.message.splitlines()[0] for r in _linkml(module).validate(data, cls).results]
    assert records.problems(data, cls, module) == expected


def test_the_broken_records_are_caught():
    caught = [bool(records.problems(data, cls, module)) for module, cls, data in CASES]
    assert caught.count(False) == len(CASES) // 4  # each record as it is passes; every broken copy fails


def test_a_schema_older_than_its_model_is_not_used(tmp_path, monkeypatch):
    """A model edited since generation: the committed schema (here altered to accept anything) is set aside."""
    shutil.copytree(SPEC, tmp_path / "spec")
    stale = tmp_path / record_schema_path("governance.yaml")
    stale.parent.mkdir(parents=True)
    schema = json.loads((ROOT / record_schema_path("governance.yaml")).read_text())
    schema["$defs"]["MemberRegister"] = {"type": "object", "properties": {"members": {}}}
    stale.write_text(json.dumps(schema))
    monkeypatch.setattr("perseus.paths.ROOT", tmp_path)
    monkeypatch.setattr("perseus.generators.record_schemas.ROOT", tmp_path)
    records._module_schema.cache_clear()
    records._validator.cache_clear()
    try:
        assert records.problems({"members": 1}, "MemberRegister", "governance.yaml") == []  # digests match: used
        (tmp_path / "spec" / "governance.yaml").write_text((SPEC / "governance.yaml").read_text() + "\n")
        records._module_schema.cache_clear()
        records._validator.cache_clear()
        assert records.problems({"members": 1}, "MemberRegister", "governance.yaml") != []
    finally:
        records._module_schema.cache_clear()
        records._validator.cache_clear()


def test_checking_a_record_does_not_load_linkml():
    code = (
        "import sys, yaml\n"
        "from perseus.paths import GOVERNANCE\n"
        "from perseus.records import problems\n"
        "assert problems(yaml.safe_load((GOVERNANCE / 'members.yaml').read_text()), 'MemberRegister', 'governance.yaml') == []\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'linkml'], 'LinkML was loaded'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
