"""Permission texts: the registry's labels and dates and content items, one source of wording,
gas versions differ only by "and gas", placeholders filled for named parties, generated files current."""

from __future__ import annotations

import shutil

import pytest
import yaml

from perseus.paths import ROOT
from perseus.permission_texts import (
    PERMISSION_TEXTS,
    TOKEN,
    PermissionTextError,
    UnfilledPlaceholder,
    fill_parties,
    load_library,
    load_text,
    load_text_with_status,
    placeholder_tokens,
    render,
    rendered_files,
    text_refs,
)
from perseus.records import RecordInvalid
from perseus.review.pack import review

VARIANTS = ("edp-cap", "cap-fsp", "edp-cap-fsp")  # this project's first texts, withdrawn but kept as pinned
# The registry's permission texts (icebreakerone/registry, registry/core/registry/scheme/perseus/files/permission-text/).
REGISTRY_TEXTS = {
    "emissions-report@2024-10-20": ("cap-fsp", ["electricity"]),
    "energy-consumption-data@2024-12-05": ("edp-cap", ["electricity"]),
    "emissions-report@2025-10-23": ("cap-fsp", ["electricity"]),
    "energy-consumption-edp-cap@2026-03-12": ("edp-cap", ["electricity", "gas"]),
    "emissions-cap-fsp@2026-03-12": ("cap-fsp", ["electricity", "gas"]),
    "energy-consumption-emissions-edp-cap-fsp@2026-03-12": ("edp-cap-fsp", ["electricity", "gas"]),
}
GAS_TEXTS = [ref for ref, (_, energy) in REGISTRY_TEXTS.items() if "gas" in energy]
SMART_ENERGY_CODE = "https://smartenergycodecompany.co.uk"
INFORMATION_PROVISION = "https://registry.core.trust.ib1.org/scheme/perseus/policy/information-provision/2026-03-12"
PARTIES = {
    "CAP": "Carbon Counters Ltd",
    "EDP": "Meter Data Co",
    "FSP": "Greenfield Bank",
    "EDP privacy policy link": "https://meterdata.example/privacy",
    "CAP process": "use the Disconnect button on your Carbon Counters dashboard",
}


def test_the_texts_in_force_are_the_registrys_labels_and_dates():
    from perseus.governance.register import entries

    register = entries()
    current = {ref for ref in text_refs() if register[ref]["status"] != "withdrawn"}
    assert current == set(REGISTRY_TEXTS)
    for ref, (variant, energy) in REGISTRY_TEXTS.items():
        text = load_text(ref)
        assert (text["variant"], text["energy_types"]) == (variant, energy), ref
    withdrawn = set(text_refs()) - current
    assert withdrawn == {f"{v}@{d}" for v in VARIANTS for d in ("2025-10-23", "2025-10-27")}
    for ref in withdrawn:  # each says why, and the approved ones name the erratum that withdrew them
        assert register[ref]["note"]
        if register[ref].get("approved"):
            assert register[ref]["withdrawn_by"] == "2026-12-01-permission-texts"


@pytest.mark.parametrize("ref", GAS_TEXTS)
def test_a_gas_text_differs_from_its_electricity_wording_only_by_and_gas_tariff_included(ref, tmp_path):
    source = _copy_texts(tmp_path)
    electricity = f"{ref.split('@')[0]}@2000-01-01"
    text = yaml.safe_load((source / f"{ref}.yaml").read_text()) | {
        "version": "2000-01-01",
        "energy_types": ["electricity"],
    }
    (source / f"{electricity}.yaml").write_text(yaml.safe_dump(text))
    pack = review(electricity, ref, root=tmp_path)
    assert [(w.op, w.old, w.new) for w in pack.words] == [("insert", "", "and gas"), ("insert", "", "and gas")]
    lines = render(ref).body_lines()
    assert [lines[w.line - 1] for w in pack.words] == [
        "- your electricity and gas consumption, as recorded every 30 minutes",
        "- your electricity and gas tariff details",
    ]
    assert {w.where for w in pack.words} == {"section 1. What you are asked to share"}


