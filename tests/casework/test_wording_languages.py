"""labels_for gives a measure's wording in a person's language where the loaded pack has it,
else English, and says which language it gave."""

import json
from pathlib import Path

from familyfeedback import measures
from familyfeedback.casework.models import InstalledTextPack
from familyfeedback.casework.wording import labels_for

PACK = json.loads((Path(__file__).parents[1] / "fixtures" / "text_pack_languages.json")
                  .read_text(encoding="utf-8"))
ORS, YCORS = measures.get("ORS"), measures.get("YCORS")


def loaded():
    InstalledTextPack.objects.create(data=PACK, holder="Test Council", reference="TEST-LANG-1")


def test_welsh_and_urdu_wording_is_given_with_its_language(db):
    loaded()
    welsh = labels_for([ORS], "cy")["ORS"]
    urdu = labels_for([ORS], "ur")["ORS"]
    assert (welsh.language, welsh.title, welsh.items[0].label, welsh.items[0].low) == (
        "cy", "Ffurflen brawf", "Llinell brawf 1", "Isel")
    assert (urdu.language, urdu.title, urdu.licensed) == ("ur", "آزمائشی فارم", True)


def test_a_language_without_wording_gets_the_english_of_the_pack(db):
    loaded()
    words = labels_for([ORS, YCORS], "pl")
    assert (words["ORS"].language, words["ORS"].title) == ("en", "Test outcome form")
    assert (words["YCORS"].language, words["YCORS"].faces["happy"]) == ("en", "Test happy")


def test_without_a_pack_the_neutral_labels_are_english(db):
    words = labels_for([ORS], "cy")["ORS"]
    assert (words.language, words.licensed) == ("en", False)
