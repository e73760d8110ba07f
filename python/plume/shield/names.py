"""People's names: found after a civility ("Mme Hélène Van der Berg", "monsieur martin", "Dr
Иван Петров"), after "famille", "époux", "épouse", "veuve", "née", or as a "Prénom NOM"
signature; then every later mention of a person found (:func:`propagate_mentions`): the
full name again, the surname alone, the first name alone, in capitals, with other spaces
or without its hyphen. All mentions of one person share one ``canonical`` value, so they
get one placeholder.

Not names (kept as they are): functions after a civility ("Monsieur le Maire", "Madame la
Directrice générale des services"), and a civility or name that is part of a street or
building name ("rue du Docteur Roux", "école Victor HUGO"): those are parts of an address
or of an institution, not mentions of a person.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from .finding import Finding


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _letters(*ranges: tuple[int, int]) -> tuple[str, str, str]:
    """Uppercase, lowercase and caseless letters in ``ranges``, as regex class bodies."""
    upper: list[str] = []
    lower: list[str] = []
    caseless: list[str] = []
    for first, last in ranges:
        for code in range(first, last + 1):
            char = chr(code)
            if not char.isalpha():
                continue
            (upper if char.isupper() else lower if char.islower() else caseless).append(char)
    return tuple(_class_body(chars) for chars in (upper, lower, caseless))  # type: ignore[return-value]


def _class_body(chars: list[str]) -> str:
    """``chars`` as ranges for a character class (``A-Z``...)."""
    body, codes = [], sorted(ord(c) for c in chars)
    index = 0
    while index < len(codes):
        end = index
        while end + 1 < len(codes) and codes[end + 1] == codes[end] + 1:
            end += 1
        first, last = chr(codes[index]), chr(codes[end])
        body.append(re.escape(first) if first == last else f"{re.escape(first)}-{re.escape(last)}")
        index = end + 1
    return "".join(body)


# Latin, Greek and Cyrillic have cases; Arabic, Hebrew, Chinese, Japanese and Korean do not.
_UP, _LOW, _CASED_OTHER = _letters((0x41, 0x24F), (0x370, 0x3FF), (0x400, 0x52F), (0x1E00, 0x1EFF))
_CASELESS = _class_body(
    [
        chr(c)
        for lo, hi in (
            (0x5D0, 0x5EA),
            (0x620, 0x64A),
            (0x66E, 0x6D3),
            (0x3040, 0x30FF),
            (0x3400, 0x4DBF),
            (0x4E00, 0x9FFF),
            (0xAC00, 0xD7AF),
        )
        for c in range(lo, hi + 1)
        if chr(c).isalpha()
    ]
)
_MARKS = "\u0300-\u036f\u064b-\u065f"  # combining accents, Arabic vowel signs
_APOSTROPHES = "'’ʼ"
_SPACES = " \u00a0\u202f\u2009\t"
_HYPHENS = "-‐‑"
_DASHES = r"\-‐‑"  # the same, for a regex class

_LETTER = f"[{_UP}{_LOW}{_CASED_OTHER}{_CASELESS}{_MARKS}]"
# A word: letters, with inner apostrophes ("N'Diaye", "Floc'h") and hyphens ("Jean-Pierre").
_PART = f"{_LETTER}{{1,40}}(?:[{_APOSTROPHES}]{_LETTER}{{1,40}}){{0,3}}"
_WORD = re.compile(f"{_PART}(?:[{_DASHES}]{_PART}){{0,3}}")  # bounded: a name is not a page
_GAP = re.compile(f"[{_SPACES}]{{1,3}}")

_CIVILITY = re.compile(
    r"(?=[MmDdPp])(?<![\w.])(?:"  # the first letter first: four times faster
    r"(?P<short>M|MM|Mr|Me|Pr|Dr|dr|Mme|Mmes|Mlle|Mlles|Mgr)\.?"
    r"|(?P<long>(?i:monsieur|messieurs|madame|mesdames|mademoiselle|mesdemoiselles|ma[iî]tre|docteur|professeur|mme|mmes|mlle|mlles))\.?"
    r")(?![\w])"
)
# A birth name, a family or a spouse: "née Martin", "famille Diallo", "veuve Le Goff".
_KIN = re.compile(r"(?=[fFéeÉEvVnN])(?<![\w])(?:famille|[ée]poux|[ée]pouse|veuve|vve|n[ée]e?s?|(?m:^Famille))(?![\w])")

# Civilities that are also common nouns ("un docteur", "le maître") or short French words
# ("me", "pr") are never followed by a lowercase name.
# Titles streets and buildings are named after ("rue du Docteur Roux", "lycée du Professeur X").
_TITLES = frozenset(["dr", "docteur", "pr", "professeur", "mgr"])
_LOWERCASE_OK = frozenset(["monsieur", "madame", "mademoiselle", "mme", "mlle", "mmes", "mlles", "dr"])

PARTICLES = _words(
    """de du des d' la le les l' van vander von der den ter ten zu da das do dos del della di lo el
    al ben bin ibn ould ait aït bou abou mac mc y e"""
)
# A particle on its own does not start a lowercase name: "monsieur de" is not a name.
_FUNCTION_ARTICLES = frozenset(["le", "la", "les", "l'", "l’"])

# Functions and titles: "Monsieur le Maire", "Madame la Présidente", "M. le Préfet".
FUNCTIONS = _words(
    """maire adjoint adjointe premier premiere president presidente prefet prefete sous-prefet
    sous-prefete directeur directrice depute deputee senateur senatrice ministre secretaire
    tresorier tresoriere conseiller conseillere delegue deleguee chef responsable procureur
    procureure juge greffier greffiere commissaire inspecteur inspectrice recteur rectrice
    administrateur administratrice vice-president vice-presidente gerant gerante notaire avocat
    avocate huissier commandant capitaine colonel general lieutenant cure abbe pere soeur frere
    agent agente charge chargee principal principale proviseur proviseure officier rapporteur
    rapporteure doyen doyenne haut-commissaire questeur maitre docteur professeur monsieur
    madame mademoiselle messieurs mesdames directeurs presidents maires elus elu elue
    conseillers adjoints membres membre citoyen citoyenne usager usagere habitant habitante
    demandeur demandeuse requerant requerante interesse interessee titulaire beneficiaire
    destinataire signataire ouvrage oeuvre œuvre cheffe rapporteure conservateur conservatrice
    receveur receveuse payeur payeuse ordonnateur comptable"""
)

# Words that end or refuse a name: French function words and frequent verbs, so that
# "mme dupont a appelé" gives "dupont" and "Madame souhaite" gives nothing.
STOPWORDS = _words(
    """a à ai as au aux avec ce ces cet cette chez comme dans de des du elle elles en est et été
    être était étaient eu il ils je la le les leur leurs lui ma mais me mes moi mon même
    veuillez suite concernant conformément merci nous ne ni nos notre on ont ou où par pas pour
    qu que qui sa sans se ses si son sont sur ta te tes toi ton tu un une vos votre vous y ça
    sera seront serait avait avaient aura peut peuvent pourra pourrait doit doivent devra veut
    souhaite souhaitent demande demandent sollicite sollicitent indique précise rappelle signale
    informe confirme explique estime propose remercie déclare dit fait présente présenté
    présentée reçu reçue conclut souligne ajoute note constate répond réclame conteste accepte
    refuse transmet a-t-il a-t-elle après avant depuis pendant selon sous entre vers contre
    ainsi alors aussi donc or car puis très tout tous toute toutes rien aucun aucune chaque
    autre autres quel quelle quels quelles dont lors afin cependant toutefois également
    notamment ici là bonjour merci cordialement objet considérant article annexe signé courrier
    et/ou cf etc svp tél tel courriel mail email"""
)

_CIVILITY_WORDS = _words(
    """m mm mr me mme mmes mlle mlles dr pr mgr monsieur madame mademoiselle messieurs mesdames
    maitre docteur professeur"""
)

# Capitalised words that start sentences or headings and are not first names.
NOT_FIRST_NAMES = _words(
    """le la les un une des du de au aux article articles décret loi code arrêté arrete vu
    considérant service services direction mairie conseil monsieur madame objet annexe pièce
    ville commune région département république société entreprise association numéro référence
    total montant délibération deliberation séance seance budget compte chapitre opération
    operation pôle pole centre agence hôtel tribunal préfecture prefecture rapport dossier avis
    projet marché marche plan programme commission bureau comité comite assemblée assemblee
    cabinet secrétariat secretariat division mission cellule unité unite département departement
    fait signé signe lu approuvé approuve pour contre abstention abstentions présents presents
    absents excusés excuses ordre sujet réf ref tél tel fax courriel email mail site adresse
    date heure lieu nom prénom prenom madame messieurs mesdames bonjour cordialement sincèrement
    respectueusement et ou en dans sur par avec sans sous chez vers selon entre total sous-total
    note nota titre chapitre section paragraphe alinéa alinea tableau figure page pages rue
    avenue boulevard place allée allee impasse chemin route quai cours square résidence
    residence école ecole collège college lycée lycee salle stade gymnase parc hôpital hopital
    groupe fondation institut université universite caisse banque crédit credit fonds office
    établissement etablissement syndicat communauté communaute métropole metropole agglomération
    agglomeration état etat france europe union ministère ministere mme mlle mmes mlles mr me dr
    pr mgr maître maitre docteur professeur mademoiselle famille veuve épouse époux née cher
    chère chers chères"""
)

# Capitalised words that are acronyms or administrative words, never a surname in capitals.
ACRONYMS = _words(
    """SIREN SIRET NIR IBAN BIC RCS TVA EUR HT TTC CEDEX RGPD CNIL DGFIP CAF CPAM URSSAF CCAS EPCI
    PLU PDF SA SAS SARL EURL SCI ZAC ZI FALC IA AI RIB DGS DRH RH MDPH PMI ARS ANAH CAUE SDIS
    INSEE ONU UE PV CR OK NB PS CV BP CS TSA DUP ERP DSP OPH HLM EHPAD RSA APL AAH PREMIER
    PREMIÈRE MUNICIPAL MUNICIPALE GÉNÉRAL GENERAL GÉNÉRALE GENERALE PUBLIC PUBLIQUE PRIMITIF
    ADMINISTRATIF COMMUNAL COMMUNALE DÉPARTEMENTAL DEPARTEMENTAL RÉGIONAL REGIONAL NATIONAL
    NATIONALE FRANCE SERVICE SERVICES CONSEIL ARRÊTÉ ARRETE ARRÊTE DÉCRET DECRET OBJET ANNEXE
    ARTICLE URGENT CONFIDENTIEL IMPORTANT NOTE RAPPEL TOTAL ET OU DE DU DES LA LE LES EN AU AUX
    PAR POUR SUR"""
)


def _folded_set(words: frozenset[str]) -> frozenset[str]:
    return frozenset(_plain(w) for w in words)


# (The lookahead holds the words' first letters in either case, and İ, ı and ſ, which the
# case-insensitive match also takes for i and s: most positions of the stretch searched
# fail on it at once.)
_STREET = re.compile(
    r"(?=[AaBbCcEeFfGgHhIiİıLlMmPpQqRrSsſÉé])"
    r"(?i:\b(?:rue|avenue|av|boulevard|bd|place|allée|allee|impasse|chemin|route|quai|cours|square|"
    r"esplanade|promenade|parc|pont|résidence|residence|lotissement|cité|école|ecole|collège|"
    r"college|lycée|lycee|groupe\s+scolaire|salle|stade|gymnase|centre|hôpital|hopital|clinique|"
    r"fondation|institut|espace|médiathèque|mediatheque|bibliothèque|bibliotheque|maison|foyer|prix)"
    r"\.?(?:\s+(?:du|de\s+la|de|des|d['’]|de\s+l['’]))?)[\s\u00a0\u202f]*$"
)
_STREET_LOOKBACK = 40


def _fold_char(char: str) -> str:
    """One character folded for comparison: lowercase, no accent, one kind of space,
    hyphen and apostrophe. Always one character, so folded offsets are the text's."""
    if char in _SPACES or char in _HYPHENS:
        return " "
    if char in _APOSTROPHES:
        return "'"
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