def test_the_registrys_content_items_are_in_the_2026_texts():
    texts = {ref: render(ref).txt() for ref in GAS_TEXTS}
    for ref, text in texts.items():
        assert "your electricity and gas tariff details" in text, ref
        assert SMART_ENERGY_CODE in text and "[EDP privacy policy link]" in text, ref
        assert INFORMATION_PROVISION in text, ref
        assert "[CAP] and your financial service provider stop processing your data" in text, (
            ref
        )  # not "stays with whoever"
        assert (
            "may decline to consider you for green finance" in text
            and "cannot give you personalised recommendations" in text
        )
        assert "stays with whoever received it" not in text and "will not share" not in text
    # EDP→CAP: shared with the FSP(s) the SME chooses; the combined text names the FSP.
    assert (
        "with the financial service provider or providers you choose" in texts["energy-consumption-edp-cap@2026-03-12"]
    )
    assert (
        "[CAP] will share your emissions data with [FSP]"
        in texts["energy-consumption-emissions-edp-cap-fsp@2026-03-12"]
    )
    # CAP→FSP: the CAP asks, reminding of the data items and the smart-meter service, then asks on behalf of the FSP.
    cap_fsp = texts["emissions-cap-fsp@2026-03-12"]
    assert cap_fsp.index("As a reminder, [CAP] needs your permission") < cap_fsp.index(
        "your electricity and gas consumption"
    )
    assert cap_fsp.index("Smart Energy Code") < cap_fsp.index("on behalf of [FSP]")
    assert "[FSP] asks" not in cap_fsp


