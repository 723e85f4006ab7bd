"""Run a page's shell and Python examples exactly as the page shows them, in order, in a fresh folder.

The fresh folder is a copy of the repository's files (what a clone holds) with `.venv`
linked to this checkout's environment, as after `make install`. Shell blocks run with
`bash -euo pipefail`, Python blocks with `.venv/bin/python`. A block that starts a
server (the sandbox, a Dask scheduler or worker) runs in the background until the page
ends or the same kind of server is started again, as a reader would leave it running in
another terminal.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from perseus.build_cache import source_files
from perseus.paths import ROOT

BLOCK = re.compile(
    r'<div class="language-(sh|python) highlight">(?:<span class="filename">[^<]*</span>)?<pre>'
    r"(?:<span></span>)?<code>(.*?)</code></pre></div>",
    re.S,
)
FENCE = re.compile(r"^```(sh|python)\n(.*?)^```", re.S | re.M)
# Commands that run until stopped: (pattern, default port, text printed when ready).
SERVERS = (
    (re.compile(r"perseus sandbox\b"), 8080, None),
    (re.compile(r"dask scheduler\b"), 8786, None),
    (re.compile(r"dask worker\b"), None, "Registered to"),
)


@dataclass
class Example:
    language: str
    code: str

    def server(self):
        return next(((kind, port) for kind, port, _ in SERVERS if kind.search(self.code)), None)


def examples_in_html(page: str) -> list[Example]:
    return [Example(lang, html.unescape(re.sub(r"<[^>]+>", "", body))) for lang, body in BLOCK.findall(page)]


def examples_in_markdown(text: str) -> list[Example]:
    return [Example(lang, body) for lang, body in FENCE.findall(text)]


def fresh_folder(target: Path) -> Path:
    """A copy of the repository's files, modification times kept (so make sees nothing to rebuild)."""
    for rel in source_files() + tuple(f for f in _tests_and_docs()):
        destination = target / rel
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, destination)
    (target / ".venv").symlink_to(ROOT / ".venv")
    return target


def _tests_and_docs() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "docs", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return [f for f in listed if (ROOT / f).is_file()]


@dataclass
class Run:
    folder: Path
    results: list[tuple[Example, subprocess.CompletedProcess]] = field(default_factory=list)
    servers: list[tuple[Example, subprocess.Popen, Path]] = field(default_factory=list)

    def environment(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
        env["PATH"] = os.defpath + ":" + os.environ.get("PATH", "")
        env["PYTHONWARNINGS"] = "ignore"
        return env

    def run(self, example: Example, timeout: int = 600) -> subprocess.CompletedProcess:
        if example.server():
            return self._start(example)
        if example.language == "sh":
            command = ["bash", "-euo", "pipefail", "-c", example.code]
        else:
            command = [str(self.folder / ".venv" / "bin" / "python"), "-c", example.code]
        result = subprocess.run(
            command, cwd=self.folder, capture_output=True, text=True, timeout=timeout, env=self.environment()
        )
        self.results.append((example, result))
        return result

    def _start(self, example: Example) -> subprocess.CompletedProcess:
        kind, default_port = example.server()
        for earlier, process, _ in list(self.servers):  # a reader stops the old server before starting another
            if earlier.server()[0] is kind:
                self._stop(process)
                self.servers.remove((earlier, process, _))
        port_option = re.search(r"--port[ =](\d+)", example.code)
        port = int(port_option.group(1)) if port_option else default_port
        if port and not _freed(port):
            raise AssertionError(f"port {port} is already in use, so `{example.code.strip()}` cannot start")
        log = self.folder / f".server-{len(self.servers)}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                ["bash", "-euo", "pipefail", "-c", example.code],
                cwd=self.folder,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=self.environment(),
                start_new_session=True,
            )
        self.servers.append((example, process, log))
        ready = next(text for pattern, _, text in SERVERS if pattern is kind)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return subprocess.CompletedProcess(example.code, process.returncode, log.read_text(), "")
            if (port and _listening(port)) or (ready and ready in log.read_text()):
                result = subprocess.CompletedProcess(example.code, 0, log.read_text(), "")
                self.results.append((example, result))
                return result
            time.sleep(0.3)
        return subprocess.CompletedProcess(example.code, 124, log.read_text(), "did not become ready in 180 s")

    @staticmethod
    def _stop(process: subprocess.Popen) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def close(self) -> None:
        for _, process, _ in reversed(self.servers):
            self._stop(process)
        self.servers.clear()


def _freed(port: int, seconds: float = 600) -> bool:
    """Whether the port is free, or comes free within `seconds`: another page's test (in another
    worker) may have a server of the same kind on it until that page ends."""
    deadline = time.monotonic() + seconds
    while _listening(port):
        if time.monotonic() > deadline:
            return False
        time.sleep(1)
    return True


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def run_all(examples: list[Example], folder: Path) -> Run:
    """Every example in order; stops at the first that fails (later ones may need its output)."""
    run = Run(fresh_folder(folder))
    try:
        for example in examples:
            result = run.run(example)
            if result.returncode != 0:
                raise AssertionError(
                    f"exit {result.returncode}:\n{example.code}\n--- stdout\n{result.stdout[-3000:]}"
                    f"\n--- stderr\n{result.stderr[-3000:]}"
                )
    finally:
        run.close()
    return run
