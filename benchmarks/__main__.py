"""``python -m benchmarks`` (``make bench``): run the suite, print the table, write results.md."""

import sys

from benchmarks.runner import main

sys.exit(main())
