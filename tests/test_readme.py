"""The README starts with the two commands, and both are real Makefile targets."""

import re

from perseus.paths import ROOT


def test_readme_opens_with_two_make_commands_that_exist():
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```sh", 1)[1].split("```", 1)[0]
    commands = re.findall(r"^make (\w+)", first_block, flags=re.M)
    assert len(commands) == 2 and "test" in commands
    targets = set(re.findall(r"^([a-z-]+):", (ROOT / "Makefile").read_text(), flags=re.M))
    assert set(commands) <= targets
    assert readme.index("```sh") < 120, "the commands come first"
