"""Machine-readable errors: RFC 9457 problem+json bodies (model `Problem`) and the deployed 422 shape."""

from __future__ import annotations

from perseus.models import ErrorCode, HTTPValidationError, Problem, ValidationError

PROBLEM_JSON = "application/problem+json"

# Each stable code: its HTTP status and its title (the same for every occurrence).
CODES: dict[str, tuple[int, str]] = {
    "missing-credentials": (401, "Credentials required"),
    "invalid-credentials": (401, "Credentials not recognised"),
    "permission-missing": (403, "No permission for this data"),
    "permission-expired": (403, "Permission expired"),
    "unknown-data-source": (404, "Unknown data source"),
    "unknown-measure": (404, "Unknown measure"),
    "unknown-path": (404, "Unknown path"),
    "method-not-allowed": (405, "Method not allowed"),
    "uri-too-long": (414, "URI too long"),
    "headers-too-large": (431, "Request headers too large"),
    "rate-limited": (429, "Too many requests"),
    "internal-error": (500, "Internal server error"),
    "unavailable": (503, "Service unavailable"),
}
assert set(CODES) == {c.value for c in ErrorCode}, "every ErrorCode of spec/errors.yaml has a status and title here"


class SandboxProblem(Exception):
    """Raised anywhere in a request; the app answers it as problem+json."""

    def __init__(self, code: str, detail: str, parameter: str | None = None, retry_after: int | None = None):
        super().__init__(detail)
        self.code, self.detail, self.parameter, self.retry_after = code, detail, parameter, retry_after
        self.status = CODES[code][0]


def problem_body(
    code: str, detail: str, docs_url: str, parameter: str | None = None, instance: str | None = None
) -> dict:
    status, title = CODES[code]
    problem = Problem(
        type=f"{docs_url}#{code}",
        title=title,
        status=status,
        detail=detail,
        code=ErrorCode(code),
        parameter=parameter,
        instance=instance,
    )
    return problem.model_dump(mode="json", exclude_none=True)


MAX_INSTANCE = 256


def instance_of(scope) -> str | None:
    """The request's path as it was sent (still percent-encoded, never decoded), or None when too long to echo."""
    raw = scope.get("raw_path") or scope["path"].encode()
    try:
        path = raw.decode("ascii")
    except UnicodeDecodeError:
        return None
    return path if len(path) <= MAX_INSTANCE and path.isprintable() and " " not in path else None


def validation_body(errors) -> dict:
    """FastAPI's errors in the deployed HTTPValidationError shape: loc, msg and type only (no input echo)."""
    detail = [ValidationError(loc=list(e["loc"]), msg=str(e["msg"]), type=str(e["type"])) for e in errors]
    return HTTPValidationError(detail=detail).model_dump(mode="json", exclude_none=True)
