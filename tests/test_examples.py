"""Every example payload is valid or invalid exactly where the index says, for every validator."""

import json
import tempfile
from functools import lru_cache
from pathlib import Path

import jsonschema
import jsonschema_rs
import pytest
from linkml.validator import Validator
from linkml.validator.plugins import JsonschemaValidationPlugin

from perseus.examples import all_examples
from perseus.releases import all_releases, get_release
from perseus.spec_versions import cut_schema
from perseus.validation import class_schema, json_path, load_release_schema, validate_payload

CASES = [
    (ex, ref, ex.cls in get_release(ref).payloads and ref in ex.valid_in)
    for ex in all_examples()
    for ref in (*ex.valid_in, *ex.invalid_in)
]


def case_id(case):
    example, ref, _ = case
    return f"{example.path.parent.name}/{example.name}@{ref.split('@')[0]}-{ref.split('@')[1]}"


@lru_cache
def python_validator(ref: str, cls: str):
    schema = class_schema(load_release_schema(ref), cls)
    return jsonschema.Draft201909Validator(schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)


@lru_cache
def linkml_validator(ref: str, cls: str):
    # LinkML's own JSON Schema translation cannot express the recursive provenance
    # step containers (linkml:Any excludes arrays), so its plugin is given the
    # published schema of the release, cut from the same LinkML model, narrowed to the
    # class (the plugin checks a file's root, and the root accepts any payload class).
    path = Path(tempfile.mkdtemp()) / f"{ref}-{cls}.schema.json"
    path.write_text(json.dumps(class_schema(load_release_schema(ref), cls)))
    return Validator(
        cut_schema(get_release(ref)),
        validation_plugins=[JsonschemaValidationPlugin(closed=True, json_schema_path=str(path))],
    )


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_example_against_every_validator(case):
    example, ref, expect_valid = case
    payload = example.load()
    python_errors = list(python_validator(ref, example.cls).iter_errors(payload))
    rust_errors = list(
        jsonschema_rs.validator_for(
            class_schema(load_release_schema(ref), example.cls), validate_formats=True
        ).iter_errors(payload)
    )
    linkml_report = linkml_validator(ref, example.cls).validate(payload, example.cls)
    if expect_valid:
        assert python_errors == [], [e.message for e in python_errors]
        assert rust_errors == []
        assert linkml_report.results == []
    else:
        assert python_errors, "jsonschema accepted an invalid example"
        assert rust_errors, "jsonschema-rs accepted an invalid example"
        assert linkml_report.results, "the LinkML validator accepted an invalid example"


INVALID = [ex for ex in all_examples() if ex.fault_path]


@pytest.mark.parametrize("example", INVALID, ids=[ex.name for ex in INVALID])
def test_invalid_example_is_refused_for_its_named_fault_only(example):
    for ref in example.invalid_in:
        problems = validate_payload(load_release_schema(ref), example.cls, example.load())
        assert {(p.path, p.rule) for p in problems} == {(example.fault_path, example.fault_rule)}, [
            str(p) for p in problems
        ]
        python_paths = {
            json_path(e.absolute_path) for e in python_validator(ref, example.cls).iter_errors(example.load())
        }
        assert example.fault_path in python_paths


def test_every_payload_of_every_release_has_a_valid_example():
    for release in all_releases():
        covered = {ex.cls for ex in all_examples() if release.ref in ex.valid_in}
        assert set(release.payloads) <= covered, (release.ref, set(release.payloads) - covered)


def test_every_example_file_is_indexed():
    from perseus.paths import EXAMPLES

    on_disk = {p for p in EXAMPLES.rglob("*.json")}
    assert on_disk == {ex.path for ex in all_examples()}


def test_cubic_metres_on_electricity_is_explained_by_the_rule():
    example = next(ex for ex in all_examples() if ex.name == "MeterData-cubic-metres-on-electricity")
    (problem,) = validate_payload(load_release_schema("consumption-data@2025-10-27"), "MeterData", example.load())
    assert "MTQ" in problem.message and "volume unit (MTQ) is refused" in problem.explanation


def test_examples_are_stored_as_formatted_json():
    for ex in all_examples():
        assert ex.path.read_text() == json.dumps(ex.load(), indent=2) + "\n", ex.path
