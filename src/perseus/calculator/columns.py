"""Named numpy columns of equal length: the tables the calculation core passes from step to step.

Why not a pandas DataFrame: importing pandas takes about a third of `perseus calculate` on one
meter-year (0.25 s of 0.8 s, benchmarks/bench_meter_year.py), and the core needs none of what
pandas adds over numpy here (the columns are built once, read whole, and never joined by index).
`to_pandas` gives a DataFrame to the readers that want one (the site, review packs, tests).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Columns:
    data: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        lengths = {len(v) for v in self.data.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of different lengths: {sorted(lengths)}")

    def __getitem__(self, name: str) -> np.ndarray:
        return self.data[name]

    def __setitem__(self, name: str, values) -> None:
        values = np.asarray(values) if not isinstance(values, np.ndarray) else values
        if self.data and len(values) != len(self):
            raise ValueError(f"column {name} has {len(values)} values for {len(self)} rows")
        self.data[name] = values

    def __contains__(self, name: object) -> bool:
        return name in self.data

    def __len__(self) -> int:
        return len(next(iter(self.data.values()))) if self.data else 0

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    @property
    def columns(self) -> list[str]:
        return list(self.data)

    @property
    def empty(self) -> bool:
        return len(self) == 0

    def take(self, rows: np.ndarray) -> Columns:
        """The rows at these positions (or where this boolean mask holds), in that order."""
        return Columns({name: values[rows] for name, values in self.data.items()})

    def to_pandas(self):
        import pandas as pd  # only for the readers that ask for a DataFrame

        return pd.DataFrame(self.data)

    @classmethod
    def of(cls, frame) -> Columns:
        """The columns of a DataFrame (or of any mapping of names to sequences)."""
        if isinstance(frame, Columns):
            return frame
        if isinstance(frame, Mapping):
            return cls({name: np.asarray(values) for name, values in frame.items()})
        return cls({name: frame[name].to_numpy() for name in frame.columns})

    @classmethod
    def concat(cls, parts: list[Columns]) -> Columns:
        """The rows of each part in turn; every part has the same columns."""
        if not parts:
            return cls()
        names = parts[0].columns
        return cls({name: np.concatenate([p[name] for p in parts]) for name in names})
