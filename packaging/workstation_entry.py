"""Entry point of the frozen ``workstation`` executable (PyInstaller's script).

The same ``desktop_app.cli.main`` as the pip-installed command, after two things only
a frozen app needs:

* ``freeze_support``: ``workstation server --workers N`` starts uvicorn worker
  processes by re-running this executable, which must then act as the worker.
* The library path of child processes: the bootloader sets ``LD_LIBRARY_PATH`` to the
  bundle so this process loads the bundled Qt, OpenSSL, … The dynamic loader reads it
  once, at start-up, so restoring the user's value here changes only the programs the
  app starts (``xdg-open`` for an attached file and the viewer it launches), which
  would otherwise load the bundle's libraries instead of their own and may crash.
  Not for ``workstation server``: its uvicorn workers are this executable again,
  started by multiprocessing with this process's environment, and they need the
  bundle's path to load NumPy's OpenBLAS, Shiboken, … ("cannot open shared object
  file" otherwise); the server starts no desktop programs.
"""

import multiprocessing
import os
import sys


def _user_library_path_for_children() -> None:
    if not sys.platform.startswith("linux"):
        return
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is not None:
        os.environ["LD_LIBRARY_PATH"] = original
    else:
        os.environ.pop("LD_LIBRARY_PATH", None)


if __name__ == "__main__":
    multiprocessing.freeze_support()
    if "server" not in sys.argv[1:]:
        _user_library_path_for_children()
    from desktop_app.cli import main

    sys.exit(main())
