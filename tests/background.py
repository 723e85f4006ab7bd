"""`python -m tests.background FOLDER COMMAND...`: run COMMAND (its output to `FOLDER.log`), then
leave `FOLDER.made` when it exited 0, else `FOLDER.failed`. Started by `tests.helpers.start_once`,
so that a long build runs beside the tests instead of holding one worker up."""

import subprocess
import sys
from pathlib import Path


def main(folder: str, command: list[str]) -> int:
    with open(f"{folder}.log", "wb") as log:
        code = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT).returncode
    Path(f"{folder}.{'made' if code == 0 else 'failed'}").touch()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
