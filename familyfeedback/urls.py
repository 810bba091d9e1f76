from django.urls import include, path, register_converter

from familyfeedback.lib.converters import DottedNumberConverter, TokenConverter

# Registered before the apps' url modules are read: their routes use them.
register_converter(TokenConverter, "token")
register_converter(DottedNumberConverter, "number")

# Each app's routes live beside its views; every route keeps its name, with no namespace, so
# reverse("family", ...) and the templates' url() calls read as before.
urlpatterns = [
    path("", include("familyfeedback.casework.urls")),
    path("", include("familyfeedback.implementation.urls")),
    path("", include("familyfeedback.evaluation.urls")),
    path("", include("familyfeedback.accounts.urls")),
    path("", include("familyfeedback.privacy.urls")),
]

handler404 = "familyfeedback.lib.error_pages.not_found"
handler500 = "familyfeedback.lib.error_pages.server_error"
handler403 = "familyfeedback.lib.error_pages.forbidden"
