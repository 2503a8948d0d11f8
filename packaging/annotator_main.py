"""Entry point of the frozen bundle (packaging/annotator.spec): the ``annotator`` command."""

import multiprocessing
import sys

from annotator.cli import main

if __name__ == "__main__":
    # suggestions and model training run in child processes started with "spawn": in the
    # bundle, such a child re-runs this executable, and freeze_support hands it its work
    multiprocessing.freeze_support()
    sys.exit(main())
