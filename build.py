"""Entry point: `python build.py [COMMAND]` is the same program as `sitegen [COMMAND]`."""

import sys

from sitegen.cli import main

if __name__ == "__main__":
    sys.exit(main())
