"""`python -m gongkai.cli ...` is the `gongkai` console script."""
import sys

from gongkai.cli import main

sys.exit(main())
