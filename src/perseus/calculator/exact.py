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
  month's half-hours again in exact arithmetic from the numbers as written (`exact_total`:
  integers over a common denominator, `Decimals`), and rounds that exact sum.

The magnitude of a half-hour is its value when no step subtracts (every input is
non-negative); otherwise the steps are run once more with every term counted positive
(`magnitudes`). A divisor that subtracts has no such bound: every month of such a
methodology is then worked exactly.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

import numpy as np

from perseus.methodology.expressions import written

UNIT_ROUNDOFF = 2.0**-53
SMALLEST = 2.0**-1074  # the spacing of subnormal numbers: the absolute error of an operation that underflows
CONSUMPTION_DEPTH = 2  # a quantity as read, then watt-hours divided by 1000
DECIMAL_MODES = {"half-even": ROUND_HALF_EVEN, "half-up": ROUND_HALF_UP}  # RoundingMode of spec/methodology.yaml
WIDE = Context(prec=400)  # room for any rounded total's digits: quantize must not round a second time


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
    scale = 10.0**decimals
    scaled = total * scale
    distance = np.abs(scaled - np.floor(scaled) - 0.5)
    return distance <= (within + 4 * UNIT_ROUNDOFF * np.abs(total)) * scale * (1 + 8 * UNIT_ROUNDOFF)


def _objects(values) -> np.ndarray:
    found = np.empty(len(values), dtype=object)
    found[:] = list(values)
    return found


class Decimals:
    """A column of exact numbers as integers over one common denominator: the decimals a column was written
    as, and what + - * / with numbers or other columns make of them. Integer arithmetic on a column is many
    times faster than a fraction per value; only a division by a column leaves it, for fractions."""

    __array_ufunc__ = None  # numpy defers to the operators below

    def __init__(self, numerators: np.ndarray, denominator: int):
        self.numerators, self.denominator = numerators, denominator

    @classmethod
    def of(cls, values: np.ndarray, shift: np.ndarray | None = None) -> Decimals:
        """The values as written, each times 10 to the power `shift` (per row; -3 turns Wh into kWh)."""
        distinct, index = np.unique(values, return_inverse=True)
        index = index.reshape(-1)
        parts = [Decimal(repr(float(v))).as_tuple() for v in distinct.tolist()]
        mantissa = _objects([(-1 if p.sign else 1) * int("".join(map(str, p.digits))) for p in parts])[index]
        exponent = np.array([p.exponent for p in parts], dtype=np.int64)[index]
        if shift is not None:
            exponent = exponent + shift
        if not len(exponent):
            return cls(mantissa, 1)
        low = int(exponent.min())
        powers = _objects([10**k for k in range(int(exponent.max()) - low + 1)])
        numerators = mantissa * powers[exponent - low]
        return cls(numerators * 10**low, 1) if low >= 0 else cls(numerators, 10**-low)

    def __len__(self) -> int:
        return len(self.numerators)

    def where(self, keep: np.ndarray) -> Decimals:
        """Zero where `keep` is False."""
        return Decimals(np.where(keep, self.numerators, 0), self.denominator)

    def total(self) -> Fraction:
        return Fraction(sum(self.numerators.tolist()), self.denominator)

    def fractions(self) -> np.ndarray:
        return _objects([Fraction(n, self.denominator) for n in self.numerators.tolist()])

    def _add(self, other, sign: int):
        if isinstance(other, Decimals):
            return Decimals(
                self.numerators * other.denominator + sign * other.numerators * self.denominator,
                self.denominator * other.denominator,
            )
        if isinstance(other, np.ndarray):  # fractions, after a division by a column
            return self.fractions() + sign * other
        other = Fraction(other)
        return Decimals(
            self.numerators * other.denominator + sign * other.numerator * self.denominator,
            self.denominator * other.denominator,
        )

    def __add__(self, other):
        return self._add(other, 1)

    __radd__ = __add__

    def __sub__(self, other):
        return self._add(other, -1)

    def __rsub__(self, other):
        return (-self)._add(other, 1)

    def __neg__(self):
        return Decimals(-self.numerators, self.denominator)

    def __mul__(self, other):
        if isinstance(other, Decimals):
            return Decimals(self.numerators * other.numerators, self.denominator * other.denominator)
        if isinstance(other, np.ndarray):
            return self.fractions() * other
        other = Fraction(other)
        return Decimals(self.numerators * other.numerator, self.denominator * other.denominator)

    __rmul__ = __mul__

    def __truediv__(self, other):
        if isinstance(other, Decimals | np.ndarray):  # a divisor per row: fractions from here on
            return self.fractions() / (other.fractions() if isinstance(other, Decimals) else other)
        other = Fraction(other)
        sign = -1 if other.numerator < 0 else 1
        return Decimals(sign * self.numerators * other.denominator, self.denominator * abs(other.numerator))

    def __rtruediv__(self, other):
        return other / self.fractions()


