"""What many tests share: the repository's root and the `perseus` command run as a user runs it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PERSEUS = [sys.executable, "-m", "perseus.cli"]


def run_perseus(*args, cwd=ROOT, check=False, input=None):
    """Run the `perseus` command as a user would, in a subprocess."""
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    return subprocess.run(
        [*PERSEUS, *map(str, args)], cwd=cwd, capture_output=True, text=True, check=check, env=env, input=input
    )
