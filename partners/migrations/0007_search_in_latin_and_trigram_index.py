import re

from django.db import migrations

# A frozen copy of dvpp.names.search_forms and dvpp.search.normalise as they stood on 2026-12-04
# (a migration never imports code that may change): names as written and in Latin letters (ICAO
# Doc 9303), case-folded, «ё» as «е».
_ICAO = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip
_SPACES = re.compile(r"\s+")


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
    written = " ".join(part for part in parts if part)
    latin = _transliterate(written)
    text = written if latin == written else f"{written} {latin}"
    return _SPACES.sub(" ", text.casefold().replace("ё", "е")).strip()


def rebuild_search_text(apps, schema_editor):
    Partner = apps.get_model("partners", "Partner")
    for partner in Partner.objects.all().iterator():
        text = _search_text(partner.last_name, partner.first_name, partner.patronymic)
        if text != partner.search_text:
            Partner.objects.filter(pk=partner.pk).update(search_text=text)


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS partner_search_trgm "
        "ON partners_partner USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS partner_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("partners", "0006_names_in_one_alphabet")]

    operations = [
        migrations.RunPython(rebuild_search_text, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
