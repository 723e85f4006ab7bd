"""Where Perseus finds its sources and generated files.

In a source checkout (the repository, installed editable by `make install`) they are the
repository's own folders. A built wheel carries the folders the commands read (spec/,
generated/, methodologies/, factors/, governance/, permission-texts/) as package data
under `perseus/data/`, in the same layout, found with importlib.resources. Either way
`ROOT` is the folder that holds them, so every other path is `ROOT / <the repository path>`.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

# The folders a wheel ships under perseus/data/ (pyproject.toml force-includes the same list).
DATA_FOLDERS = ("spec", "generated", "methodologies", "factors", "governance", "permission-texts")


class DataMissing(RuntimeError):
    """Neither a source checkout nor the package's data: a broken or partial installation."""


def _checkout() -> Path | None:
    """The repository this module runs from, when it runs from one (src/perseus/paths.py)."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "spec" / "perseus.yaml").is_file() else None


def _package_data() -> Path | None:
    shipped = files("perseus") / "data"
    # A package unpacked on disk gives a Path; a zipped one cannot hand out folders to read.
    return shipped if isinstance(shipped, Path) and (shipped / "spec" / "perseus.yaml").is_file() else None


# A source checkout, or None when running from an installed wheel; the build-time commands
# (`perseus generate`, the site) write into it and need it.
CHECKOUT = _checkout()
_FOUND = CHECKOUT or _package_data()
ROOT = _FOUND or Path(str(files("perseus"))) / "data"

SPEC = ROOT / "spec"
SPEC_ROOT = SPEC / "perseus.yaml"
EXAMPLES = SPEC / "examples"
GOVERNANCE = ROOT / "governance"
GENERATED = ROOT / "generated"
METHODOLOGIES = ROOT / "methodologies"
FACTORS = ROOT / "factors"
DOCS = ROOT / "docs"

# Generated files the runtime reads, relative to ROOT (their generators write the same paths).
SANDBOX_OPENAPI = "generated/sandbox/openapi.json"
METHODOLOGY_SCHEMA = "generated/models/methodology-and-factors.schema.json"


def record_schema_path(module: str) -> str:
    """The generated JSON Schema of a record model, spec/`module` (perseus.records reads it)."""
    return f"generated/models/records/{module.removesuffix('.yaml')}.schema.json"


def require_data() -> Path:
    """ROOT, or a clear error naming both places looked in."""
    if _FOUND is None:
        raise DataMissing(
            f"perseus cannot find its data: no source checkout at {Path(__file__).resolve().parents[2]} "
            f"(with spec/perseus.yaml) and no package data at {ROOT}; reinstall the package "
            "(the wheel carries spec/, generated/, methodologies/ and factors/) or run from the repository"
        )
    return ROOT


def require_checkout(command: str) -> Path:
    """The source checkout, for commands that write into the repository; a clear error otherwise."""
    if CHECKOUT is None:
        raise DataMissing(
            f"{command} works on a source checkout of the repository (it writes generated/ and "
            f"src/perseus/models.py); this perseus runs from an installed package ({ROOT})"
        )
    return CHECKOUT
