"""Django's SQLite backend, with the database file readable by its owner only.

SQLite creates a database file with the process's umask (often 0644: anyone on the machine could
read every child's record) and gives the WAL and shared-memory files beside it the database
file's own permissions. So the file is made 0600 before SQLite opens it, and a file made looser
earlier is tightened; the WAL and shm follow. Django has no setting for this, hence a backend.
"""

import os
import stat
from pathlib import Path

from django.db.backends.sqlite3 import base

OWNER_ONLY = 0o600


def make_owner_only(name) -> None:
    """Create the database file at name (0600) if there is none; tighten it and any WAL and shm
    beside it to 0600 if they are looser. An in-memory database has no file."""
    name = str(name)
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return
    path = Path(name)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, OWNER_ONLY))
    except FileNotFoundError:
        return  # no such folder: SQLite says so in its own words when it tries to open it
    for file in (path, Path(f"{name}-wal"), Path(f"{name}-shm")):
        try:
            if stat.S_IMODE(file.stat().st_mode) != OWNER_ONLY:
                file.chmod(OWNER_ONLY)
        except FileNotFoundError:
            pass


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        make_owner_only(conn_params["database"])
        return super().get_new_connection(conn_params)
