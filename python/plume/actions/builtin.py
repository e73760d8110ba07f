"""Plume's own actions, in the order the sidebar and the menu show them."""

from __future__ import annotations

from .model import Action, Text

_REWRITE_TOOLTIP = Text(
    "Remplace le texte sélectionné (ou le paragraphe courant) par sa version réécrite.",
    "Replaces the selected text (or the current paragraph) with its rewritten version.",
)

BUILTIN: tuple[Action, ...] = (
    Action(
        id="draft",
        label=Text("Rédiger", "Draft"),
        tooltip=Text(
            "Rédige un texte ou un courrier à partir de votre consigne, à l'emplacement du curseur.",
            "Drafts a text or a letter from your instruction, at the cursor.",
        ),
        prompt=Text(
            "Rédige le texte demandé ci-dessous, en français administratif clair. S'il s'agit d'un courrier, "
            "donne-lui la forme d'un courrier administratif français : une ligne « Objet : », les références "
            "s'il y en a, une formule d'appel, le corps en paragraphes courts, une formule de politesse"
            "{signature}. N'invente ni nom, ni date, ni montant qui ne figure pas dans la demande : "
            "laisse des crochets à compléter, par exemple [date].\n\nDemande : {instruction}",
            "Draft the text requested below in clear administrative language. If it is a letter, give it the "
            "usual form: a 'Subject:' line, references if any, a salutation, the body in short paragraphs, a "
            "closing formula{signature}. Invent no name, date or amount the request does not give: leave "
            "brackets to fill in, such as [date].\n\nRequest: {instruction}",
        ),
        reads="nothing",
        instruction="required",
        long_text="none",
        placement="after",
        mode_setting="draft_mode",
        keep_format=False,
        check_against="instruction",
        group="write",
        shortcut="D",
    ),
    Action(
        id="reply",
        label=Text("Répondre", "Reply"),
        tooltip=Text(
            "Le texte sélectionné est un courrier ou un courriel reçu : rédige la réponse, placée après lui.",
            "The selected text is a letter or e-mail received: drafts the reply, placed after it.",
        ),
        prompt=Text(
            "Le texte ci-dessus est un courrier ou un courriel reçu par l'administration. Rédige la réponse de "
            "l'administration, sous la forme d'un courrier administratif français (objet, formule d'appel, "
            "corps, formule de politesse{signature}). Réponds à chaque demande du courrier. N'invente ni date "
            "ni montant : laisse des crochets à compléter.{instruction_line}",
            "The text above is a letter or e-mail the administration received. Draft the administration's "
            "reply as a formal letter (subject, salutation, body, closing formula{signature}). Answer each "
            "request of the letter. Invent no date or amount: leave brackets to fill in.{instruction_line}",
        ),
        reads="letter",
        instruction="optional",
        long_text="none",
        placement="after",
        mode_setting="draft_mode",
        keep_format=False,
        check_against="source_and_instruction",
        group="write",
        context_menu=True,
    ),
    Action(
        id="continue",
        label=Text("Continuer", "Continue"),
        tooltip=Text("Poursuit le paragraphe courant, dans le même style.", "Continues the current paragraph in the same style."),
        prompt=Text(
            "Poursuis le texte ci-dessus de deux ou trois phrases, dans le même style et la même langue. "
            "Réponds uniquement par la suite, sans répéter le texte.{instruction_line}",
            "Continue the text above with two or three sentences, in the same style and language. Answer "
            "with the continuation only, without repeating the text.{instruction_line}",
        ),
        reads="paragraph",
        instruction="optional",
        long_text="none",
        placement="append",
        mode_setting="draft_mode",
        keep_format=False,
        check_against="source",
        group="write",
    ),
    Action(
        id="summarize",
        label=Text("Résumer", "Summarise"),
        tooltip=Text(
            "Résume la sélection, ou tout le document, et place le résumé après le texte.",
            "Summarises the selection, or the whole document, and places the summary after the text.",
        ),
        prompt=Text(
            "Résume le texte ci-dessus en quelques phrases claires et complètes{length}. Garde les décisions, dates et montants.",
            "Summarise the text above in a few clear, complete sentences{length}. Keep decisions, dates and amounts.",
        ),
        reads="document",
        long_text="map_reduce",
        placement="after",
        mode_setting="summary_mode",
        keep_format=False,
        shortcut="S",
        context_menu=True,
        aliases=("summarize",),
    ),
    Action(
        id="rewrite-formal",
        label=Text("Style administratif", "Formal style"),
        tooltip=_REWRITE_TOOLTIP,
        prompt=Text(
            "Réécris le texte ci-dessus dans un style administratif soutenu et courtois, sans changer son sens.",
            "Rewrite the text above in a formal, courteous administrative style without changing its meaning.",
        ),
        shortcut="R",
        context_menu=True,
        aliases=("rewrite?style=formal",),
    ),
    Action(
        id="rewrite-shorter",
        label=Text("Plus court", "Shorter"),
        tooltip=_REWRITE_TOOLTIP,
        prompt=Text(
            "Réécris le texte ci-dessus de façon plus courte et directe, sans perdre d'information importante.",
            "Rewrite the text above shorter and more direct, without losing important information.",
        ),
        context_menu=True,
        aliases=("rewrite?style=shorter",),
    ),
    Action(
        id="rewrite-plain",
        label=Text("Langage clair (FALC)", "Plain language"),
        tooltip=_REWRITE_TOOLTIP,
        prompt=Text(
            "Réécris le texte ci-dessus en langage facile à lire et à comprendre (FALC) : "
            "phrases courtes, mots simples, une idée par phrase, pas d'abréviation.",
            "Rewrite the text above in easy-to-read plain language: short sentences, "
            "simple words, one idea per sentence, no abbreviations.",
        ),
        context_menu=True,
        aliases=("rewrite?style=plain",),
    ),
    Action(
        id="rewrite-correct",
        label=Text("Corriger", "Correct"),
        tooltip=_REWRITE_TOOLTIP,
        prompt=Text(
            "Corrige uniquement l'orthographe, la grammaire et la ponctuation du texte ci-dessus. "
            "Ne change ni le style, ni le sens, ni l'ordre des phrases.",
            "Correct only the spelling, grammar and punctuation of the text above. "
            "Change neither the style, the meaning nor the order of sentences.",
        ),
        shortcut="E",
        context_menu=True,
        aliases=("rewrite?style=correct",),
    ),
    Action(
        id="instruct",
        label=Text("Consigne libre", "Free instruction"),
        tooltip=Text("Applique votre consigne au texte sélectionné.", "Applies your instruction to the selected text."),
        prompt=Text(
            "Applique au texte ci-dessus la consigne suivante : {instruction}",
            "Apply the following instruction to the text above: {instruction}",
        ),
        instruction="required",
        aliases=("instruct",),
    ),
    Action(
        id="translate",
        label=Text("Traduire", "Translate"),
        tooltip=Text(
            "Traduit la sélection, ou tout le document, hors ligne (paquets de langues) ou avec le modèle.",
            "Translates the selection, or the whole document, offline (language packages) or with the model.",
        ),
        prompt=Text(
            "Traduis le texte ci-dessus en {language}. Garde le même nombre de paragraphes, "
            "les noms, nombres et dates. Réponds uniquement par la traduction.",
            "Translate the text above into {language}. Keep the same number of paragraphs, "
            "the names, numbers and dates. Answer with the translation only.",
        ),
        reads="document",
        group="translate",
        check_against="source",
        aliases=("translate",),
    ),
    Action(
        id="ask",
        label=Text("Demander", "Ask"),
        tooltip=Text(
            "Répond à votre question à partir du document ou d'une collection de documents, en citant ses sources.",
            "Answers your question from the document or a collection of documents, citing its sources.",
        ),
        # The passages come first, numbered [1], [2]... (plume.knowledge.answer), the question last.
        prompt=Text(
            "Réponds à la question ci-dessous uniquement à partir des passages numérotés ci-dessus. Après chaque "
            "information, indique entre crochets le numéro du passage qui la donne, par exemple [1] ou [2][3]. "
            "Si les passages ne permettent pas de répondre, dis-le en une phrase, sans rien inventer.\n\n"
            "Question : {instruction}",
            "Answer the question below only from the numbered passages above. After each piece of information, "
            "give in square brackets the number of the passage it comes from, for example [1] or [2][3]. If the "
            "passages do not answer the question, say so in one sentence, without inventing anything.\n\n"
            "Question: {instruction}",
        ),
        reads="passages",
        instruction="required",
        long_text="none",
        placement="after",
        mode_setting="draft_mode",
        keep_format=False,
        check_against="passages",
        group="ask",
    ),
)