_FOLD = {code: _fold_char(chr(code)) for code in range(0x80, 0x2100) if _fold_char(chr(code)) != chr(code)}
_FOLD.update({ord(c): " " for c in _SPACES + _HYPHENS if ord(c) < 0x80})
_FOLD.update({code: chr(code + 32) for code in range(0x41, 0x5B)})
_FOLD.update({0x2019: "'", 0x2BC: "'", 0x202F: " "})
_FOLD.update({ord(a): b for a, b in zip("łŁøØđĐı", "llooddi", strict=True)})
# The same as a list indexed by code point, which str.translate reads faster than a dict
# (characters past its end are left as they are).
_FOLD_TABLE = [_FOLD.get(code, chr(code)) for code in range(max(_FOLD) + 1)]


def fold(text: str) -> str:
    """``text`` for tolerant comparison, with the same length (see :func:`_fold_char`)."""
    return text.translate(_FOLD_TABLE)


def alternation(words: list[str], written: bool = False) -> str:
    """A regex matching any of ``words`` (folded), longest first, one or more spaces where a
    word has one: factored as a trie ("du(?:pont|rand)") so that a long list costs about
    what a short one does. ``written``: matches the text as written (any case, accents,
    spaces, hyphens and apostrophes) instead of folded text, which saves folding it."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def one(char: str) -> str:
        if char == " ":
            return f"[{_SPACES}{_DASHES}]+" if written else " +"
        if written and char in _WRITTEN_AS:
            return _WRITTEN_AS[char]
        return re.escape(char)

    def build(node: dict) -> str:  # type: ignore[type-arg]
        branches = [one(c) + build(node[c]) for c in sorted(k for k in node if k)]
        if not branches:
            return ""
        group = "(?:" + "|".join(branches) + ")"
        if "" in node:
            return group + "?"
        return branches[0] if len(branches) == 1 else group

    return build(trie)


def _written_as() -> dict[str, str]:
    """For each folded character, a class of the characters that fold to it."""
    inverse: dict[str, set[str]] = {}
    for code in range(0x20, 0x2100):
        char = chr(code)
        inverse.setdefault(fold(char), set()).add(char)
    return {
        folded: "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"
        for folded, chars in inverse.items()
        if len(chars) > 1 and len(folded) == 1
    }


_WRITTEN_AS = _written_as()


def matcher(words: list[str]) -> re.Pattern[str]:
    """Finds any of ``words`` (folded) as whole words in a text as written ("Hélène" also
    in "d'HELENE", not in "Hélènes"); fold a match to tell which word it is."""
    firsts = "".join(sorted({_WRITTEN_AS.get(w[0], re.escape(w[0])).strip("[]") for w in words if w}))
    # The first letter first, then the rest: a lookbehind first would test every position.
    return re.compile(f"(?=[{firsts}])(?<![^\\W_])(?:{alternation(words, written=True)})(?![^\\W_])")


@functools.lru_cache(maxsize=8192)
def _plain(word: str) -> str:
    return fold(word).strip()


_PARTICLES_WRITTEN = PARTICLES
_STOPWORDS_WRITTEN = STOPWORDS
PARTICLES = _folded_set(PARTICLES)
FUNCTIONS = _folded_set(FUNCTIONS)
STOPWORDS = _folded_set(STOPWORDS)
NOT_FIRST_NAMES = _folded_set(NOT_FIRST_NAMES) | {"m", "mm", "messrs"}


class _Token(NamedTuple):  # one for every word read after a cue: a tuple is made faster than a dataclass
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        return _plain(self.text)

    @property
    def shape(self) -> str:
        """``upper``, ``cap``, ``lower`` or ``caseless``."""
        return _shape(self.text)


@functools.lru_cache(maxsize=8192)
def _shape(text: str) -> str:
    cased = [c for c in text if c.isalpha() and (c.isupper() or c.islower())]
    if not cased:
        return "caseless"
    if all(c.isupper() for c in cased):
        return "upper" if len(cased) > 1 or len(text) == 1 else "cap"
    if cased[0].isupper() or (len(text) > 2 and text[1] in _APOSTROPHES and text[2].isupper()):
        return "cap"  # "Hélène", "McDonald", "d'Arcy"
    return "lower"


def _tokens(text: str, position: int, limit: int = 8) -> Iterator[_Token]:
    """Words from ``position`` separated by one to three spaces (never a line break)."""
    for _ in range(limit):
        gap = _GAP.match(text, position)
        if gap is None:
            return
        word = _WORD.match(text, gap.end())
        if word is None:
            return
        yield _Token(word.start(), word.end(), word.group())
        position = word.end()


def _is_particle(token: _Token) -> bool:
    return _is_particle_word(token.text)


@functools.lru_cache(maxsize=8192)  # a word is asked about several times
def _is_particle_word(word: str) -> bool:
    key = word.lower().replace("’", "'")  # accents count: "Lê" is a name, "Le" a particle
    return key in _PARTICLES_WRITTEN or (len(key) <= 3 and key.endswith("'") and key[:-1] in ("d", "l"))


def _name_after(text: str, position: int, lowercase_ok: bool) -> tuple[int, int] | None:
    """The span of the name that starts after ``position`` (just after a civility or a kin
    word), or None: capitalised words and particles, or (``lowercase_ok``) one or two
    lowercase words that are not common French words."""
    taken: list[_Token] = []
    pending: list[_Token] = []  # particles waiting for the word they introduce
    shape = ""
    for token in _tokens(text, position):
        key = token.key
        token_shape = token.shape
        if len(key) > 2 and key[1] == "'" and key[0] in "dl":
            rest = key[2:]  # "l'Adjoint", "d'Ouvrage" are not names; "d'Arcy" is
            if (key[0] == "l" and not taken) or rest in FUNCTIONS or rest in STOPWORDS or rest in NOT_FIRST_NAMES:
                break
        if not taken and not pending and key in _FUNCTION_ARTICLES and token_shape == "lower" and not lowercase_ok:
            return None  # "Monsieur le Maire", "Madame la Présidente"
        if (_is_particle(token) and token_shape != "upper") or (token_shape == "upper" and _is_particle(token) and not taken):
            pending.append(token)
            continue
        written = token.text.lower().replace("’", "'")  # "Lê" is a name, "le" a word
        if (
            key in FUNCTIONS
            or key in _CIVILITY_WORDS
            or (written in _STOPWORDS_WRITTEN and token_shape != "upper" and (taken or token_shape == "lower"))
        ):
            break  # "Monsieur le Maire", "M. Dupont a écrit"; yet "Mme Vu" is a name
        if token_shape == "lower":
            if shape not in ("", "lower") or not lowercase_ok or key in STOPWORDS:
                break
            if pending and pending[0].key in _FUNCTION_ARTICLES and not taken and key in FUNCTIONS:
                return None  # "monsieur le maire"
            shape = "lower"
            if len(taken) == 2:
                break
        elif token_shape in ("cap", "upper"):
            if shape == "lower" or (shape == "caseless"):
                break
            if key.upper() in ACRONYMS and token_shape == "upper" and not taken and key not in ("de", "du", "le", "la"):
                break
            shape = "cased"
        else:  # caseless script
            if shape not in ("", "caseless"):
                break
            shape = "caseless"
        taken += [*pending, token]
        pending = []
    words = [t for t in taken if not _is_particle(t)]
    if not words:
        return None
    return taken[0].start, taken[-1].end


def _in_street_name(text: str, start: int) -> bool:
    return _STREET.search(text, max(0, start - _STREET_LOOKBACK), start) is not None


_DETERMINER = re.compile(r"(?i:\b(?:le|la|les|un|une|ce|cet|cette|du|au|des|aux|l['’])\s+)$")


def _civility_names(text: str, civilities: list[re.Match[str]]) -> Iterator[Finding]:
    for m in civilities:
        word = (m.group("short") or m.group("long") or "").lower()
        if word in _TITLES and _in_street_name(text, m.start()):
            # "rue du Docteur Roux", "place du Professeur Calmette". Not "la maison de Monsieur
            # Martin" or "il cite Madame Durand": a person; a street named after "Madame X"
            # is masked too, which costs less than letting a person's name out.
            continue
        lowercase_ok = word in _LOWERCASE_OK and not _DETERMINER.search(text[max(0, m.start() - 8) : m.start()])
        span = _name_after(text, m.end(), lowercase_ok)
        if span is not None:
            yield Finding("NOM", span[0], span[1], text[span[0] : span[1]])


def _kin_names(text: str, kin_words: list[re.Match[str]]) -> Iterator[Finding]:
    for m in kin_words:
        span = _name_after(text, m.end(), lowercase_ok=False)
        if span is not None:
            yield Finding("NOM", span[0], span[1], text[span[0] : span[1]])


def _cap_word(after_first: str = "") -> str:
    """A capitalised word ("Hélène", "N'Diaye"); ``after_first`` is checked after its first letter."""
    return f"[{_UP}]{after_first}[{_LOW}]+(?:[{_APOSTROPHES}][{_UP}]?[{_LOW}]+)*"


def _up_word(after_first: str = "") -> str:
    """A word in capitals ("DUPONT", "D'ARCY", "N'DIAYE"); ``after_first`` as above."""
    return f"[{_UP}]{after_first}(?:[{_APOSTROPHES}][{_UP}])?(?:[{_UP}]|[{_APOSTROPHES}][{_UP}])+"


_CAP_WORD, _UP_WORD = _cap_word(), _up_word()
_BETWEEN_WORDS = re.compile(f"[{_DASHES} \u00a0]")
_WORD_BETWEEN = re.compile(f"[^{_DASHES} \u00a0]+")
_SPACE = re.compile("[ \u00a0]")
# The patterns below start with a plain class of capitals, so that the regex engine skips
# ahead to the next capital; what may not come before the word is checked once its first
# letter is read, looking two characters back (a lookahead or a lookbehind first would be
# tried at every position of the text).
_WORD_START = rf"(?<![\w{_APOSTROPHES}-].)"
# "Jean DUPONT", "Marie-Claire VAN DER BERG", "Van Long BUI": capitalised first name(s) and a
# surname in capitals.
_SIGNATURE = re.compile(
    rf"(?P<first>{_cap_word(_WORD_START)}(?:[{_DASHES}]{_CAP_WORD})*(?:[ \u00a0]{_CAP_WORD})?)"
    rf"[ \u00a0\u202f](?P<last>{_UP_WORD}(?:(?:[ \u00a0]|[{_DASHES}]){_UP_WORD}){{0,5}})(?![\w{_APOSTROPHES}]|[{_DASHES}]\w)"
)


def _signatures(text: str) -> Iterator[Finding]:
    position = 0
    while (m := _SIGNATURE.search(text, position)) is not None:
        position = m.end()
        firsts = _BETWEEN_WORDS.split(m.group("first"))
        lasts = [w for w in _BETWEEN_WORDS.split(m.group("last")) if w]
        if any(_plain(w) in NOT_FIRST_NAMES or _plain(w) in FUNCTIONS or _plain(w) in STOPWORDS for w in firsts):
            # A first name is never a common word. "Signé Jean DUPONT": again from "Jean";
            # "Le Conseil MUNICIPAL" is refused then too.
            space = _SPACE.search(m.group("first"))
            if space is not None:
                position = m.start() + space.end()
            continue
        while lasts and (lasts[-1] in ACRONYMS or lasts[-1].lower() in _PARTICLES_WRITTEN):
            lasts.pop()  # "Jean DUPONT ET" -> "Jean DUPONT"
        if not lasts or any(w in ACRONYMS and w.lower() not in _PARTICLES_WRITTEN for w in lasts):
            continue
        if not any(c in "AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ" for c in lasts[-1]) or _in_street_name(text, m.start()):
            continue
        end = m.start("last") + _span_of_words(m.group("last"), len(lasts))
        yield Finding("NOM", m.start(), end, text[m.start() : end])


def _span_of_words(text: str, count: int) -> int:
    """The length of ``text``'s first ``count`` words with what separates them."""
    words = list(_WORD_BETWEEN.finditer(text))
    return words[count - 1].end()


