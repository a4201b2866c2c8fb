"""``python -m desktop_app``: the same as the ``workstation`` command."""

import sys

from desktop_app.cli import main

sys.exit(main())
