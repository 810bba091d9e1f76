"""What the record-session form sends, built the way a browser would send it."""

import uuid
from datetime import date

from familyfeedback import measures
from familyfeedback.casework.models import Family


def record_session_post(family: Family, on: date, overrides: dict | None = None,
                        present=None) -> dict:
    people = list(family.people.all()) if present is None else present
    data = {
        "token": str(uuid.uuid4()),
        "date-day": str(on.day), "date-month": str(on.month), "date-year": str(on.year),
        "kind": "home_visit",
        "present": [str(p.pk) for p in people],
        "notes": "",
    }
    for person in people:
        if person.date_of_birth > on:
            continue  # the page offers no forms for someone not yet born
        age = measures.age_on(person.date_of_birth, on)
        for tool, marks in (("ORS", ("4.5", "5.0", "6.1", "3.2")), ("SRS", ("9.5", "9.1", "8.7",
                                                                               "9.9"))):
            measure = measures.measure_for(tool, age)
            prefix = f"p{person.pk}-{tool.lower()}"
            data[f"{prefix}-status"] = "completed"
            data[f"{prefix}-shown_measure"] = measure.code
            if measure.kind == "faces":
                data[f"{prefix}-face"] = "happy"
            else:
                for n, mark in enumerate(marks, start=1):
                    data[f"{prefix}-item_{n}"] = mark
    data.update(overrides or {})
    return data