# A form's label ("Nom : Dupont", "Nom et prénom : DUPONT Marie") or "Je soussigné(e) ...".
_LABELLED = re.compile(
    r"(?=[NnPpIiJjSs])(?<![\w])(?:"
    r"(?:Nom|NOM|Prénoms?|PRÉNOMS?|Identité|IDENTITÉ)"
    r"(?:[ \u00a0](?:de naissance|d['’]usage|de famille|marital|et prénoms?|et nom|DE NAISSANCE|D['’]USAGE|ET PRÉNOMS?))?"
    r"(?:,[ \u00a0]?(?:prénoms?|nom))?[ \u00a0\u202f]*:"
    r"|(?:[Jj]e[ \u00a0])?soussign[ée]e?(?:\(e\))?,?"
    r")"
)


# Civilities, kin words and labels in one scan of the text: each of their patterns starts with
# a lookahead tried at every position, which costs more than what they find. Where one of
# them matches, each pattern is then tried there, so each finds what its own finditer would.
_CUE_PATTERNS = (_CIVILITY, _KIN, _LABELLED)
_CUE_LETTERS = "MmDdPpfFéeÉEvVnNIiJjSs"  # the letters they start with
# A plain class of these letters leads, so that the regex engine skips ahead to the next of
# them; from there, looking one character back, the word boundary is checked, then the
# patterns are tried at that letter ("(?<=(?=...).)").
_ANY_CUE = "|".join(f"(?={p.pattern})" for p in _CUE_PATTERNS)
_CUES = re.compile(rf"[{_CUE_LETTERS}](?<![\w].)(?<=(?:{_ANY_CUE}).)")


