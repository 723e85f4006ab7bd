"""The committed JSON Schema of the methodology and factor models is what `perseus generate` writes."""

from perseus.generators.methodology_schema import PATH
from perseus.generators.run import make_generated_files as generated_files
from perseus.paths import ROOT


def test_methodology_schema_is_up_to_date():
    assert (ROOT / PATH).read_text() == generated_files()[PATH], "run `perseus generate` and commit"
