"""Names, dates of birth and case references stay out of every URL, redirect and log line, over
a whole working flow: open the caseload and the family, record, correct, add a person."""

import logging
import re

from django.urls import reverse
from django.utils import timezone

from tests.casework.forms_data import record_session_post

LINK = re.compile(r'(?:href|action|src)="([^"]*)"')


def test_a_working_flow_puts_no_identifying_detail_in_urls_or_logs(world, signed_in, caplog):
    family = world.family
    family.name, family.case_reference = "Zebedee family", "EH-77123"
    family.save()
    person = family.people.first()
    person.first_name = "Quentavia"
    person.save()
    secrets_ = ["Zebedee", "EH-77123", "Quentavia", person.date_of_birth.isoformat(),
                person.date_of_birth.strftime("%d/%m/%Y")]
    client = signed_in(world.practitioner)
    seen_urls: list[str] = []
    caplog.set_level(logging.DEBUG)

    def visit(response):
        seen_urls.extend(LINK.findall(response.content.decode()))
        if "Location" in response:
            seen_urls.append(response["Location"])
        return response

    visit(client.get(reverse("home")))
    visit(client.get(reverse("family", args=[family.pk])))
    visit(client.get(reverse("record_session", args=[family.pk])))
    saved = visit(client.post(reverse("record_session", args=[family.pk]),
                              record_session_post(family, timezone.localdate())))
    visit(client.get(saved["Location"]))
    record = person.administrations.get(tool="ORS")
    visit(client.post(reverse("correct_administration", args=[record.pk]), {
        "item_1": "1.0", "item_2": "2.0", "item_3": "3.0", "item_4": "4.0",
        "reason": "Quentavia's marks were copied wrongly"}))
    visit(client.post(reverse("add_person", args=[family.pk]), {
        "first_name": "Quentavia", "date_of_birth-day": "1", "date_of_birth-month": "2",
        "date_of_birth-year": "2015", "preferred_language": "en"}))
    visit(client.get(reverse("family", args=[9_999_999])))  # a 404 is logged

    assert len(seen_urls) > 20 and caplog.records, "the flow should produce links and logs"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in secrets_:
        assert not [u for u in seen_urls if secret.lower() in u.lower()], secret
        assert secret not in logged, secret
