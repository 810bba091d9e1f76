"""Where reads go: the dashboards' and the analysis's to the "reporting" database (a read
replica, settings.FF_REPORTING_DATABASE_URL) when there is one, everything else to "default".

A router sees only the model, not who asks, so the pages that report say so by running inside
`reads()`; a write always goes to the primary, and so does every read outside `reads()`, which
keeps a practitioner reading what they have just saved."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPORTING = "reporting"
_reporting: ContextVar[bool] = ContextVar("reporting", default=False)


@contextmanager
def reads():
    """Reads in this block (or view, as a decorator) go to the replica, if there is one."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


class Router:
    def db_for_read(self, model, **hints):
        if _reporting.get() and REPORTING in settings.DATABASES:
            return REPORTING
        return None  # the default, or where the object a query starts from was read

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied: every row is on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's schema
