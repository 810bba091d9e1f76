"""gunicorn's settings that a command line cannot give (the command itself is deploy/entrypoint):
an access log line says when, what was asked for and how it went, and nothing of who asked or of
what they typed. No client address (behind the proxy it is the proxy's), no referrer (it is the
page before, token and all), no user agent or other headers, no query string, and the path as
familyfeedback.lib.logged_paths keeps it."""

from gunicorn.glogging import Logger

from familyfeedback.lib.logged_paths import loggable_path

access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'

# Only these of gunicorn's atoms reach a log line; any other a changed format asks for prints "-".
_KEPT = ("t", "m", "H", "s", "b", "B", "T", "D", "M", "L", "p")


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        every = super().atoms(resp, req, environ, request_time)
        path = loggable_path(environ.get("PATH_INFO", ""))
        return {**{key: every[key] for key in _KEPT},
                "U": path, "r": f"{every['m']} {path} {every['H']}"}


logger_class = AccessLogger
