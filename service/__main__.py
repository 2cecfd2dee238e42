"""`python -m mixdeck.service` runs the `mixdeck` command line."""

import sys

from .cli import main

sys.exit(main())
