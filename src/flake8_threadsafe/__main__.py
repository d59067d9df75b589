"""``python -m flake8_threadsafe``: the ``flake8-threadsafe`` command."""

import sys

from flake8_threadsafe.cli import main

sys.exit(main())
