"""The exit statuses of `perseus conformance` (its help, its report and the site show these)."""

CONFORMS = 0  # every MUST case passed or was not applicable
MUST_FAILED = 1  # at least one MUST case failed
UNUSABLE = 2  # the input cannot be used: options, files, release, or a server that does not answer
INCOMPLETE = 3  # no MUST case failed, but some were not run: --max-requests or --timeout was reached

EXIT_STATUSES = {
    CONFORMS: "every MUST case passed or was not applicable",
    MUST_FAILED: "at least one MUST case failed",
    UNUSABLE: "unusable input: an option, a file, the release, or a server that gives no answer",
    INCOMPLETE: "no MUST case failed, but some were not run (--max-requests or --timeout reached)",
}
