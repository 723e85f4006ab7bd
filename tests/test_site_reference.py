"""The field reference on the site says what the published JSON Schemas and the LinkML models say,
field by field, for every release: patterns, allowed values, requirement, bounds, formats, added-in."""

import re
import shutil

import markdown
import pytest

from tests.reference_checks import class_page_problems, classes, enum_problems, reference_problems, releases

pytestmark = pytest.mark.slow  # every test here reads the built site


def test_every_release_every_class_every_field_matches_schema_and_model(built_site):
    assert len(releases()) >= 7
    assert sum(len(classes(r)) for r in releases()) >= 60
    assert reference_problems(built_site) == []


def test_an_escaped_pattern_is_caught(built_site, tmp_path):
    """The fault `cell()` used to make: `|` shown as `\\|`, so a copied pattern matches a backslash."""
    page = built_site / "specifications" / "consumption-data@2025-10-27" / "CalorificValue" / "index.html"
    broken = page.read_text().replace("^(EA|EM|", "^(EA\\|EM\\|", 1)
    assert broken != page.read_text()
    problems = class_page_problems("consumption-data@2025-10-27", "CalorificValue", broken)
    assert any("distributionZone: pattern shown '^(EA\\\\|EM\\\\|" in p for p in problems), problems


def test_an_added_in_date_from_the_wrong_element_is_caught(built_site, tmp_path):
    """A copy of the site whose CalorificValue.source says 2025-10-23 (the first-release fallback)."""
    copy = tmp_path / "site"
    shutil.copytree(built_site / "specifications", copy / "specifications")
    page = copy / "specifications" / "consumption-data@2025-10-27" / "CalorificValue" / "index.html"
    text = page.read_text()
    section = text.index('<h3 id="source">')
    head, tail = text[:section], text[section:]
    page.write_text(
        head + tail.replace("<dt>Added in</dt>\n<dd>2025-10-27</dd>", "<dt>Added in</dt>\n<dd>2025-10-23</dd>", 1)
    )
    problems = reference_problems(copy)
    assert problems == [  # both oracles see it: the label's JSON Schemas and the LinkML model
        "consumption-data@2025-10-27 CalorificValue.source: added in '2025-10-23', but the label's first schema "
        "with it is 2025-10-27",
        "consumption-data@2025-10-27 CalorificValue.source: added in 2025-10-23, before the LinkML date 2025-10-27 "
        "of the field or its class",
    ], problems


def test_the_old_added_in_rule_would_be_caught(monkeypatch):
    """Render a class page with the rule the site used to apply (own annotation, else the first release)."""
    from perseus.releases import get_release
    from perseus.site import reference, specifications
    from perseus.site.specifications import class_examples, class_page_text
    from perseus.spec_versions import FIRST_RELEASE

    ref = "emissions-data@2025-10-27"
    monkeypatch.setattr(reference, "added_in", lambda release, *key: FIRST_RELEASE)
    monkeypatch.setattr(specifications, "added_in", lambda release, *key: FIRST_RELEASE)
    source = class_page_text(get_release(ref), "DatasetUse", class_examples(ref))
    page = markdown.markdown(
        source.split("---\n", 2)[-1],
        extensions=["attr_list", "def_list", "tables", "md_in_html", "toc", "pymdownx.superfences"],
    )
    problems = class_page_problems(ref, "DatasetUse", page)
    assert any("DatasetUse: class added in '2025-10-23'" in p for p in problems), problems
    assert sum("added in '2025-10-23'" in p for p in problems) >= 8  # every field of DatasetUse


def test_enumeration_tables_are_checked(built_site):
    page = (built_site / "specifications" / "consumption-data@2025-10-27" / "index.html").read_text()
    assert enum_problems("consumption-data@2025-10-27", page) == []
    broken = re.sub(r"(<td><code>MTQ</code></td>\s*<td>.*?</td>\s*<td>)2025-10-27", r"\g<1>2025-10-23", page, count=1)
    assert broken != page
    assert any(
        "EnergyUnitCode.MTQ: added in '2025-10-23'" in p for p in enum_problems("consumption-data@2025-10-27", broken)
    )