def _result(m, inputs: Mapping[str, np.ndarray | Decimals], parameter, evaluator: str):
    """The result step over the inputs, with each parameter made by `parameter` and each step's `evaluator`."""
    values: dict = {name: parameter(v) for name, v in m.parameters.items()}
    values.update(inputs)
    for name, expression in m.steps:
        values[name] = getattr(expression, evaluator)(values)
    return values[m.document["result"]], len(next(iter(inputs.values())))


def exact_total(m, inputs: dict[str, Decimals]) -> Fraction:
    """The sum over the half-hours of the result step, in exact arithmetic from inputs and parameters as written."""
    result, length = _result(m, inputs, written, "exact")
    if isinstance(result, Decimals):
        return result.total()
    if isinstance(result, np.ndarray):  # fractions, after a division by a column
        return sum(result.tolist(), Fraction(0))
    return Fraction(result) * length  # a result that uses no per-half-hour input


def magnitudes(m, inputs: dict[str, np.ndarray]) -> np.ndarray:
    """The result step of every half-hour with every term counted positive (binary64)."""
    result, length = _result(m, inputs, abs, "magnitude")
    return np.broadcast_to(np.asarray(result, dtype=float), (length,))


# The powers of ten that are exact in binary64 (10**22 is the last): dividing an integer below 2**53 by one
# is then a single correctly rounded operation, as float(Fraction(units, 10**decimals)) is.
EXACT_POWERS = 22


def round_totals(values: np.ndarray, rounding: dict) -> np.ndarray:
    """`round_total` of every binary64 value of a column, the same bit for bit, in array arithmetic.

    Scaled to units of the last decimal, a value is off its exact scaled value by at most half an
    ulp. Where that scaled value is further than a few ulps from a half-way point, both lie on the
    same side of it, so rounding the scaled value to the nearest integer rounds the exact one, and
    the integer divided by the exact power of ten is the nearest binary64 value to the rounded
    decimal. The others (close to a tie, from 2**52 units up, not finite) go through `round_total`."""
    values = np.asarray(values, dtype=np.float64)
    decimals = int(rounding["decimals"])
    if not 0 <= decimals <= EXACT_POWERS:
        return np.array([round_total(v, rounding) for v in values.tolist()], dtype=np.float64)
    power = 10.0**decimals
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = values * power
        units = np.rint(scaled)
        from_tie = np.abs(np.abs(scaled - units) - 0.5)
        safe = from_tie > 4 * UNIT_ROUNDOFF * np.abs(scaled)  # never true from 2**52 units up, nor for NaN
    rounded = units / power
    for k in np.flatnonzero(~safe).tolist():
        rounded[k] = round_total(float(values[k]), rounding)
    return rounded


def round_total(value: Fraction | float, rounding: dict) -> float:
    """A monthly total rounded once as the methodology says, exactly: a fraction as it is, a binary64 value from
    its exact binary value (`Decimal(float)` is exact, and fast); the result is the binary64 value nearest the
    rounded decimal."""
    decimals = int(rounding["decimals"])
    if not isinstance(value, Fraction):
        quantum = Decimal(1).scaleb(-decimals)
        return float(Decimal(float(value)).quantize(quantum, rounding=DECIMAL_MODES[rounding["mode"]], context=WIDE))
    scale = 10**decimals
    units, rest = divmod(value * scale, 1)
    half = Fraction(1, 2)
    if rest > half or (rest == half and (rounding["mode"] == "half-up" or units % 2 == 1)):
        units += 1
    return float(Fraction(units, scale))
