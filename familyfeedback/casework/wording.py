"""The words shown for each measure: the licensed text pack when one is loaded, otherwise our own
neutral labels, and always a plain statement of which it is."""

from dataclasses import dataclass

from familyfeedback import measures
from familyfeedback.casework.models import InstalledTextPack


@dataclass(frozen=True)
class ItemWords:
    key: str
    label: str
    low: str
    high: str


@dataclass(frozen=True)
class MeasureWords:
    code: str
    title: str
    instructions: str
    items: tuple[ItemWords, ...]
    faces: dict[str, str]
    licensed: bool
    # The BCP 47 code of the language the words are in: the one asked for where the pack has
    # it, else English (our neutral labels are English too).
    language: str = measures.FALLBACK_LANGUAGE


def current_pack() -> tuple[InstalledTextPack | None, measures.TextPack | None]:
    installed = InstalledTextPack.objects.first()
    if installed is None:
        return None, None
    return installed, measures.parse_text_pack(installed.data)


def text_pack_status() -> dict:
    installed = InstalledTextPack.objects.only("holder", "reference", "loaded_at").first()
    if installed is None:
        return {"loaded": False, "notice": measures.NEUTRAL_WORDING_NOTICE}
    return {"loaded": True, "holder": installed.holder, "reference": installed.reference}


def labels_for(measure_list, language: str = measures.FALLBACK_LANGUAGE
               ) -> dict[str, MeasureWords]:
    _, pack = current_pack()
    words = {}
    for measure in measure_list:
        if measure.code in words:
            continue
        text = pack.measure_text(measure.code, language) if pack else None
        items = tuple(
            ItemWords(
                key=item.key,
                label=text.items[item.key].label if text else item.label,
                low=text.items[item.key].low if text else "Badly",
                high=text.items[item.key].high if text else "Well",
            )
            for item in measure.items
        )
        faces = {face.key: (text.faces[face.key] if text else face.label)
                 for face in measure.faces}
        words[measure.code] = MeasureWords(
            code=measure.code,
            title=text.title if text else measure.name,
            instructions=text.instructions if text else "",
            items=items,
            faces=faces,
            licensed=text is not None,
            language=text.language if text else measures.FALLBACK_LANGUAGE,
        )
    return words
