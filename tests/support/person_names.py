"""Random people and the ways a French administrative text names them, for the shield's tests.

Names are composed from syllables as well as drawn from short lists, over many origins
(French, Breton, Basque, Occitan, Italian, Portuguese, Spanish, Maghrebi, West African,
Vietnamese, Polish, Dutch, German), with particles ("de La", "Van der", "Ben", "Ould"...),
hyphens, apostrophes ("N'Diaye", "d'Arcy") and, now and then, a name in another script
(Arabic, Cyrillic, Greek, Chinese) written after a civility. A detector cannot pass these
tests by learning a list.

- :func:`random_person` draws a :class:`Person`;
- :func:`mentions` gives several ways a text names that person; the first one always
  *introduces* the person (a civility, a "Prénom NOM" signature, "famille X"...), the later
  ones may be bare ("Dupont", "Hélène") and are only expected to be masked once the person
  was found;
- :func:`in_sentence` puts a mention in an ordinary administrative sentence.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

MALE_CIVILITIES = ("M.", "Monsieur", "M.", "monsieur", "Mr")
FEMALE_CIVILITIES = ("Mme", "Madame", "Mme", "Mlle", "Mademoiselle", "madame", "mme", "Mme.")
NEUTRAL_CIVILITIES = ("Me", "Maître", "Dr", "Docteur", "Pr", "Professeur", "Dr.")

# Spaces a word processor puts between a civility and a name.
SPACES = (" ", " ", " ", " ", "\u00a0", "\u202f")


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    civility: str  # as written in the introducing mention: "Mme", "Maître", "monsieur"...
    gender: str  # "F" or "M"
    origin: str
    birth_name: str = ""  # "née X": a married woman's birth name, else ""
    script: str = "latin"  # latin, arabic, cyrillic, greek, cjk

    @property
    def full(self) -> str:
        if self.script == "cjk":
            return self.last + self.first
        return f"{self.first} {self.last}"

    @property
    def words(self) -> list[str]:
        """The words of the name a masked text must no longer contain."""
        parts = [self.first, self.last] + ([self.birth_name] if self.birth_name else [])
        return [w for part in parts for w in part.replace("-", " ").split() if len(w) > 2]


# --- syllables and lists per origin -----------------------------------------------------
# Each origin: (male first names, female first names, surname heads, surname tails, whole
# surnames, particles). A surname is a whole one from the list, or head + tail, sometimes
# with a particle.

_ORIGINS: dict[str, tuple[tuple[str, ...], ...]] = {
    "french": (
        ("Jean", "Pierre", "Michel", "Alain", "Olivier", "Thierry", "Gérard", "Étienne", "Rémi", "Loïc", "Benoît"),
        ("Hélène", "Claire", "Sophie", "Nathalie", "Isabelle", "Émilie", "Céline", "Rose", "Agnès", "Maëlle", "Chloé"),
        ("Bou", "Cha", "Mar", "Gau", "Lam", "Fon", "Ver", "Mon", "Bel", "Dur", "Gi", "Ro", "Lé", "Ber", "Bro", "Tru"),
        ("chard", "tier", "ssier", "ret", "mont", "lin", "geot", "baud", "ville", "court", "eau", "ard", "ier", "quet"),
        (
            "Dupont",
            "Durand",
            "Lefèvre",
            "Girard",
            "Mercier",
            "Fontaine",
            "Chevalier",
            "Rousseau",
            "Lemoine",
            "Arcy",
            "Petit",
            "Blanc",
            "Marchand",
            "Boulanger",
            "Roux",
            "Martin",
        ),
        ("de ", "du ", "de La ", "d'", "Le ", "de ", "Du "),
    ),
    "breton": (
        ("Yann", "Erwan", "Gwenaël", "Loïc", "Ronan", "Tanguy", "Goulven", "Malo"),
        ("Nolwenn", "Gwenola", "Maïwenn", "Soizic", "Morgane", "Enora", "Rozenn"),
        ("Ker", "Guil", "Tré", "Pen", "Mor", "Gour", "Quéré", "Lan", "Goas", "Plou"),
        ("vran", "guen", "nec", "hir", "zec", "ven", "lan", "an", "ec", "ézec", "dern"),
        ("Le Gall", "Le Bihan", "Kerouac", "Tanguy", "Le Goff", "Quéméner", "Le Floc'h", "Riou"),
        ("Le ", "Le "),
    ),
    "basque": (
        ("Iñaki", "Peio", "Xabi", "Unai", "Ander", "Mikel", "Battitt"),
        ("Maite", "Amaia", "Itziar", "Nahia", "Ainhoa", "Miren", "Garazi"),
        ("Etxe", "Iri", "Goi", "Uri", "Aran", "Ola", "Zubi", "Larra", "Mendi", "Agi", "Ibar", "Elizal"),
        ("berri", "garay", "aga", "zabal", "barren", "eta", "txea", "goyen", "ondo", "rrondo", "de"),
        ("Etcheverry", "Harriague", "Iturralde", "Elissalde", "Oyharçabal"),
        (),
    ),
    "occitan": (
        ("Bernat", "Joan", "Pèire", "Guilhèm", "Ramon", "Estève"),
        ("Joana", "Mirèlha", "Bernadeta", "Roseline", "Magali", "Fanette"),
        ("Cas", "Bous", "Fabr", "Peyr", "Mas", "Cam", "Ferr", "Serr", "Loub", "Mont", "Rey"),
        ("ac", "ou", "ès", "ol", "ié", "at", "ègue", "aire", "iès", "erot", "ade"),
        ("Bousquet", "Cazeneuve", "Fabre", "Peyrac", "Castanier", "Delmas"),
        ("de ", "del "),
    ),
    "italian": (
        ("Giuseppe", "Luca", "Matteo", "Alessandro", "Giovanni", "Salvatore"),
        ("Giulia", "Francesca", "Chiara", "Alessandra", "Lucia", "Graziella"),
        ("Ross", "Bian", "Colom", "Ferr", "Gallu", "Espo", "Ricc", "Rom", "Lom", "Cappa", "Sant", "Morett"),
        ("ini", "etti", "elli", "ucci", "one", "ano", "ardi", "ato", "ozzi", "iello", "aro"),
        ("Rossi", "Esposito", "Bianchi", "Russo", "Colombo", "Romano", "Greco"),
        ("Di ", "De ", "Lo ", "Della ", "D'"),
    ),
    "portuguese": (
        ("João", "António", "Manuel", "Rui", "Tiago", "Gonçalo"),
        ("Maria", "Ana", "Inês", "Beatriz", "Conceição", "Fátima"),
        ("Ferr", "Perr", "Olive", "Carv", "Mour", "Tei", "Gonç", "Mach", "Card", "Barr"),
        ("eira", "alho", "ado", "ões", "inho", "ira", "alves", "oso", "elo"),
        ("Santos", "Silva", "Pereira", "Rodrigues", "Fernandes", "Gonçalves", "Sousa"),
        ("Da ", "Dos ", "da ", "dos ", "De "),
    ),
    "spanish": (
        ("José", "Javier", "Alejandro", "Diego", "Álvaro", "Sergio"),
        ("Carmen", "Lucía", "Pilar", "Mercedes", "Rocío", "Begoña"),
        ("Fernán", "Rodrí", "Gonzá", "Martí", "Sán", "Ló", "Pé", "Ramí", "Ji", "Domín", "Gutié"),
        ("dez", "guez", "lez", "nez", "chez", "pez", "rez", "ménez", "rrez"),
        ("García", "Muñoz", "Ortega", "Navarro", "Castillo", "Romero"),
        ("de ", "del ", "de la "),
    ),
    "maghrebi": (
        ("Mohamed", "Karim", "Rachid", "Youssef", "Mehdi", "Nordine", "Abdelkader", "Sofiane"),
        ("Fatima", "Samira", "Nadia", "Leïla", "Yasmina", "Malika", "Khadija", "Souad"),
        ("Bel", "Bou", "Ham", "Khal", "Mez", "Saï", "Zer", "Char", "Lah", "Med", "Tal", "Ghe"),
        ("kacem", "hadj", "ziane", "ouari", "ifa", "kaoui", "ami", "douni", "rouk", "lidi", "bi", "rbi"),
        ("Benali", "Haddad", "Mansouri", "Bouzid", "Chérif", "Brahimi", "Amrani", "Idrissi"),
        ("Ben ", "El ", "Ould ", "Aït ", "Ben ", "El-", "Aït-"),
    ),
    "west_african": (
        ("Mamadou", "Moussa", "Ousmane", "Abdoulaye", "Cheikh", "Ibrahima", "Kofi"),
        ("Aminata", "Fatoumata", "Awa", "Mariama", "Aïssatou", "Kadiatou", "Adjoa"),
        ("N'Di", "Dial", "Tra", "Kou", "Sa", "Cou", "Dioum", "Ndo", "Ton", "Kan", "Sis", "Ouéd"),
        ("aye", "lo", "oré", "yaté", "mbou", "libaly", "ssé", "ré", "ye", "kara", "raogo", "té"),
        ("N'Diaye", "Diallo", "Traoré", "Koné", "Ba", "Sow", "Camara", "N'Guessan", "Ouédraogo", "Diop"),
        (),
    ),
    "vietnamese": (
        ("Minh", "Van Long", "Duc", "Quang", "Thanh", "Huu Phuoc"),
        ("Thi Lan", "Mai", "Linh", "Thi Hoa", "Ngoc Anh", "Thuy"),
        ("Ngu", "Hu", "Ph", "Tr", "Ho", "Du", "Ng"),
        ("yen", "ynh", "am", "an", "ang", "ong", "uong"),
        ("Nguyen", "Tran", "Pham", "Huynh", "Hoang", "Phan", "Vu", "Dang", "Bui", "Ngo", "Truong", "Lê"),
        (),
    ),
    "polish": (
        ("Piotr", "Krzysztof", "Tomasz", "Paweł", "Michał", "Grzegorz"),
        ("Agnieszka", "Katarzyna", "Małgorzata", "Joanna", "Ewa", "Zofia"),
        ("Kowal", "Wiśn", "Wójc", "Kamiń", "Lewan", "Zieliń", "Szyman", "Dąbr", "Kozł", "Jankow", "Mazur"),
        ("ski", "ska", "wicz", "czyk", "iak", "owski", "ewska", "ek"),
        ("Nowak", "Kowalczyk", "Wójcik", "Lewandowski", "Szymańska", "Mazur"),
        (),
    ),
    "dutch": (
        ("Jan", "Pieter", "Joost", "Maarten", "Sander", "Thijs"),
        ("Anke", "Marieke", "Saskia", "Femke", "Lieke", "Annelies"),
        ("Ja", "Ver", "Hoek", "Stra", "Bak", "Mol", "Smit", "Kui", "Wou"),
        ("sen", "stra", "ker", "hout", "ma", "hoven", "kamp", "ink", "tersen"),
        ("Berg", "Meer", "Linden", "Broek", "Veen", "Heuvel", "Wal", "Bosch", "Dijk", "Leeuwen"),
        ("Van der ", "van ", "Van den ", "van der ", "Van ", "De ", "ten "),
    ),
    "german": (
        ("Klaus", "Jürgen", "Wolfgang", "Matthias", "Stefan", "Günther"),
        ("Ursula", "Gisela", "Sabine", "Heike", "Brigitte", "Anneliese"),
        ("Schmi", "Schnei", "Fisch", "Wag", "Beck", "Hoff", "Kle", "Neu", "Zimmer", "Kraus", "Lang"),
        ("dt", "der", "er", "ner", "mann", "berger", "hardt", "bauer", "inger", "hofer"),
        ("Schmidt", "Müller", "Schneider", "Weber", "Schäfer", "Koch", "Richter"),
        ("von ", "Von ", "zu "),
    ),
}

_OTHER_SCRIPTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "arabic": (("محمد", "فاطمة", "يوسف", "ليلى", "خالد"), ("العلي", "بن سالم", "حداد", "المنصوري")),
    "cyrillic": (("Иван", "Ольга", "Дмитрий", "Наталья", "Сергей"), ("Петров", "Смирнова", "Иванов", "Кузнецова")),
    "greek": (("Γιώργος", "Μαρία", "Νίκος", "Ελένη"), ("Παπαδόπουλος", "Οικονόμου", "Γεωργίου", "Νικολάου")),
    "cjk": (("伟", "芳", "娜", "强", "丽"), ("王", "李", "张", "刘", "陈")),
}


def _surname(rng: random.Random, origin: str) -> str:
    _, _, heads, tails, whole, particles = _ORIGINS[origin]
    if rng.random() < 0.4:
        name = rng.choice(whole)
    else:
        name = rng.choice(heads) + rng.choice(tails)
        name = name[0].upper() + name[1:]
    if particles and rng.random() < 0.35 and " " not in name:
        particle = rng.choice(particles)
        if particle.endswith("'") and name[0] not in "AEIOUÉÈÂÎÔaeiouéèâîô":
            particle = particle[:-1] + "e "  # "d'" only before a vowel: "D'Amico", "de Roux"
        name = particle + name
    return name


def _first(rng: random.Random, origin: str, gender: str) -> str:
    males, females = _ORIGINS[origin][0], _ORIGINS[origin][1]
    pool = females if gender == "F" else males
    name = rng.choice(pool)
    if origin == "french" and rng.random() < 0.15:  # composed from syllables
        head = rng.choice(("Ma", "Lu", "Ro", "Cla", "Éli", "Ja", "Do", "Gé", "Ber", "Flo", "Au"))
        name = head + (
            rng.choice(("rine", "ette", "elle", "iane", "ine"))
            if gender == "F"
            else rng.choice(("rent", "bert", "mond", "lien", "ric"))
        )
    if rng.random() < 0.15 and " " not in name:  # "Jean-Pierre", "Marie-Hélène"
        other = rng.choice(pool)
        if other != name and " " not in other:
            name = f"{name}-{other}"
    return name


def _plain(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", name.lower()) if not unicodedata.combining(c))


def random_person(rng: random.Random) -> Person:
    gender = rng.choice("FM")
    if rng.random() < 0.06:
        script = rng.choice(sorted(_OTHER_SCRIPTS))
        firsts, lasts = _OTHER_SCRIPTS[script]
        civility = rng.choice(FEMALE_CIVILITIES[:3] if gender == "F" else MALE_CIVILITIES[:3])
        return Person(rng.choice(firsts), rng.choice(lasts), civility, gender, script, script=script)
    origin = rng.choice(sorted(_ORIGINS))
    last = _surname(rng, origin)
    if rng.random() < 0.1:  # hyphenated surname: "Martin-Lefèvre"
        other = _surname(rng, rng.choice(sorted(_ORIGINS)))
        if " " not in last and " " not in other and "'" not in other:
            last = f"{last}-{other}"
    first = _first(rng, origin, gender)
    civilities = (FEMALE_CIVILITIES if gender == "F" else MALE_CIVILITIES) * 2 + NEUTRAL_CIVILITIES
    birth_name = ""
    if gender == "F" and rng.random() < 0.2:
        birth_name = _surname(rng, rng.choice(sorted(_ORIGINS)))
        if _plain(birth_name) in [*re.split(r"[- ]", _plain(last)), _plain(last)]:
            birth_name = ""  # "née Szymańska" for Mme Szymanska, or Mme Gonçalves-Szymańska
    return Person(first, last, rng.choice(civilities), gender, origin, birth_name)


def _upper(name: str) -> str:
    return name.upper()


def _space(rng: random.Random) -> str:
    return rng.choice(SPACES)


def _lower_civility(person: Person) -> str:
    """A civility as written in a careless e-mail: "mme", "monsieur" (not "me" or "m.",
    which are also short French words)."""
    if person.civility.lower().rstrip(".") in ("monsieur", "madame", "mademoiselle", "mme", "mlle"):
        return person.civility.lower()
    return "madame" if person.gender == "F" else "monsieur"


def introductions(person: Person, rng: random.Random) -> list[str]:
    """Mentions that name the person on their own: a reader (and the detector) knows a person
    is meant without having seen the name before."""
    s = _space(rng)
    civ = person.civility
    if person.script != "latin":
        return [f"{civ}{s}{person.full}", f"{civ}{s}{person.last}"]
    forms = [
        f"{civ}{s}{person.first} {person.last}",
        f"{civ}{s}{person.last}",
        f"{civ}{s}{_upper(person.last)}",
        f"{civ}{s}{person.first} {_upper(person.last)}",
        f"{person.first} {_upper(person.last)}",  # signature
        f"{_lower_civility(person)}{s}{person.last.lower()}",  # "mme dupont"
        f"famille {person.last}",
        f"{'épouse' if person.gender == 'F' else 'époux'} {person.last}",
    ]
    if person.gender == "F":
        forms.append(f"veuve {person.last}")
    return forms


def later_mentions(person: Person, rng: random.Random) -> list[str]:
    """Mentions a detector can only mask once it has found the person: bare surname, and
    the full name without a civility (the first name with a surname found)."""
    if person.script != "latin":
        return [person.full]
    forms = [
        person.full,
        person.last,
        _upper(person.last),
        f"{person.first} {_upper(person.last)}",
        f"{person.first}\u00a0{person.last}",
        _upper(person.full),
    ]
    if "-" in person.first:
        forms.append(f"{person.first.replace('-', ' ')} {person.last}")  # without its hyphen
    return forms


def mentions(person: Person, rng: random.Random) -> list[str]:
    """Several ways a text names ``person``. The first one introduces the person (see
    :func:`introductions`). A bare first name ("Hélène") or birth name ("née Martin" then
    "Martin") comes only after the full name was given with a civility, as a reader would
    need too: then the first mention is "Mme Hélène Dupont" (née ...)."""
    intro = introductions(person, rng)
    later = later_mentions(person, rng)
    if person.script != "latin":
        return [intro[0], *rng.sample(intro + later, k=rng.randint(1, 3))]
    first = rng.choice(intro[:5])
    rest = rng.sample(intro + later, k=rng.randint(2, 5))
    if rng.random() < 0.4:  # the first name alone, after the full name
        first = f"{person.civility}{_space(rng)}{person.first} {person.last}"
        rest.append(person.first)
    if person.birth_name and rng.random() < 0.7:
        first = f"{person.civility}{_space(rng)}{person.first} {person.last} née {person.birth_name}"
        rest.append(person.birth_name)
    rng.shuffle(rest)
    return [first, *rest]


# Sentences of a mairie's letters and minutes; "{}" is where the mention goes.
TEMPLATES = (
    "Le dossier de {} a été transmis au service urbanisme.",
    "{} sollicite une aide au titre du fonds de solidarité.",
    "Nous avons reçu {} en mairie le 12 mars.",
    "La demande présentée par {} est complète.",
    "Objet : réclamation de {}.",
    "Après examen, {} pourra être reçu(e) par l'adjoint.",
    "Courrier adressé à {}, 12 place de la Mairie.",
    "Le conseil a entendu {} sur ce point.",
    "Signé : {}",
    "Veuillez transmettre la réponse à {} avant la fin du mois.",
    "{}\nDirection des affaires scolaires",
    "Cordialement,\n{}",
    "En présence de {}, la séance est ouverte.",
    "Le rapport établi par {} conclut à la recevabilité.",
)


def in_sentence(mention: str, rng: random.Random) -> str:
    return rng.choice(TEMPLATES).format(mention)


def text_about(people: list[Person], rng: random.Random) -> tuple[str, list[tuple[Person, str]]]:
    """A short text naming every person several times: the sentences and, for each mention,
    the person it names and the mention as written."""
    placed: list[tuple[Person, str]] = []
    queues = [mentions(p, rng) for p in people]
    # Each person is introduced before being mentioned bare.
    for person, queue in zip(people, queues, strict=True):
        placed.append((person, queue[0]))
    rest = [(p, m) for p, q in zip(people, queues, strict=True) for m in q[1:]]
    rng.shuffle(rest)
    placed += rest
    sentences = [in_sentence(m, rng) for _, m in placed]
    # A signature ends its line: the next sentence starts on a new one.
    text = "".join(s + (" " if s.endswith(".") else "\n") for s in sentences)
    return text.rstrip(), placed
