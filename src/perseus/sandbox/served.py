"""Which releases the sandbox serves: the newest release of each API it implements."""

from __future__ import annotations

from perseus.releases import Release, all_releases

SERVED_APIS = ("consumption-data", "emissions-data", "heartbeat")


def served_releases() -> list[Release]:
    """The newest release of each API the sandbox serves (versions are dates, so they sort)."""
    newest: dict[str, Release] = {}
    for release in all_releases():
        if release.label in SERVED_APIS and (
            release.label not in newest or release.version > newest[release.label].version
        ):
            newest[release.label] = release
    return [newest[label] for label in SERVED_APIS]
