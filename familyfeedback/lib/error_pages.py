"""Error pages in the design system's words."""

from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def server_error(request):
    # No request: the page must not depend on the session or the database that may have failed.
    return render(None, "errors/500.html", status=500)


def csrf_failure(request, reason=""):
    # Usually a form left open past the session's end: say what to do, not Django's reason.
    return render(request, "errors/403.html", status=403)
