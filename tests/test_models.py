"""The generated Pydantic models read and write every valid example unchanged (wire keys included)."""

import pytest

from perseus import models
from perseus.examples import all_examples

VALID = [ex for ex in all_examples() if ex.valid_in]


@pytest.mark.parametrize("example", VALID, ids=[ex.name for ex in VALID])
def test_round_trip_through_the_models(example):
    model = getattr(models, example.cls).model_validate(example.load())
    assert model.model_dump(mode="json", by_alias=True, exclude_none=True) == example.load()


def test_wire_names_are_aliases():
    fields = models.Reading.model_fields
    assert fields["from_"].alias == "from"
    assert models.Provenance.model_fields["ib1_provenance"].alias == "ib1:provenance"


def test_methodology_documents_and_factor_sets_are_instances_of_the_generated_models():
    """The runtime reads them as checked dicts (CompiledMethodology, FactorSetData); the models describe them exactly."""
    from perseus.methodology.documents import all_methodologies
    from perseus.methodology.factors import factor_sets

    for m in all_methodologies():
        assert models.Methodology.model_validate(m.document).model_dump(mode="json", exclude_none=True) == m.document
    for factor_set in factor_sets().values():
        assert (
            models.FactorSet.model_validate(factor_set.metadata).model_dump(mode="json", exclude_none=True)
            == factor_set.metadata
        )
        for row in factor_set.table.to_dict(orient="records"):
            models.EmissionFactor.model_validate(row)
