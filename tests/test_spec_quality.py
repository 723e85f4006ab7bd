"""The LinkML modules read like a specification: everything described, units real, versions consistent."""

import yaml
from linkml_runtime import SchemaView

from perseus.paths import SPEC, SPEC_ROOT
from perseus.releases import all_releases
from perseus.spec_versions import FIRST_RELEASE, added_in

VIEW = SchemaView(str(SPEC_ROOT))
OWN = [e for e in VIEW.all_elements().values() if not str(e.from_schema).startswith("https://w3id.org/linkml")]
UNECE = {"KWH", "WHR", "MTQ", "KGM"}  # UN/CEFACT Recommendation 20 codes the models use


def test_every_class_slot_enum_and_type_is_described():
    undescribed = [e.name for e in OWN if not e.description]
    for cls in VIEW.all_classes().values():
        undescribed += [f"{cls.name}.{a}" for a, s in cls.attributes.items() if not s.description]
    assert undescribed == []


def test_every_enum_value_is_described():
    missing = [
        f"{e.name}.{v}"
        for e in VIEW.all_enums().values()
        for v, pv in e.permissible_values.items()
        if not pv.description
    ]
    assert missing == []


def test_unit_codes_are_un_cefact_codes_with_meanings():
    for enum in VIEW.all_enums().values():
        if enum.name.endswith("UnitCode"):
            for code, pv in enum.permissible_values.items():
                assert code in UNECE, code
                assert pv.meaning == f"unece:{code}"


def test_added_in_names_a_release_date():
    dates = {r.version for r in all_releases()}
    elements = list(OWN)
    for enum in VIEW.all_enums().values():
        elements += list(enum.permissible_values.values())
    for cls in VIEW.all_classes().values():
        elements += list(cls.attributes.values()) + list(cls.rules or [])
    for element in elements:
        assert added_in(element) in dates | {FIRST_RELEASE}, element


def test_one_root_imports_every_module():
    root = yaml.safe_load(SPEC_ROOT.read_text())
    modules = {p.stem for p in SPEC.glob("*.yaml")} - {"perseus"}
    assert modules <= set(root["imports"]), modules - set(root["imports"])
