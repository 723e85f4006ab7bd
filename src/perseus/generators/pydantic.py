"""Pydantic models of the whole root schema (every version's elements), used by the code."""

from __future__ import annotations

from linkml.generators.pydanticgen import PydanticGenerator

from perseus.spec_versions import merged_root


def pydantic_models() -> str:
    # metadata_mode=None keeps the source path out of the output, so it is the same on every machine.
    return PydanticGenerator(merged_root(), metadata_mode=None).serialize()
