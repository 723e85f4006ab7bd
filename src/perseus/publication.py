"""Where the project is published: the documentation site and the source repository.

One setting for every part that links to the site: the site build (`site_url`, the
repository link), and the sandbox, whose problem `type` links point at the documentation
of each error code. Set PERSEUS_SITE_URL to publish the site somewhere else. Runtime-safe:
imports nothing of the project.
"""

from __future__ import annotations

import os

DEFAULT_SITE_URL = "https://icebreakerone.github.io/perseus-spec/"
REPOSITORY_URL = "https://github.com/icebreakerone/perseus-spec"
REPOSITORY_NAME = "icebreakerone/perseus-spec"


def site_url() -> str:
    """The site's base URL, always ending in `/`."""
    url = os.environ.get("PERSEUS_SITE_URL", "").strip() or DEFAULT_SITE_URL
    return url if url.endswith("/") else url + "/"


def page_url(path: str) -> str:
    """The published URL of a site path such as `sandbox/` or `downloads/manifest.json`."""
    return site_url() + path.lstrip("/")


def problem_type(code: str) -> str:
    """The `type` of a Problem body: the documentation of its code on the sandbox page."""
    return page_url(f"sandbox/#{code}")
