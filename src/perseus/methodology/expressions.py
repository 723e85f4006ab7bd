"""The expression language of methodology steps: numbers, names, + - * / and parentheses.

Python's `ast` module is used only to parse; the tree is then walked against a
whitelist of node types and turned into a closure over numpy arrays, so nothing
is ever evaluated by Python itself (no `eval`). A library (numexpr, asteval,
simpleeval) would accept far more than four operators and would have to be fenced
in anyway; the whitelist below is the whole language in a few lines.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
# The same arithmetic with every term counted positive (subtraction as addition, no negation): over non-negative
# inputs it gives the magnitude that bounds the rounding error of the binary64 evaluation (perseus.calculator.exact).
MAGNITUDE = {**OPERATORS, ast.Sub: operator.add}

Evaluator = Callable[[Mapping[str, np.ndarray | float]], np.ndarray | float]


class ExpressionError(ValueError):
    """A step's expression is outside the language or names something unknown."""


def written(value: float) -> Fraction:
    """The number a binary64 value was written as: the shortest decimal that reads back as the same value
    (`repr`), as a fraction. It is the decimal in the file whenever that has at most 15 significant digits."""
    return Fraction(repr(float(value)))


@dataclass(frozen=True)
class CompiledExpression:
    text: str
    names: frozenset[str]
    evaluate: Evaluator
    tree: ast.expr = field(compare=False)  # the checked tree, for the error analysis of perseus.calculator.exact
    exact: Evaluator = field(compare=False)  # the same arithmetic on fractions, its numbers taken as written
    magnitude: Evaluator = field(compare=False)  # every term positive (MAGNITUDE)

    def __call__(self, values: Mapping[str, np.ndarray | float]):
        return self.evaluate(values)


def compile_expression(text: str, known: set[str] | frozenset[str], where: str) -> CompiledExpression:
    """Parse `text` once and return a vectorised function of a mapping name -> array or number.

    `where` names the file and step for error messages.
    """
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"{where}: cannot parse {text!r}: {exc.msg}") from exc
    names: set[str] = set()
    evaluate = _compile(tree.body, known, names, where, text)
    exact = _compile(tree.body, known, set(), where, text, written)
    magnitude = _compile(tree.body, known, set(), where, text, operators=MAGNITUDE, negate=False)
    return CompiledExpression(text, frozenset(names), evaluate, tree.body, exact, magnitude)


def _compile(
    node: ast.AST,
    known,
    names: set[str],
    where: str,
    text: str,
    number: Callable = float,
    operators: dict = OPERATORS,
    negate: bool = True,
) -> Evaluator:
    """The closure of `node`; `number` makes its constants (float, or `written` for the exact arithmetic),
    `operators` and `negate` say what the operators do (MAGNITUDE and no negation for the magnitude)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        value = number(node.value)
        return lambda values: value
    if isinstance(node, ast.Name):
        if node.id not in known:
            raise ExpressionError(
                f"{where}: {text!r} uses {node.id!r}, which is not an input, a parameter or an earlier step "
                f"(known: {', '.join(sorted(known)) or 'none'})"
            )
        names.add(node.id)
        name = node.id
        return lambda values: values[name]
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        apply = operators[type(node.op)]
        left = _compile(node.left, known, names, where, text, number, operators, negate)
        right = _compile(node.right, known, names, where, text, number, operators, negate)
        return lambda values: apply(left(values), right(values))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        operand = _compile(node.operand, known, names, where, text, number, operators, negate)
        return (lambda values: -operand(values)) if negate else operand
    shown = ast.get_source_segment(text, node) or type(node).__name__
    raise ExpressionError(
        f"{where}: {text!r}: {shown!r} is not allowed; a step may use only numbers, names, +, -, *, / and parentheses"
    )


def render(text: str) -> str:
    """The expression with canonical spacing, for documentation (parenthesised only where needed)."""
    return ast.unparse(ast.parse(text, mode="eval"))
