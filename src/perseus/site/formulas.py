"""Typeset methodology steps as MathML at build time, from the same expressions the calculator runs.

MathML is rendered by the browser itself, so formulas need no script and no
request to another host. The expression is checked by the calculator's compiler
first, so a formula that shows is a formula that runs.
"""

from __future__ import annotations

import ast
import html

from perseus.methodology.expressions import compile_expression

_PRECEDENCE = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 3}


def _name(identifier: str) -> str:
    return f'<mi mathvariant="normal">{html.escape(identifier.replace("_", " "))}</mi>'


def _node(node: ast.AST, parent: int = 0) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return f"<mn>{node.value:g}</mn>" if isinstance(node.value, float) else f"<mn>{node.value}</mn>"
    if isinstance(node, ast.Name):
        return _name(node.id)
    if isinstance(node, ast.UnaryOp):
        return f"<mrow><mo>−</mo>{_node(node.operand, 3)}</mrow>"
    if isinstance(node, ast.BinOp):
        op = type(node.op)
        if op is ast.Div:
            return f"<mfrac>{_node(node.left)}{_node(node.right)}</mfrac>"
        level = _PRECEDENCE[op]
        symbol = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×"}[op]
        body = f"{_node(node.left, level)}<mo>{symbol}</mo>{_node(node.right, level + (op is ast.Sub))}"
        if level < parent:
            return f"<mrow><mo>(</mo>{body}<mo>)</mo></mrow>"
        return f"<mrow>{body}</mrow>"
    raise ValueError(f"cannot typeset {ast.dump(node)}")


def mathml(result: str, expression: str, known: set[str], where: str) -> str:
    """`result = expression` as a display MathML formula."""
    compile_expression(expression, known, where)  # refuses anything the calculator would refuse
    tree = ast.parse(expression, mode="eval").body
    return (
        f'<math display="block" class="formula" data-step="{html.escape(result)}">'
        f"<mrow>{_name(result)}<mo>=</mo>{_node(tree)}</mrow></math>"
    )