def _cues(text: str) -> tuple[list[re.Match[str]], list[re.Match[str]], list[re.Match[str]]]:
    """The matches of ``_CIVILITY``, ``_KIN`` and ``_LABELLED`` in ``text``, without overlaps."""
    found: tuple[list[re.Match[str]], ...] = ([], [], [])
    ends = [0, 0, 0]
    for cue in _CUES.finditer(text):
        at = cue.start()
        for index, pattern in enumerate(_CUE_PATTERNS):
            if at >= ends[index] and (m := pattern.match(text, at)) is not None:
                found[index].append(m)
                ends[index] = m.end()
    return found[0], found[1], found[2]


def _labelled_names(text: str, labels: list[re.Match[str]]) -> Iterator[Finding]:
    for m in labels:
        lowercase_ok = m.group().rstrip().endswith(":")  # "Nom : dupont"; not "soussigné déclare"
        span = _name_after(text, m.end(), lowercase_ok)
        if span is not None:
            yield Finding("NOM", span[0], span[1], text[span[0] : span[1]])


# "DUPONT Marie", "VAN DER BERG Hélène": a surname in capitals, then the first name, as in
# lists ("Présents : DUPONT Marie, MARTIN Paul") and forms: the first name ends the item
# (not "ORDRE DU JOUR Approbation du procès-verbal").
# (Not after a capital and a space: the first word of the surname is the first word of the item.)
_AFTER_CAPITALS_START = _WORD_START + rf"(?<![{_UP}][ \u00a0].)"
_REVERSED = re.compile(
    rf"(?P<last>{_up_word(_AFTER_CAPITALS_START)}(?:(?:[ \u00a0]|[{_DASHES}]){_UP_WORD}){{0,4}})"
    rf"[ \u00a0\u202f](?P<first>{_CAP_WORD}(?:[{_DASHES}]{_CAP_WORD})?)(?=[ \u00a0]*(?:[,;.)\n]|$| et ))"
)
_CAPS_BEFORE = re.compile(f"[{_UP}]{{2,}}[ \u00a0]+$")


