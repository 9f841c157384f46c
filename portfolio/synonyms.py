"""The French words users write for our English field names and values, for "did you mean"
hints: `titre:` -> `title`, `consent: accordé` -> `granted`. Field names and values stay
English (SPEC.md); these only make the hint name the right one."""

from __future__ import annotations

import difflib
import re
import unicodedata

# French (accents folded, lowercase, `-` and spaces as `_`) -> the English names it may
# mean, most likely first; a hint names the first one the mapping actually knows.
FIELDS: dict[str, tuple[str, ...]] = {
    "titre": ("title",),
    "intitule": ("title", "label"),
    "resume": ("summary",),
    "sommaire": ("summary",),
    "description": ("summary",),
    "chapeau": ("summary",),
    "accroche": ("pitch", "summary", "headline"),
    "role": ("role",),
    "poste": ("role",),
    "fonction": ("role",),
    "nom": ("name",),
    "equipe": ("collaborators", "team_size"),
    "collaborateurs": ("collaborators",),
    "collaboratrices": ("collaborators",),
    "taille_equipe": ("team_size",),
    "taille_de_l_equipe": ("team_size",),
    "etiquettes": ("tags",),
    "etiquette": ("tags",),
    "mots_cles": ("tags",),
    "mots_clefs": ("tags",),
    "competences": ("skills",),
    "canaux": ("channels",),
    "canal": ("channels",),
    "reseaux": ("channels",),
    "couverture": ("cover",),
    "galerie": ("gallery",),
    "metriques": ("metrics",),
    "resultats": ("metrics",),
    "chiffres": ("metrics",),
    "indicateurs": ("metrics",),
    "kpi": ("metrics",),
    "temoignage": ("testimonial",),
    "ecole": ("school",),
    "etablissement": ("institution",),
    "formation": ("course",),
    "cours": ("course",),
    "employeur": ("employer",),
    "entreprise": ("employer", "company"),
    "agence": ("employer",),
    "secteur": ("industry",),
    "industrie": ("industry",),
    "periode": ("period",),
    "debut": ("start",),
    "fin": ("end",),
    "brouillon": ("draft",),
    "a_la_une": ("featured",),
    "en_avant": ("featured",),
    "mis_en_avant": ("featured",),
    "vedette": ("featured",),
    "type": ("kind", "type"),
    "genre": ("kind",),
    "categorie": ("kind",),
    "libelle": ("label",),
    "avant": ("before",),
    "apres": ("after",),
    "valeur": ("value",),
    "unite": ("unit",),
    "citation": ("quote",),
    "auteur": ("author",),
    "autrice": ("author",),
    "consentement": ("consent",),
    "accord": ("consent",),
    "alias": ("anonymized_as",),
    "anonyme": ("anonymized_as",),
    "anonymise": ("anonymized_as",),
    "nom_anonyme": ("anonymized_as",),
    "legende": ("caption",),
    "credit": ("credit",),
    "texte_alternatif": ("alt",),
    "video": ("video",),
    "lien": ("link", "url"),
    "site": ("url",),
    "site_web": ("url",),
    "adresse": ("url", "base_url"),
    "note": ("grade",),
    "notes_privees": ("private_notes",),
    "prive": ("private",),
    "protege": ("protected",),
    "non_liste": ("unlisted",),
    "cache": ("unlisted",),
    "mot_de_passe": ("password_env",),
    "langue": ("language",),
    "langues": ("languages",),
    "theme": ("theme",),
    "societe": ("company",),
}

# Values of the fields that take one word from a list (`consent`, `kind`, `better`, `chart`).
VALUES: dict[str, tuple[str, ...]] = {
    "oui": ("granted",),
    "accorde": ("granted",),
    "accordee": ("granted",),
    "d_accord": ("granted",),
    "ok": ("granted",),
    "autorise": ("granted",),
    "autorisee": ("granted",),
    "donne": ("granted",),
    "valide": ("granted",),
    "public": ("granted",),
    "publique": ("granted",),
    "anonyme": ("pending", "anonymize"),
    "anonymise": ("pending", "anonymize"),
    "anonymisee": ("pending", "anonymize"),
    "anonymiser": ("anonymize",),
    "anonymized": ("pending", "anonymize"),
    "anonymous": ("pending", "anonymize"),
    "en_attente": ("pending",),
    "attente": ("pending",),
    "a_demander": ("pending",),
    "demande": ("pending",),
    "inconnu": ("pending",),
    "refuse": ("denied",),
    "refusee": ("denied",),
    "refus": ("denied",),
    "non": ("denied",),
    "declined": ("denied",),
    "refused": ("denied",),
    "masquer": ("withhold",),
    "retenir": ("withhold",),
    "cacher": ("withhold",),
    "prive": ("private",),
    "privee": ("private",),
    "protege": ("private",),
    "confidentiel": ("private",),
    "confidentielle": ("private",),
    "agence": ("agency",),
    "independant": ("freelance",),
    "independante": ("freelance",),
    "benevole": ("volunteer",),
    "benevolat": ("volunteer",),
    "associatif": ("volunteer",),
    "personnel": ("personal",),
    "personnelle": ("personal",),
    "perso": ("personal",),
    "ecole": ("school",),
    "scolaire": ("school",),
    "etudiant": ("school",),
    "etudes": ("school",),
    "plus_haut": ("higher",),
    "haut": ("higher",),
    "plus": ("higher",),
    "plus_bas": ("lower",),
    "bas": ("lower",),
    "moins": ("lower",),
    "ligne": ("line",),
    "courbe": ("line",),
    "aire": ("area",),
    "surface": ("area",),
    "barre": ("bar",),
    "barres": ("bar",),
    "histogramme": ("bar",),
    "anglais": ("en",),
    "francais": ("fr",),
}


def fold(word: str) -> str:
    """Lowercase, accents removed, any run of spaces, `-` or `'` as one `_`."""
    plain = unicodedata.normalize("NFKD", word.strip().lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[\s\-'’_]+", "_", plain).strip("_")


def _lookup(word: str, table: dict[str, tuple[str, ...]], known: list[str]) -> str | None:
    folded = fold(word)
    if folded in known:  # `rôle` -> `role`, `En attente` is not, `Granted` -> `granted`
        return folded
    names = table.get(folded)
    if names is None:
        if difflib.get_close_matches(folded, known, n=1, cutoff=0.6):
            return None  # a typo in the English name (`colaborators`): the caller's match
        # a typo in the French word: `acordé` -> `accorde`
        close = difflib.get_close_matches(folded, list(table), n=1, cutoff=0.8)
        names = table[close[0]] if close else ()
    return next((name for name in names if name in known), None)


def field_for(key: str, known: list[str], value: object = None) -> str | None:
    """The known field a French (or accented) field name means, or None."""
    if fold(key) == "equipe" and isinstance(value, int) and "team_size" in known:
        return "team_size"  # `équipe: 4` is a size; `équipe: [Ana, Hugo]` are people
    return _lookup(key, FIELDS, known)


def value_for(value: str, options: tuple[str, ...]) -> str | None:
    """The option a French (or accented) word means, or None."""
    return _lookup(value, VALUES, list(options))
