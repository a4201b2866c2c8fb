"""Entry point of the frozen ``workstation`` executable (PyInstaller's script).

The same ``desktop_app.cli.main`` as the pip-installed command. ``freeze_support``
comes first: ``workstation server --workers N`` starts uvicorn worker processes by
re-running this executable, which must then act as the worker, not parse a command.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from desktop_app.cli import main

    sys.exit(main())