def _reversed_names(text: str) -> Iterator[Finding]:
    for m in _REVERSED.finditer(text):
        lasts = [w for w in _BETWEEN_WORDS.split(m.group("last")) if w]
        first = m.group("first")
        if any(w in ACRONYMS and w.lower() not in _PARTICLES_WRITTEN for w in lasts) or lasts[-1].lower() in _PARTICLES_WRITTEN:
            continue
        key = _plain(first)
        if key in NOT_FIRST_NAMES or key in FUNCTIONS or key in STOPWORDS or key in _CIVILITY_WORDS:
            continue
        if not any(c in "AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ" for c in lasts[-1]) or _in_street_name(text, m.start()):
            continue
        if _CAPS_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            continue  # a heading in capitals: "DÉLIBÉRATION DU CONSEIL Municipal"
        yield Finding("NOM", m.start(), m.end(), m.group())


def find_names(text: str) -> Iterator[Finding]:
    """Names of people, possibly overlapping (:func:`.detect.detect` keeps one of each)."""
    civilities, kin_words, labels = _cues(text)
    yield from _civility_names(text, civilities)
    yield from _kin_names(text, kin_words)
    yield from _labelled_names(text, labels)
    yield from _signatures(text)
    yield from _reversed_names(text)


# --- every mention of a person found ----------------------------------------------------


