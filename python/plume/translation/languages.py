"""Language names: each language in its own name (what a visitor recognises in a picker),
and in French and English (what the agent reads in messages).

Codes are Argos Translate's (ISO 639-1, plus ``pb`` Brazilian Portuguese and ``zt``
traditional Chinese). A code missing here is shown as the code itself.
"""

from __future__ import annotations

# code: (own name, French name, English name)
LANGUAGES: dict[str, tuple[str, str, str]] = {
    "ar": ("العربية", "arabe", "Arabic"),
    "az": ("Azərbaycanca", "azéri", "Azerbaijani"),
    "bg": ("Български", "bulgare", "Bulgarian"),
    "bn": ("বাংলা", "bengali", "Bengali"),
    "ca": ("Català", "catalan", "Catalan"),
    "cs": ("Čeština", "tchèque", "Czech"),
    "da": ("Dansk", "danois", "Danish"),
    "de": ("Deutsch", "allemand", "German"),
    "el": ("Ελληνικά", "grec", "Greek"),
    "en": ("English", "anglais", "English"),
    "eo": ("Esperanto", "espéranto", "Esperanto"),
    "es": ("Español", "espagnol", "Spanish"),
    "et": ("Eesti", "estonien", "Estonian"),
    "eu": ("Euskara", "basque", "Basque"),
    "fa": ("فارسی", "persan", "Persian"),
    "fi": ("Suomi", "finnois", "Finnish"),
    "fr": ("Français", "français", "French"),
    "ga": ("Gaeilge", "irlandais", "Irish"),
    "gl": ("Galego", "galicien", "Galician"),
    "he": ("עברית", "hébreu", "Hebrew"),
    "hi": ("हिन्दी", "hindi", "Hindi"),
    "hu": ("Magyar", "hongrois", "Hungarian"),
    "id": ("Bahasa Indonesia", "indonésien", "Indonesian"),
    "it": ("Italiano", "italien", "Italian"),
    "ja": ("日本語", "japonais", "Japanese"),
    "ko": ("한국어", "coréen", "Korean"),
    "lt": ("Lietuvių", "lituanien", "Lithuanian"),
    "lv": ("Latviešu", "letton", "Latvian"),
    "ms": ("Bahasa Melayu", "malais", "Malay"),
    "nb": ("Norsk bokmål", "norvégien", "Norwegian"),
    "nl": ("Nederlands", "néerlandais", "Dutch"),
    "pb": ("Português (Brasil)", "portugais (Brésil)", "Portuguese (Brazil)"),
    "pl": ("Polski", "polonais", "Polish"),
    "ps": ("پښتو", "pachto", "Pashto"),
    "pt": ("Português", "portugais", "Portuguese"),
    "ro": ("Română", "roumain", "Romanian"),
    "ru": ("Русский", "russe", "Russian"),
    "sk": ("Slovenčina", "slovaque", "Slovak"),
    "sl": ("Slovenščina", "slovène", "Slovenian"),
    "sq": ("Shqip", "albanais", "Albanian"),
    "sr": ("Српски", "serbe", "Serbian"),
    "sv": ("Svenska", "suédois", "Swedish"),
    "th": ("ไทย", "thaï", "Thai"),
    "tl": ("Tagalog", "tagalog", "Tagalog"),
    "tr": ("Türkçe", "turc", "Turkish"),
    "uk": ("Українська", "ukrainien", "Ukrainian"),
    "ur": ("اردو", "ourdou", "Urdu"),
    "vi": ("Tiếng Việt", "vietnamien", "Vietnamese"),
    "zh": ("中文 (简体)", "chinois (simplifié)", "Chinese (simplified)"),
    "zt": ("中文 (繁體)", "chinois (traditionnel)", "Chinese (traditional)"),
}

# Argos codes that are not ISO 639-1, for the detector (which knows ISO codes only).
ISO_OF = {"pb": "pt", "zt": "zh"}


def own_name(code: str) -> str:
    """The language in its own name: "Deutsch", "العربية"."""
    return LANGUAGES.get(code, (code, code, code))[0]


def name_in(code: str, ui_language: str) -> str:
    """The language's name in the UI language ("allemand" / "German")."""
    names = LANGUAGES.get(code)
    if names is None:
        return code
    return names[1] if ui_language == "fr" else names[2]


def picker_label(code: str, ui_language: str) -> str:
    """ "Deutsch — allemand": what a visitor and the agent both recognise."""
    own, local = own_name(code), name_in(code, ui_language)
    return own if own.lower() == local.lower() else f"{own} — {local}"
