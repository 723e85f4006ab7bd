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
from dataclasses import dataclass

import numpy as np

OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}

Evaluator = Callable[[Mapping[str, np.ndarray | float]], np.ndarray | float]


class ExpressionError(ValueError):
    """A step's expression is outside the language or names something unknown."""


@dataclass(frozen=True)
class CompiledExpression:
    text: str
    names: frozenset[str]
    evaluate: Evaluator

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
    return CompiledExpression(text, frozenset(names), evaluate)


def _compile(node: ast.AST, known, names: set[str], where: str, text: str) -> Evaluator:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        value = float(node.value)
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
        apply = OPERATORS[type(node.op)]
        left = _compile(node.left, known, names, where, text)
        right = _compile(node.right, known, names, where, text)
        return lambda values: apply(left(values), right(values))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        operand = _compile(node.operand, known, names, where, text)
        return lambda values: -operand(values)
    shown = ast.get_source_segment(text, node) or type(node).__name__
    raise ExpressionError(
        f"{where}: {text!r}: {shown!r} is not allowed; a step may use only numbers, names, +, -, *, / and parentheses"
    )


def render(text: str) -> str:
    """The expression with canonical spacing, for documentation (parenthesised only where needed)."""
    return ast.unparse(ast.parse(text, mode="eval"))
