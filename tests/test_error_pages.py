"""Bad requests get a plain page in the design system, never a stack trace."""

from django.http import HttpResponse
from django.test import Client
from django.urls import path

from familyfeedback.urls import urlpatterns as app_urls


def broken(request):
    raise RuntimeError("secret detail that must not reach the page")


def fine(request):
    return HttpResponse("ok")


urlpatterns = [*app_urls, path("broken/", broken), path("fine/", fine)]
handler500 = "familyfeedback.lib.error_pages.server_error"
handler404 = "familyfeedback.lib.error_pages.not_found"


def test_an_unexpected_error_shows_a_plain_page_without_the_detail(world, settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    client.force_login(world.practitioner)
    response = client.get("/broken/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "secret detail" not in page and "Traceback" not in page


def test_a_missing_page_says_what_to_do(world, signed_in):
    response = signed_in(world.practitioner).get("/families/999999/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_form_sent_without_its_csrf_token_gets_a_plain_page(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.practitioner)
    response = client.post(f"/families/{world.family.pk}/sessions/new/", {})
    assert response.status_code == 403
    assert "Go back, reload the page and try again" in response.content.decode()
