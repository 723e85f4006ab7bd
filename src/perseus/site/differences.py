"""The page listing every difference between the releases here and the registry's.

Rendered at build time from the release corpus (spec/corpus/): the verdicts recorded
there, the reasons in spec/corpus/aspects.yaml and the names in
spec/corpus/registry-names.yaml. No figure on the page is typed by hand.
"""

from __future__ import annotations

import json
from collections import defaultdict

from perseus.corpus import (
    all_payloads,
    aspects,
    differences,
    load_index,
    openapi_names,
    registry_names,
    strict_profiles,
)
from perseus.paths import GENERATED
from perseus.releases import all_releases, registry_counterpart
from perseus.site.markdown import table

PAGE = "registry/index.md"


def _profile(ref: str, strict: bool) -> str:
    release = next(r for r in all_releases() if r.ref == ref)
    if release.profile == "strict":
        return "strict (as approved)"
    return "strict" if strict else "default"


def _comparisons() -> str:
    counts: dict[tuple[str, bool], list[int]] = defaultdict(lambda: [0, 0])
    payloads = all_payloads()
    for payload in payloads:
        for strict, verdicts in ((False, payload.releases), (True, payload.strict)):
            for ref in verdicts:
                counterpart = registry_counterpart(next(r for r in all_releases() if r.ref == ref))
                if counterpart and counterpart.ref in payload.registry:
                    counts[(ref, strict)][0] += 1
    for difference in differences():
        counts[(difference.release, difference.strict)][1] += 1
    rows = []
    strict_refs = {r.ref for r in strict_profiles()}
    for release in all_releases():
        counterpart = registry_counterpart(release)
        for strict in (False, True) if release.ref in strict_refs else (False,):
            checked, differing = counts[(release.ref, strict)]
            what = (
                "reproduces it"
                if release.deployed
                else "builds on it"
                if counterpart in _ancestors(release)
                else "compared with it"
            )
            rows.append(
                [
                    f"[{release.ref}](../specifications/{release.ref}/index.md)",
                    _profile(release.ref, strict),
                    f"{counterpart.ref} ({what})" if counterpart else "–",
                    checked,
                    checked - differing,
                    differing,
                ]
            )
    return table(["release", "profile", "registry's document", "payloads compared", "same verdict", "different"], rows)


def _ancestors(release):
    from perseus.releases import ancestry

    return ancestry(release)


def _differences() -> str:
    by_aspect = defaultdict(list)
    for difference in differences():
        by_aspect[difference.payload.aspect].append(difference)
    out = []
    for name, aspect in aspects().items():
        found = by_aspect.get(name)
        if not found:
            continue
        kind = " (a fix: the reproductions depart from the registry's documents here)" if aspect.fix else ""
        out.append(f"### {aspect.title}{kind}\n\n{aspect.reason}\n")
        rows = [
            [
                f"`{d.payload.file}`",
                d.payload.summary,
                d.release,
                _profile(d.release, d.strict),
                d.ours,
                f"{d.theirs} ({d.registry_document})",
            ]
            for d in found
        ]
        out.append(table(["payload", "what it is", "release", "profile", "verdict here", "registry's verdict"], rows))
    return "\n".join(out)


def _names() -> str:
    wanted = registry_names()["documents"]
    rows = []
    for release in all_releases():
        counterpart = registry_counterpart(release)
        if counterpart is None or counterpart.ref not in wanted:
            continue
        ours = openapi_names(json.loads((GENERATED / "openapi" / f"{release.ref}.json").read_text()))
        theirs = wanted[counterpart.ref]
        cells = []
        for key in ("operations", "tags", "components", "security_scheme"):
            mine, registry = ours[key], theirs[key] if key != "security_scheme" else [theirs[key]]
            cells.append(_compare_names(key, mine, registry))
        rows.append([release.ref, counterpart.ref, *cells])
    return table(
        ["release", "registry's document", "operation ids", "tags", "component schemas", "security scheme"], rows
    )


def _compare_names(key: str, mine, registry) -> str:
    if key == "operations":  # the ids; the tags have their own column
        mine = {f"{k}: `{v['operation_id']}`" for k, v in mine.items()}
        registry = {f"{k}: `{v['operation_id']}`" for k, v in registry.items()}
    mine, registry = set(mine), set(registry)
    if mine == registry:
        return "the registry's"
    quoted = (
        (lambda names: ", ".join(sorted(names)))
        if key == "operations"
        else (lambda names: ", ".join(f"`{n}`" for n in sorted(names)))
    )
    if registry <= mine:
        return f"the registry's, and {quoted(mine - registry)}"
    parts = [f"not {quoted(registry - mine)}"]
    if mine - registry:
        parts.append(f"but {quoted(mine - registry)}")
    return " ".join(parts)


def page() -> str:
    index = load_index()
    worked_out = index["registry_verdicts"]["worked_out"]
    documents = index["registry_verdicts"]["documents"]
    payloads = all_payloads()
    classes = sorted({p.cls for p in payloads})
    out = [
        "---\ntitle: Differences from the registry\n---\n",
        "# Differences from the registry\n",
        "The registry publishes the scheme's API documents; the releases here reproduce each of them "
        "(`reproduces` in `governance/releases.yaml`) and add the project's own. This page lists every "
        "difference between the two, with the reason for it, and is rendered from the release corpus "
        "(`spec/corpus/`) when the site is built.\n",
        f"The corpus holds {len(payloads)} payloads of {len(classes)} classes ({', '.join(classes)}). Each records "
        "the verdict of every registry document that defines its class, worked out on "
        f"{worked_out} from the {len(documents)} documents the registry published "
        f"({', '.join(f'`{d}`' for d in documents)}), and the verdict of every release here, in its default "
        "profile and in its strict one (`perseus validate --strict`). `tests/test_release_corpus.py` checks that "
        "the releases still give these verdicts, that each reproduction agrees with the registry's document "
        "except where a fix below says why not, and that a draft accepts whatever the registry release it "
        "builds on accepts, apart from values of keys the project defines.\n",
        "## Releases compared\n",
        "Each release is compared with the registry's document it reproduces, else the newest one it builds "
        "on, else the registry's first document of its label.\n",
        _comparisons(),
        "## Differences\n",
        _differences(),
        "## Names clients are generated from\n",
        "Operation ids, tags, component schema names and the security scheme name of each release's OpenAPI "
        "document, against the registry's (`spec/corpus/registry-names.yaml`, checked by "
        "`tests/test_registry_names.py`). The project's 2025-10-27 releases keep the names they were approved with.\n",
        _names(),
        "## Registry documents not reproduced\n",
        table(["document", "why"], [[d["document"], d["reason"]] for d in registry_names()["not_reproduced"]]),
        "## Other differences of the documents\n",
        table(["what", "how"], [[d["what"], d["detail"]] for d in registry_names()["document_differences"]]),
    ]
    return "\n".join(out)


def pages() -> dict[str, str]:
    return {PAGE: page()}