@dataclass
class _Person:
    key: str
    first: str  # folded; "" when only the surname was found
    last: str  # folded, particles included
    lower_found: bool  # found written in lowercase ("mme dupont")


_SPACES_RUN = re.compile(f"[{_SPACES}]+")
_SEPARATORS_RUN = re.compile(f"[{_SPACES}{_DASHES}]+")
_BLANKS = re.compile(" +")


@functools.lru_cache(maxsize=4096)  # a person is named many times
def _split(value: str) -> tuple[str, str]:
    """``value`` (a name as found) as (first name, surname), folded. Capitals mark the
    surname ("Jean DUPONT", "Van Long BUI"); otherwise the first word is the first name
    when the name has two words or more, unless it is a particle ("Van der Berg")."""
    words = [w for w in _SPACES_RUN.split(value.strip()) if w]
    if not words:
        return "", ""
    if len(words) == 1 and 2 <= len(words[0]) <= 4 and all("\u3400" <= c <= "\u9fff" for c in words[0]):
        return words[0][1:], words[0][0]  # Chinese: "王芳" is Fang of the Wang family
    shapes = [_Token(0, 0, w).shape for w in words]
    if len(words) > 1 and shapes[0] == "upper" and shapes[-1] == "cap" and not _is_particle(_Token(0, 0, words[-1])):
        cut = 0  # "DUPONT Marie", "VAN DER BERG Hélène"
        while cut < len(words) and shapes[cut] == "upper":
            cut += 1
        return _plain(" ".join(words[cut:])), _plain(" ".join(words[:cut]))
    if (
        len(words) > 1
        and shapes[-1] == "upper"
        and any(s == "cap" and not _is_particle(_Token(0, 0, w)) for s, w in zip(shapes, words, strict=True))
    ):
        cut = len(words)
        while cut > 0 and (shapes[cut - 1] == "upper" or _is_particle(_Token(0, 0, words[cut - 1]))):
            cut -= 1
        if cut > 0:
            return _plain(" ".join(words[:cut])), _plain(" ".join(words[cut:]))
    particles = [_is_particle(_Token(0, 0, w)) for w in words]
    if particles[0] and len(words) >= 3 and not any(particles[1:]):
        return _plain(" ".join(words[:-1])), _plain(words[-1])  # "Van Long Ngo"
    if len(words) == 1 or particles[0]:
        return "", _plain(" ".join(words))
    return _plain(words[0]), _plain(" ".join(words[1:]))


