"""Rebuild every man's search column: the rows written in bulk (the demo's earlier group,
large data) had none, so more than half of the demo's men could not be found by name."""

import re

from django.db import migrations

# A frozen copy of dvpp.search.name_search_text as it was when this migration was written (a
# migration never imports code that may change): names as written and in Latin letters (ICAO
# Doc 9303), case-folded, «ё» as «е»; a part with no letter or digit («—») is left out.
_ICAO = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w")
BATCH = 1000


def _normalise(text):
    return _SPACES.sub(" ", text.casefold().replace("ё", "е")).strip()


def _transliterate(text):
    out = []
    for index, char in enumerate(text):
        latin = _ICAO.get(char.lower())
        if latin is None:
            out.append(char)
        elif not char.isupper() or not latin:
            out.append(latin)
        else:
            neighbour = text[index + 1 : index + 2] or text[index - 1 : index]
            out.append(latin.upper() if neighbour.isupper() else latin.capitalize())
    return "".join(out)


def _search_text(*parts):
    written = " ".join(part for part in parts if part and _WORD.search(part))
    latin = _transliterate(written)
    return _normalise(written if latin == written else f"{written} {latin}")


def rebuild_search_text(apps, schema_editor):
    Participant = apps.get_model("participants", "Participant")
    changed = []
    for man in Participant.objects.order_by("pk").iterator(chunk_size=BATCH):
        if man.anonymised_at is not None or man.erased_at is not None:
            text = _normalise(man.reference)  # a removed name is never found
        else:
            text = _search_text(
                man.reference, man.last_name, man.first_name, man.patronymic, man.previous_surnames
            )
        if text != man.search_text:
            man.search_text = text
            changed.append(man)
        if len(changed) >= BATCH:
            Participant.objects.bulk_update(changed, ["search_text"])
            changed = []
    Participant.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("participants", "0012_search_in_latin_and_trigram_index")]

    operations = [migrations.RunPython(rebuild_search_text, migrations.RunPython.noop)]
