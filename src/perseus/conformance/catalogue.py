"""The conformance cases as data: read from cases.yaml (the one place their requirements are written)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from perseus.yaml_loading import safe_load

LEVELS = ("MUST", "SHOULD")
ROLES = ("edp", "cap")
CASE_ID = re.compile(r"^(API|EDP|CAP)-\d{2}$")
FIELDS = ("id", "title", "level", "applies", "requirement", "source", "method")


class CatalogueError(ValueError):
    """cases.yaml breaks its own shape (named case and field)."""


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    level: str  # MUST or SHOULD
    applies: tuple[str, ...]  # edp, cap
    requirement: str
    source: str
    method: str

    @property
    def must(self) -> bool:
        return self.level == "MUST"


def _clean(text: str) -> str:
    return " ".join(str(text).split())


def parse(raw: dict, where: str = "cases.yaml") -> tuple[Case, ...]:
    if not isinstance(raw, dict) or not isinstance(raw.get("cases"), list):
        raise CatalogueError(f"{where}: expected a mapping with a `cases` list")
    found: list[Case] = []
    for index, item in enumerate(raw["cases"]):
        at = f"{where}: cases[{index}]" + (f" ({item.get('id')})" if isinstance(item, dict) and item.get("id") else "")
        if not isinstance(item, dict):
            raise CatalogueError(f"{at}: a case is a mapping")
        missing = [f for f in FIELDS if not item.get(f)]
        extra = sorted(set(item) - set(FIELDS))
        if missing or extra:
            raise CatalogueError(
                f"{at}: missing {', '.join(missing) or 'nothing'}; unknown {', '.join(extra) or 'nothing'}"
            )
        if not CASE_ID.match(str(item["id"])):
            raise CatalogueError(f"{at}: id must look like API-01, EDP-20 or CAP-03")
        if item["level"] not in LEVELS:
            raise CatalogueError(f"{at}: level must be one of {', '.join(LEVELS)}")
        applies = tuple(item["applies"]) if isinstance(item["applies"], list) else ()
        if not applies or any(a not in ROLES for a in applies):
            raise CatalogueError(f"{at}: applies must be a list of {', '.join(ROLES)}")
        if any(c.id == item["id"] for c in found):
            raise CatalogueError(f"{at}: id {item['id']} is used twice")
        found.append(
            Case(
                id=item["id"],
                title=_clean(item["title"]),
                level=item["level"],
                applies=applies,
                requirement=_clean(item["requirement"]),
                source=_clean(item["source"]),
                method=_clean(item["method"]),
            )
        )
    return tuple(found)


@lru_cache(maxsize=1)
def all_cases() -> tuple[Case, ...]:
    text = resources.files("perseus.conformance").joinpath("cases.yaml").read_text(encoding="utf-8")
    return parse(safe_load(text))


def cases_for(role: str) -> tuple[Case, ...]:
    return tuple(c for c in all_cases() if role in c.applies)


def case(case_id: str) -> Case:
    for found in all_cases():
        if found.id == case_id:
            return found
    raise KeyError(case_id)
