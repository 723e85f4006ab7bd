"""The arithmetic of a vote: who could vote on a day, whether the quorum was met, what the
tally carries. `perseus governance record-vote` works the outcome out with it, and
`perseus governance check` holds every recorded decision to it."""

from __future__ import annotations

import math
from dataclasses import dataclass


def voting_members(members: list[dict], group: str, day: str) -> list[dict]:
    """The group's voting members on `day` (joined on or before it, not left before it)."""
    return [
        m
        for m in members
        if m["group"] == group
        and m["role"] == "voting"
        and m["joined"] <= day
        and (m.get("left") or "9999-12-31") >= day
    ]


@dataclass(frozen=True)
class Count:
    in_favour: int
    against: int
    abstentions: int
    electorate: int  # voting members on the day
    quorum: float  # share of the electorate that must vote

    @property
    def cast(self) -> int:
        return self.in_favour + self.against + self.abstentions

    @property
    def needed(self) -> int:
        """Votes (abstentions included) the quorum needs; at least one."""
        return max(1, math.ceil(self.quorum * self.electorate - 1e-9))

    @property
    def quorate(self) -> bool:
        return self.cast >= self.needed

    @property
    def carried(self) -> bool:
        return self.in_favour > self.against

    def outcome(self) -> str:
        """`approved` or `rejected`; a motion short of its quorum is `deferred`."""
        if not self.quorate:
            return "deferred"
        return "approved" if self.carried else "rejected"

    def words(self) -> str:
        return (
            f"{self.in_favour} for, {self.against} against, {self.abstentions} abstaining, "
            f"of {self.electorate} voting member(s); quorum {self.needed}"
        )


def count(tally: dict, electorate: int, quorum: float) -> Count:
    return Count(tally["in_favour"], tally["against"], tally["abstentions"], electorate, quorum)


def tally_of_votes(votes: list[dict]) -> dict:
    """The tally a list of named votes adds up to."""
    cast = [v["vote"] for v in votes]
    return {"in_favour": cast.count("for"), "against": cast.count("against"), "abstentions": cast.count("abstain")}