def _is_cjk(word: str) -> bool:
    return bool(word) and all("\u3400" <= c <= "\u9fff" for c in word)


def _people(findings: list[Finding]) -> tuple[list[_Person], dict[int, str]]:
    """The people the NOM findings name, and each finding's person key (by index)."""
    split = {i: _split(f.value) for i, f in enumerate(findings) if f.kind == "NOM"}
    # One full name, one split: "Thi Lan NGUAN" (capitals mark the surname) decides for
    # "Thi Lan Nguan" (first word, then the rest).
    chosen: dict[str, tuple[int, tuple[str, str]]] = {}
    for index, (first, last) in split.items():
        rank = 2 if first and findings[index].value.split()[-1].isupper() else 1 if first else 0
        full = f"{first} {last}".strip()
        if full not in chosen or rank > chosen[full][0]:
            chosen[full] = (rank, (first, last))
    split = {i: chosen[f"{first} {last}".strip()][1] for i, (first, last) in split.items()}
    fulls: dict[str, set[str]] = {}  # surname -> first names found with it
    for first, last in split.values():
        fulls.setdefault(last, set())
        if first:
            fulls[last].add(first)
    people: dict[str, _Person] = {}
    keys: dict[int, str] = {}
    wholes: dict[str, set[tuple[str, str]]] = {}  # a name repeats: look it up once
    for index, (first, last) in split.items():
        if not first or (not findings[index].value[:1].isupper() and not findings[index].value[:1].islower()):
            # "Mme Dupont" is the "Hélène Dupont" found; "Maître Truong" the "Thi Lan Truong";
            # in a script without capitals, "بن سالم" the "ليلى بن سالم".
            name = f"{first} {last}".strip()
            if name not in wholes:
                wholes[name] = {
                    (f, full)
                    for full, fs in fulls.items()
                    for f in fs or [""]
                    if f"{f} {full}".strip().endswith(" " + name) or (full == name and f)
                }
            whole = wholes[name]
            if len(whole) == 1:
                first, last = next(iter(whole))
        key = f"{first}|{last}"
        lower = findings[index].value == findings[index].value.lower()
        person = people.setdefault(key, _Person(key, first, last, lower))
        person.lower_found = person.lower_found or lower
        keys[index] = key
    return list(people.values()), keys


def _mention_patterns(people: list[_Person]) -> tuple[re.Pattern[str] | None, dict[str, tuple[str, str]]]:
    """One pattern finding every mention of ``people`` in the text as written, and for each
    mention (folded) its person key and form: ``full``, ``last`` or ``first``."""
    forms: dict[str, tuple[str, str]] = {}
    firsts: dict[str, set[str]] = {}
    for person in people:
        if person.first:
            firsts.setdefault(person.first, set()).add(person.key)
    for person in people:
        if person.first:
            if _is_cjk(person.last):
                forms.setdefault(f"{person.last}{person.first}", (person.key, "full"))
            forms.setdefault(f"{person.first} {person.last}", (person.key, "full"))
            forms.setdefault(f"{person.last} {person.first}", (person.key, "full"))
        if len(person.last.replace(" ", "")) >= 2:
            forms.setdefault(person.last, (person.key, "last"))
        if person.first and len(person.first) >= 3 and person.first not in STOPWORDS and not _is_cjk(person.last):
            # A first name two people share is masked too, under its own placeholder.
            shared = len(firsts[person.first]) > 1
            forms.setdefault(person.first, (f"{person.first}|" if shared else person.key, "first"))
        words = person.last.split()
        if person.first and len(words) > 1 and words[0] not in PARTICLES:
            # "Thi Lan Truong", "Jean Pierre Martin": the first name may have two words.
            forms.setdefault(f"{person.first} {words[0]}", (person.key, "first"))
            forms.setdefault(" ".join(words[1:]), (person.key, "last"))
    forms = {form: value for form, value in forms.items() if len(form) <= _LONGEST_FORM}
    if not forms:
        return None, forms
    return _folded_matcher(tuple(forms)), forms


@functools.lru_cache(maxsize=64)  # a document scanned again names the same people
def _folded_matcher(words: tuple[str, ...]) -> re.Pattern[str]:
    """Finds any of ``words`` as whole words in folded text (:func:`fold`). Each document
    names other people, so its pattern is compiled anew: one of plain letters compiles many
    times faster than :func:`matcher`'s classes of every way to write each letter, which
    more than pays for folding the text."""
    firsts = "".join(sorted({re.escape(w[0]) for w in words if w}))
    return re.compile(f"(?=[{firsts}])(?<![^\\W_])(?:{alternation(list(words))})(?![^\\W_])")


