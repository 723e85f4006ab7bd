"""Perseus specifications, methodologies and reference calculator, as code."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("perseus-spec")  # the one version, pyproject.toml's, as installed
except PackageNotFoundError:  # a source tree put on sys.path by hand, never installed
    __version__ = "0+unknown"
