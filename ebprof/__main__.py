"""Allow ``python -m ebprof``."""

import sys

from ebprof.cli import main

sys.exit(main())
