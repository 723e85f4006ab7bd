"""Perseus specifications, methodologies and reference calculator, as code."""


def __getattr__(name: str) -> str:
    """`perseus.__version__`, looked up when asked for: importlib.metadata costs every command a
    tenth of its start-up, and only --version needs it."""
    if name != "__version__":
        raise AttributeError(f"module 'perseus' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("perseus-spec")  # the one version, pyproject.toml's, as installed
    except PackageNotFoundError:  # a source tree put on sys.path by hand, never installed
        return "0+unknown"
