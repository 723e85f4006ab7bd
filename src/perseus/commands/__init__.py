"""Subcommands of the `perseus` command."""
