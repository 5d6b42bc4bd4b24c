"""The `flashpoint` command line (`flashpoint --help`). One module per group of commands, all
sharing cli/options.py; cli/app.py puts them together."""

from flashpoint.cli.app import app, main

__all__ = ["app", "main"]
