"""The one rounding of a monthly total, exact on decimal ties.

A methodology rounds each monthly total once, at its decimals, half-even (or half-up). The
kernel sums binary64 values, and binary64 cannot tell a total exactly half-way between two
roundings (25 half-hours × 0.1 kWh × 5 g/kWh = 0.0125 kg) from one just above or below it:
its sum of those half-hours is 0.012500000000000002. So the total is taken as the numbers
were written, and found exactly only where that can change the rounding:

- every number the arithmetic uses (reading, intensity, factor, calorific value, parameter,
  constant) stands for the decimal it was written as (`expressions.written`);
- the binary64 total is within a known bound of the exact total of those decimals: each
  half-hour's value is off by at most γ(k) times its magnitude, k roundings deep
  (`rounding_depth`), and a sum of n terms by at most γ(n - 1) times the sum of magnitudes,
  whatever the order of the additions (Higham, *Accuracy and Stability of Numerical
  Algorithms*, 2nd ed., §3.1 and §4.2), where γ(m) = m·u / (1 - m·u) and u = 2⁻⁵³;
- a rounding changes only at a tie, (j + ½)·10⁻ᵈ. Where no tie lies within the bound of the
  binary64 total, the exact total rounds the same way and the binary64 total is rounded as it
  is (`round_total`, from its exact binary value). Where one does (`near_tie`: a few months in
  ten billion, unless the data sit on ties as the 0.0125 case does), the kernel works that
  month's half-hours again in rational arithmetic (`fractions.Fraction`) from the numbers as
  written (`exact_values`), and rounds that exact sum.

The magnitude of a half-hour is its value when no step subtracts (every input is
non-negative); otherwise the steps are run once more with every term counted positive
(`magnitudes`). A divisor that subtracts has no such bound: every month of such a
methodology is then worked exactly.
"""

from __future__ import annotations

import ast
from fractions import Fraction

import numpy as np

from perseus.methodology.expressions import written

UNIT_ROUNDOFF = 2.0 ** -53
SMALLEST = 2.0 ** -1074  # the spacing of subnormal numbers: the absolute error of an operation that underflows
CONSUMPTION_DEPTH = 2  # a quantity as read, then watt-hours divided by 1000


def _subtracts(node: ast.AST, steps: dict) -> bool:
    """Whether the value of `node` involves a subtraction or a negation (through the steps it names too)."""
    for part in ast.walk(node):
        if isinstance(part, ast.Sub | ast.USub):
            return True
        if isinstance(part, ast.Name) and part.id in steps and _subtracts(steps[part.id].tree, steps):
            return True
    return False


def subtracts(m) -> bool:
    """Whether a half-hour's magnitude differs from its value (some step the result depends on subtracts)."""
    steps = dict(m.steps)
    return _subtracts(steps[m.document["result"]].tree, steps)


def rounding_depth(m) -> int | None:
    """How many roundings deep the result step's binary64 value is, at most (None: a divisor subtracts)."""
    steps = dict(m.steps)

    def depth(node: ast.AST) -> int | None:
        if isinstance(node, ast.Constant):
            return 1  # the literal read as binary64
        if isinstance(node, ast.Name):
            if node.id in steps:
                return depth(steps[node.id].tree)
            return CONSUMPTION_DEPTH if m.input_sources.get(node.id) == "consumption" else 1
        if isinstance(node, ast.UnaryOp):
            return depth(node.operand)
        assert isinstance(node, ast.BinOp)  # the language has nothing else (expressions.py)
        left, right = depth(node.left), depth(node.right)
        if left is None or right is None or (isinstance(node.op, ast.Div) and _subtracts(node.right, steps)):
            return None
        if isinstance(node.op, ast.Add | ast.Sub):  # over magnitudes, the larger error of the two, plus this one
            return max(left, right) + 1
        return left + right + 1

    return depth(steps[m.document["result"]].tree)


def bound(magnitude: np.ndarray, terms: np.ndarray, depth: int | None) -> np.ndarray:
    """How far a binary64 sum of `terms` half-hours, of summed magnitude `magnitude`, can be from the exact sum.
    γ(m) ≤ 1.01·m·u while m·u < 0.0099 (m beyond 10¹³ terms); the 1.01 also covers the rounding of
    `magnitude` itself."""
    if depth is None:
        return np.full(len(magnitude), np.inf)
    m = terms.astype(np.float64) + depth + 1
    return 1.01 * m * UNIT_ROUNDOFF * magnitude + terms * (depth + 1) * SMALLEST


def near_tie(total: np.ndarray, within: np.ndarray, decimals: int) -> np.ndarray:
    """Whether a tie (j + ½)·10⁻ᵈ lies within `within` of each total (generously: the test's own
    arithmetic is allowed four roundings more)."""
    scale = 10.0 ** decimals
    scaled = total * scale
    distance = np.abs(scaled - np.floor(scaled) - 0.5)
    return distance <= (within + 4 * UNIT_ROUNDOFF * np.abs(total)) * scale * (1 + 8 * UNIT_ROUNDOFF)


def as_written(values: np.ndarray) -> np.ndarray:
    """Each binary64 value as the fraction it was written as (an object array; each distinct value converted once)."""
    distinct, index = np.unique(values, return_inverse=True)
    fractions = np.empty(len(distinct), dtype=object)
    fractions[:] = [written(v) for v in distinct.tolist()]
    return fractions[index.reshape(-1)]


def _result(m, inputs: dict[str, np.ndarray], parameter, evaluator: str):
    """The result step over the inputs, with each parameter made by `parameter` and each step's `evaluator`."""
    values: dict = {name: parameter(v) for name, v in m.parameters.items()}
    values.update(inputs)
    for name, expression in m.steps:
        values[name] = getattr(expression, evaluator)(values)
    return values[m.document["result"]], len(next(iter(inputs.values())))


def exact_values(m, inputs: dict[str, np.ndarray]) -> np.ndarray:
    """The result step of every half-hour in rational arithmetic, from inputs and parameters as written."""
    result, length = _result(m, inputs, written, "exact")
    if not isinstance(result, np.ndarray):  # a result that uses no per-half-hour input
        result = np.full(length, result, dtype=object)
    return result


def magnitudes(m, inputs: dict[str, np.ndarray]) -> np.ndarray:
    """The result step of every half-hour with every term counted positive (binary64)."""
    result, length = _result(m, inputs, abs, "magnitude")
    return np.broadcast_to(np.asarray(result, dtype=float), (length,))


def round_total(value: Fraction | float, rounding: dict) -> float:
    """A monthly total rounded once as the methodology says: exactly, from a fraction or a binary64 value's
    exact binary value; the result is the binary64 value nearest the rounded decimal."""
    exact = value if isinstance(value, Fraction) else Fraction(float(value))
    scale = 10 ** int(rounding["decimals"])
    units, rest = divmod(exact * scale, 1)
    half = Fraction(1, 2)
    if rest > half or (rest == half and (rounding["mode"] == "half-up" or units % 2 == 1)):
        units += 1
    return float(Fraction(units, scale))
