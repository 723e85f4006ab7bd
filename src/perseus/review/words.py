"""Schema fragments in words a reviewer who does not read JSON Schema can follow:
required or optional, type, bounds, patterns, enum values with their meaning, rules."""

from __future__ import annotations

import json
import re

TYPES = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "object": "an object",
    "array": "a list",
    "null": "nothing (null)",
}
FORMATS = {"date-time": "a date and time (ISO 8601)", "date": "a date (YYYY-MM-DD)", "uri": "a web address (URI)"}
BOUNDS = {
    "minimum": "at least {}",
    "maximum": "at most {}",
    "exclusiveMinimum": "more than {}",
    "exclusiveMaximum": "less than {}",
    "minLength": "at least {} characters",
    "maxLength": "at most {} characters",
    "minItems": "at least {} item(s)",
    "maxItems": "at most {} item(s)",
    "minProperties": "at least {} key(s)",
    "maxProperties": "at most {} key(s)",
}
ALTERNATION = re.compile(r"^\^\(?((?:[A-Za-z0-9_-]+\|)+[A-Za-z0-9_-]+)\)?\$$")


def code(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return f"`{text}`"


def ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def a_or_an(name: str) -> str:
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def pattern_words(pattern: str) -> str:
    """`^(EA|EM|…)$` → the codes listed; any other pattern shown as it is, with what it is for."""
    match = ALTERNATION.match(pattern)
    if match:
        codes = match.group(1).split("|")
        return f"one of the {len(codes)} codes {', '.join(codes)}"
    return f"matching the pattern {code(pattern)}"


def enum_words(values: list, meanings: dict | None = None) -> str:
    meanings = meanings or {}
    parts = [f"{code(v)} ({meanings[v]})" if meanings.get(v) else code(v) for v in values]
    return "one of " + "; ".join(parts)


def schema_words(schema: dict | None, defs: dict, meanings: dict, depth: int = 0) -> str:
    """What a value must be, in one phrase."""
    if not schema:
        return "anything"
    parts = []
    if "$ref" in schema:
        name = ref_name(schema["$ref"])
        target = defs.get(name) or {}
        if "enum" in target:
            parts.append(f"{a_or_an(name)}, " + enum_words(target["enum"], meanings.get(name)))
        else:
            parts.append(a_or_an(name))
    if "const" in schema:
        parts.append(f"exactly {code(schema['const'])}")
    if "enum" in schema:
        parts.append(enum_words(schema["enum"], {}))
    kind = schema.get("type")
    if kind and "enum" not in schema and "const" not in schema:
        kinds: list[str] = kind if isinstance(kind, list) else [kind]
        parts.append(" or ".join(TYPES.get(k, k) for k in kinds))
    if schema.get("format"):
        parts.append(FORMATS.get(schema["format"], f"in the format {code(schema['format'])}"))
    for key, template in BOUNDS.items():
        if key in schema:
            parts.append(template.format(schema[key]))
    if schema.get("pattern"):
        parts.append(pattern_words(schema["pattern"]))
    if "items" in schema and depth < 2:
        parts.append("each item " + schema_words(schema["items"], defs, meanings, depth + 1))
    for key in ("anyOf", "oneOf"):
        if key in schema and depth < 2:
            parts.append("either " + " or ".join(schema_words(s, defs, meanings, depth + 1) for s in schema[key]))
    if "allOf" in schema and depth < 2:
        parts.append("and " + "; ".join(schema_words(s, defs, meanings, depth + 1) for s in schema["allOf"]))
    if schema.get("additionalProperties") is False:
        parts.append("no keys beyond those listed")
    elif isinstance(schema.get("additionalProperties"), dict) and depth < 2:
        parts.append("each value " + schema_words(schema["additionalProperties"], defs, meanings, depth + 1))
    if "propertyNames" in schema and depth < 2:
        parts.append("keys " + schema_words(schema["propertyNames"], defs, meanings, depth + 1))
    if "default" in schema:
        parts.append(f"{code(schema['default'])} when left out")
    return ", ".join(parts) if parts else "anything"


def field_words(name: str, schema: dict, required: bool, defs: dict, meanings: dict) -> str:
    described = schema_words({k: v for k, v in schema.items() if k != "description"}, defs, meanings)
    text = f"{code(name)}, {'required' if required else 'optional'}: {described}"
    if schema.get("description"):
        text += f". {schema['description'].rstrip('.')}"
    return text


def condition_words(schema: dict) -> str:
    """An `if` schema as a condition: `type` is `electricity`."""
    parts = []
    for name, sub in (schema.get("properties") or {}).items():
        if "const" in sub:
            parts.append(f"{code(name)} is {code(sub['const'])}")
        elif "enum" in sub:
            parts.append(f"{code(name)} is one of {', '.join(code(v) for v in sub['enum'])}")
        else:
            parts.append(f"{code(name)} is {schema_words(sub, {}, {})}")
    for name in schema.get("required") or []:
        if name not in (schema.get("properties") or {}):
            parts.append(f"{code(name)} is present")
    return " and ".join(parts) or "always"


def consequence_words(schema: dict, defs: dict, meanings: dict) -> str:
    parts = []
    for name, sub in (schema.get("properties") or {}).items():
        inner = sub
        if list(sub) == ["allOf"]:  # LinkML wraps nested constraints in allOf
            inner = {"properties": {}}
            for part in sub["allOf"]:
                inner["properties"].update(part.get("properties") or {})
        if "properties" in inner and list(inner) == ["properties"]:
            for key, leaf in inner["properties"].items():
                parts.append(f"{code(name + '.' + key)} must be {schema_words(leaf, defs, meanings)}")
        else:
            parts.append(f"{code(name)} must be {schema_words(sub, defs, meanings)}")
    if schema.get("required"):
        parts.append("required: " + ", ".join(code(r) for r in schema["required"]))
    return "; ".join(parts) or "nothing more"


def rule_words(rule: dict, defs: dict, meanings: dict) -> str:
    """One if/then(/else) rule: what it enforces, with the rule's own description when it has one."""
    then = rule.get("then") or {}
    text = f"when {condition_words(rule.get('if') or {})}: {consequence_words(then, defs, meanings)}"
    if rule.get("else"):
        text += f"; otherwise {consequence_words(rule['else'], defs, meanings)}"
    if then.get("description"):
        text += f" ({then['description']})"
    return text


def definition_words(name: str, schema: dict, defs: dict, meanings: dict) -> str:
    """A whole definition: an enum with its values, or an object with each field, or a value type."""
    if "enum" in schema:
        return f"{code(name)}: " + enum_words(schema["enum"], meanings.get(name))
    if schema.get("type") == "object" or "properties" in schema:
        required = set(schema.get("required") or [])
        fields = [field_words(n, s, n in required, defs, meanings) for n, s in (schema.get("properties") or {}).items()]
        closed = " No keys beyond these." if schema.get("additionalProperties") is False else ""
        return f"{code(name)}, an object with: " + "; ".join(fields) + "." + closed
    return f"{code(name)}: {schema_words(schema, defs, meanings)}"
