"""Entry point: `python build.py [COMMAND]` is the same program as `sitegen [COMMAND]`."""

from sitegen.cli import entry

if __name__ == "__main__":
    entry()