def test_every_variant_has_an_electricity_only_and_a_gas_version():
    for variant in VARIANTS:
        assert load_text(f"{variant}@2025-10-23")["energy_types"] == ["electricity"]
        assert load_text(f"{variant}@2025-10-27")["energy_types"] == ["electricity", "gas"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_gas_version_differs_only_by_and_gas_in_the_data_items(variant):
    pack = review(f"{variant}@2025-10-23", f"{variant}@2025-10-27")
    assert [(w.op, w.old, w.new) for w in pack.words] == [("insert", "", "and gas")]
    assert [(c.change, c.name, c.old, c.new) for c in pack.changes] == [
        ("changed", "energy_types", ["electricity"], ["electricity", "gas"])
    ]
    # The insertion sits in the data items: the bullet list of section 1.
    lines = render(f"{variant}@2025-10-27").body_lines()
    changed = lines[pack.words[0].line - 1]
    section_two = next(i for i, line in enumerate(lines) if line.startswith("2. "))
    assert pack.words[0].line - 1 < section_two and changed.startswith("- ")
    assert pack.words[0].where == "section 1. What you are asked to share"
    assert "electricity {+and gas+} consumption" in pack.markdown()


@pytest.mark.parametrize("ref", text_refs())
def test_filled_text_has_no_placeholder_left(ref):
    for rendered in (render(ref).txt(), render(ref).md()):
        used = {f"[{t}]" for t in TOKEN.findall(rendered)}
        assert used, "every text names at least one party"
        needed = {k: v for k, v in PARTIES.items() if f"[{k}]" in used}
        filled = fill_parties(rendered, needed)
        assert TOKEN.findall(filled) == []
        assert all(value in filled for value in needed.values())


def test_filling_refuses_a_missing_empty_or_unknown_party():
    rendered = render("edp-cap-fsp@2025-10-27").txt()
    partial = {k: v for k, v in PARTIES.items() if k != "EDP privacy policy link"}
    with pytest.raises(UnfilledPlaceholder, match=r"\[EDP privacy policy link\]"):
        fill_parties(rendered, partial)
    with pytest.raises(UnfilledPlaceholder, match=r"empty value for \[FSP\]"):
        fill_parties(rendered, PARTIES | {"FSP": "  "})
    with pytest.raises(UnfilledPlaceholder, match="unknown party placeholder 'SME'"):
        fill_parties(rendered, PARTIES | {"SME": "Acme"})


def test_party_values_are_not_rescanned_for_placeholders():
    filled = fill_parties("[CAP] and [FSP]", {"CAP": "Name with [FSP] in it", "FSP": "Bank"})
    assert filled == "Name with [FSP] in it and Bank"


def test_placeholders_can_be_named_by_code_or_words():
    tokens = placeholder_tokens()
    assert tokens["EDP-privacy-policy-link"] == "[EDP privacy policy link]"
    assert fill_parties("see [CAP process]", {"CAP-process": "x"}) == fill_parties(
        "see [CAP process]", {"CAP process": "x"}
    )


def _copy_texts(tmp_path):
    target = tmp_path / "permission-texts"
    shutil.copytree(PERMISSION_TEXTS, target)
    return target


def test_common_clauses_come_from_the_library_only(tmp_path):
    # Text files hold no wording: the closed LinkML model refuses a clause written inline.
    source = _copy_texts(tmp_path)
    text = yaml.safe_load((source / "edp-cap@2025-10-27.yaml").read_text())
    text["sections"][0]["text"] = "Some wording written in the text itself"
    (source / "edp-cap@2025-10-27.yaml").write_text(yaml.safe_dump(text))
    with pytest.raises(RecordInvalid, match="(?s)edp-cap@2025-10-27.yaml.*'text' was unexpected.*/sections/0"):
        load_text("edp-cap@2025-10-27", source)


def test_one_library_edit_reaches_every_variant_and_version(tmp_path):
    source = _copy_texts(tmp_path)
    library = yaml.safe_load((source / "clauses.yaml").read_text())
    clause = next(c for c in library["clauses"] if c["id"] == "expiry-one-year")
    clause["text"] = "This permission ends after twelve months."
    (source / "clauses.yaml").write_text(yaml.safe_dump(library))
    with_expiry = [
        ref for ref in text_refs(source) if any(s["kind"] == "expiry" for s in load_text(ref, source)["sections"])
    ]
    assert len(with_expiry) == 9  # the pilot texts of 2024 and 2025-10-23 have no expiry section, as in the registry
    for ref in with_expiry:
        assert "ends after twelve months" in render(ref, source).txt()
        assert "one year after you give it" not in render(ref, source).txt()


def test_a_clause_id_is_defined_once(tmp_path):
    source = _copy_texts(tmp_path)
    library = yaml.safe_load((source / "clauses.yaml").read_text())
    library["clauses"].append({"id": "expiry-one-year", "text": "A second wording"})
    (source / "clauses.yaml").write_text(yaml.safe_dump(library))
    with pytest.raises(RecordInvalid, match=r"/clauses/\d+: id 'expiry-one-year' is defined twice"):
        load_library(source)


def test_every_library_wording_is_used_by_some_text():
    library = load_library()
    used = {c for ref in text_refs() for s in load_text(ref)["sections"] for c in s["clauses"]}
    assert set(library["clauses"]) == used


def test_an_unknown_clause_or_wrong_placeholder_list_is_refused(tmp_path):
    source = _copy_texts(tmp_path)
    path = source / "cap-fsp@2025-10-27.yaml"
    text = yaml.safe_load(path.read_text())
    text["sections"][0]["clauses"] = ["no-such-clause"]
    path.write_text(yaml.safe_dump(text))
    with pytest.raises(PermissionTextError, match=r"/sections/0/clauses/0: clause 'no-such-clause'"):
        render("cap-fsp@2025-10-27", source)
    text = yaml.safe_load((PERMISSION_TEXTS / "cap-fsp@2025-10-27.yaml").read_text())
    text["placeholders"] = ["CAP", "FSP"]
    path.write_text(yaml.safe_dump(text))
    with pytest.raises(PermissionTextError, match=r"uses .*\[CAP process\]"):
        render("cap-fsp@2025-10-27", source)


def test_generated_permission_texts_are_current():
    for rel, text in rendered_files().items():
        assert (ROOT / rel).read_text() == text, f"{rel} is stale: run `perseus generate`"
    held = {str(p.relative_to(ROOT)) for p in (ROOT / "generated/permission-text").iterdir()}
    assert held == set(rendered_files())


def test_texts_take_their_status_from_the_governance_register():
    for variant in VARIANTS:
        assert load_text_with_status(f"{variant}@2025-10-23")["status"] == "withdrawn"
        assert load_text_with_status(f"{variant}@2025-10-27")["status"] == "withdrawn"
    assert load_text_with_status("energy-consumption-edp-cap@2026-03-12")["status"] == "deployed"
    assert "status" not in load_text("edp-cap@2025-10-27")  # never written in the text's own file
