"""The documentation site: pages rendered from the sources at build time."""
