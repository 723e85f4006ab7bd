"""The service level targets (governance/sla.yaml, an SlaRegister of spec/sla.yaml)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from perseus.paths import GOVERNANCE
from perseus.yaml_loading import safe_load

SLA_FILE = GOVERNANCE / "sla.yaml"


class SlaInvalid(ValueError):
    pass


@lru_cache(maxsize=4)
def load_sla(path: Path = SLA_FILE):
    """The register as the generated Pydantic model; a bad file is named with the field and rule."""
    from pydantic import ValidationError

    from perseus.models import SlaRegister

    try:
        return SlaRegister.model_validate(safe_load(path.read_text()))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"])
        raise SlaInvalid(f"{path}: invalid SlaRegister at /{where}: {first['msg']}") from exc


def published_sla(path: Path = SLA_FILE) -> tuple[str, dict]:
    """The path under the repository and the JSON body of the published targets: the register as
    written (`perseus generate` writes the Pydantic models too, so it cannot rely on them here;
    tests/test_sla.py validates the register against the LinkML model)."""
    register = safe_load(path.read_text())
    return f"generated/sla/{register['label']}@{register['version']}.json", register
