"""The page visit the site tests rely on sees what it must, on the page that did it."""

import json
import os

import pytest

from tests.site_harness import serve, visit_all

pytestmark = pytest.mark.browser

# A script error, a search index that must not be fetched whole, and a request to another host made
# 100 ms after the page's last other request ended (so it fails late: there is no network).
FAULTY = """<!doctype html><html><head><link rel="icon" href="data:,"></head><body><a href="../a/">a</a>
<script>
fetch("../search/search_index.json").then(r => r.json()).then(index => {
  if (index.docs.length) throw new Error("whole index");
  setTimeout(() => fetch("http://example.invalid/late.json").catch(() => {}), 100);
});
throw new Error("broken script");
</script></body></html>"""
CLEAN = '<!doctype html><html><head><link rel="icon" href="data:,"></head><body><p>fine</p></body></html>'


def test_a_visit_sees_late_failures_and_script_errors_on_the_page_that_made_them(tmp_path):
    if os.environ.get("PERSEUS_SKIP_BROWSER") == "1":
        pytest.skip("PERSEUS_SKIP_BROWSER=1")
    for name, text in (("a", CLEAN), ("b", FAULTY)):  # in this order: b is loaded where a was, and last
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(text)
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(json.dumps({"config": {}, "docs": [{"title": "x"}]}))
    base, server = serve(tmp_path, "/", search_documents=False)
    try:
        visits = visit_all(base, tmp_path, at_once=1)
    finally:
        server.shutdown()
    clean, faulty = visits["a/index.html"], visits["b/index.html"]
    assert sorted(faulty.console_errors) == ["Failed to load resource: net::ERR_NAME_NOT_RESOLVED", "broken script"]
    assert faulty.foreign_requests == ["http://example.invalid/late.json"]
    assert faulty.failed_requests == ["http://example.invalid/late.json"]
    assert faulty.links == [base + "a/"]
    assert (clean.console_errors, clean.foreign_requests, clean.failed_requests) == ([], [], [])
