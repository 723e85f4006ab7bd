"""Perseus specifications, methodologies and reference calculator, as code."""

__version__ = "0.1.0"