def _case_fits(found: str, form: str, person: _Person, mid_sentence: bool) -> bool:
    """A bare surname or first name counts only capitalised or in capitals ("Rose", "ROSE",
    not "rose"); a full name in any case. A surname that is also a common word ("Vu", "Le")
    counts in capitals, or capitalised in the middle of a sentence (not "Vu la loi")."""
    if form == "full" or person.lower_found:
        return True
    letters = [c for c in found if c.isalpha()]
    if not letters:
        return True
    if all(not (c.isupper() or c.islower()) for c in letters):
        return True  # caseless script
    if _plain(found) in STOPWORDS or _plain(found) in PARTICLES or _plain(found) in NOT_FIRST_NAMES:
        upper = all(c.isupper() for c in letters if c.isupper() or c.islower()) and len(letters) > 1
        short = len(letters) <= 3 and found.lower() not in _PARTICLES_WRITTEN  # "Vu", not "France"
        return upper or (mid_sentence and short and found[:1].isupper())
    words = _SEPARATORS_RUN.split(found)
    return any(_shape(w) in ("cap", "upper") for w in words if w and not _is_particle(_Token(0, 0, w)))


_LONGEST_FORM = 120  # characters; longer runs are not names (and would make a deep pattern)
_MID_SENTENCE = re.compile(r"[^\W\d_][ \u00a0\u202f]{1,2}$")


def propagate_mentions(text: str, findings: list[Finding]) -> list[Finding]:
    """``findings`` plus every mention of the people they name, without overlaps, in text
    order; every NOM finding gets its person's ``canonical`` value."""
    names = [f for f in findings if f.kind == "NOM"]
    if not names:
        return findings
    people, keys = _people(findings)
    by_key = {p.key: p for p in people}
    for person in people:  # a first name two people share ("Claire")
        by_key.setdefault(f"{person.first}|", _Person(f"{person.first}|", person.first, "", False))
    result = [Finding(f.kind, f.start, f.end, f.value, keys[i]) if i in keys else f for i, f in enumerate(findings)]
    pattern, forms = _mention_patterns(people)
    if pattern is None:
        return result
    taken = sorted((f.start, f.end) for f in result)
    extra: list[Finding] = []
    for m in pattern.finditer(fold(text)):
        start, end = m.start(), m.end()
        if _overlaps(taken, start, end):
            continue
        key, form = forms[_squeeze(m.group())]
        found = text[start:end]
        if (
            _glued(text, start, end)
            or not _case_fits(found, form, by_key[key], _MID_SENTENCE.search(text, max(0, start - 3), start) is not None)
            or _in_street_name(text, start)
        ):
            continue
        if form == "last":
            # "Chiara Lomone" after "Chiara Romardi": the first name goes with its surname.
            earlier = _first_name_before(text, start)
            if earlier < start and not _overlaps(taken, earlier, start):
                while extra and extra[-1].start >= earlier:
                    extra.pop()  # a first name found alone just before
                start = earlier
        extra.append(Finding("NOM", start, end, text[start:end], key))
    if not extra:
        return result
    return sorted(result + extra, key=lambda f: f.start)


_WORD_BEFORE = re.compile(f"(?:{_PART}(?:[{_DASHES}]{_PART})*)[ \u00a0\u202f]$")


def _first_name_before(text: str, start: int) -> int:
    """Where a surname's mention starts once the first name just before it (one or two
    words) is included: "Femke van der Dijk" when only "Mme van der Dijk" was found,
    "MARIA DOS SANTOS", "Ainhoa Maite Olaeta"."""
    for words in range(2):
        earlier = _one_first_name_before(text, start, particle_ok=words > 0)
        if earlier == start:
            break
        start = earlier
    return start


def _one_first_name_before(text: str, start: int, particle_ok: bool) -> int:
    """``particle_ok``: a capitalised particle before a first name is a first name too
    ("Van Long Huynh")."""
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if before is None:
        return start
    word = before.group().rstrip()
    shape, surname_shape = _Token(0, 0, word).shape, _Token(0, 0, text[start : start + 40].split()[0]).shape
    if shape not in ("cap", "upper") or (shape == "upper" and surname_shape != "upper"):
        return start
    key = _plain(word)
    if particle_ok and key in PARTICLES and key not in _FUNCTION_ARTICLES:  # "Van Long", "VAN LONG"
        return before.start()
    if key in STOPWORDS or key in NOT_FIRST_NAMES or key in FUNCTIONS or key in PARTICLES or word.upper() in ACRONYMS:
        return start
    return before.start()


def _glued(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is part of a hyphenated word ("Jean-Pierre" for "Pierre",
    "Dupont-Aignan" for "Dupont")."""
    before = start >= 2 and text[start - 1] in _HYPHENS and text[start - 2].isalpha()
    after = end + 1 < len(text) and text[end] in _HYPHENS and text[end + 1].isalpha()
    return before or after


def _squeeze(folded: str) -> str:
    return _BLANKS.sub(" ", folded) if "  " in folded else folded


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    index = bisect.bisect_left(spans, (start, -1))
    if index > 0 and spans[index - 1][1] > start:
        return True
    return index < len(spans) and spans[index][0] < end
