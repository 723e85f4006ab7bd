"""Word-level differences between two texts, written the way `wdiff` writes them:
`electricity {+and gas+} consumption`, `[-old words-]`."""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass

CONTEXT_WORDS = 3
NEWLINE = "\n"


@dataclass(frozen=True)
class WordChange:
    op: str  # insert | delete | replace
    old: str
    new: str
    before: str  # a few words of context
    after: str
    line: int  # line number in the new text (1-based)
    where: str = ""  # e.g. the section the line belongs to, when the caller knows it

    def wdiff(self) -> str:
        removed = f"[-{self.old}-]" if self.old else ""
        added = f"{{+{self.new}+}}" if self.new else ""
        return " ".join(part for part in (self.before, removed + added, self.after) if part)

    def as_dict(self) -> dict:
        return asdict(self) | {"wdiff": self.wdiff()}


def _tokens(lines: list[str]) -> list[str]:
    tokens = []
    for line in lines:
        tokens += line.split() + [NEWLINE]
    return tokens


def _words(tokens: list[str]) -> str:
    return " ".join(t for t in tokens if t != NEWLINE)


def _line_words(tokens) -> list[str]:
    words = []
    for token in tokens:
        if token == NEWLINE:
            break
        words.append(token)
    return words


def word_changes(old_lines: list[str], new_lines: list[str]) -> list[WordChange]:
    """The changed runs of words, with context; an empty list means the texts read the same."""
    a, b = _tokens(old_lines), _tokens(new_lines)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    changes = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        # Context stays on the changed line, so it reads as the sentence that changed.
        before = _line_words(reversed(b[:j1]))[::-1][-CONTEXT_WORDS:]
        after = _line_words(b[j2:])[:CONTEXT_WORDS]
        line = b[:j1].count(NEWLINE) + 1
        changes.append(WordChange(op, _words(a[i1:i2]), _words(b[j1:j2]), " ".join(before), " ".join(after), line))
    return changes


def wdiff_lines(old_lines: list[str], new_lines: list[str]) -> list[str]:
    """The new text's lines that changed, each written in full with its changes marked."""
    a, b = _tokens(old_lines), _tokens(new_lines)
    out: list[str] = []
    current: list[str] = []
    changed = False
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            for token in b[j1:j2]:
                if token == NEWLINE:
                    if changed:
                        out.append(" ".join(current))
                    current, changed = [], False
                else:
                    current.append(token)
            continue
        changed = True
        old, new = _words(a[i1:i2]), _words(b[j1:j2])
        current.append((f"[-{old}-]" if old else "") + (f"{{+{new}+}}" if new else ""))
    if changed:
        out.append(" ".join(current))
    return out
