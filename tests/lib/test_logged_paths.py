import logging

from django.test import RequestFactory

from familyfeedback.lib.logged_paths import HidePathParts, loggable_path


def test_a_path_keeps_the_routes_words_and_ids():
    assert loggable_path("/families/42/sessions/new/") == "/families/42/sessions/new/"


def test_a_personal_links_token_is_hidden():
    assert loggable_path("/surveys/link/Zq8w_3k-Ab/7/") == "/surveys/link/*/7/"


def test_what_someone_typed_into_the_address_is_hidden():
    assert loggable_path("/families/Ashdown/") == "/families/*/"
    assert loggable_path("/ashdown-family") == "/*"


def test_static_files_keep_their_names():
    assert loggable_path("/assets/govuk-frontend.min.css") == "/assets/govuk-frontend.min.css"


def test_djangos_log_lines_keep_only_the_loggable_path():
    request = RequestFactory().get("/surveys/link/Zq8w_3k-Ab/")
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "%s: %s",
                               ("Not Found", request.path), None)
    record.request = request
    assert HidePathParts().filter(record)
    assert record.getMessage() == "Not Found: /surveys/link/*/"
