"""Where the repository's sources and generated files live."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec"
SPEC_ROOT = SPEC / "perseus.yaml"
EXAMPLES = SPEC / "examples"
GOVERNANCE = ROOT / "governance"
GENERATED = ROOT / "generated"
METHODOLOGIES = ROOT / "methodologies"
FACTORS = ROOT / "factors"
DOCS = ROOT / "docs"

# Generated files the runtime reads, relative to ROOT (their generators write the same paths).
METHODOLOGY_SCHEMA = "generated/models/methodology-and-factors.schema.json"
