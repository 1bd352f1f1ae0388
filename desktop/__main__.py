"""`python -m desktop` runs the `parley` command."""

import sys

from desktop.cli import main

sys.exit(main())
