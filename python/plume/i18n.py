"""User-facing text in French and English: one catalogue for the CLI and the adapter.

The language is chosen by the caller (LibreOffice's UI language in the adapter, ``LANG``
in the CLI); anything that is not French gets English.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import (
    AuthenticationError,
    BackendError,
    BackendTimeout,
    BadPackage,
    BrokenPackage,
    Cancelled,
    CertificateError,
    DestinationBlocked,
    HTTPStatusError,
    IndexUnavailable,
    InvalidReply,
    KnowledgeError,
    LeakPrevented,
    MissingPair,
    ModelNotFound,
    NeedsConfirmation,
    PlumeError,
    RedirectRefused,
    SettingsError,
    TooLong,
    TranslationError,
    TranslationUnavailable,
    Unreachable,
    UnreadableFile,
    UnsupportedError,
)
from .translation.languages import name_in

STRINGS: dict[str, dict[str, str]] = {
    "action.summarize": {"fr": "Résumer", "en": "Summarise"},
    "action.rewrite": {"fr": "Reformuler", "en": "Rewrite"},
    "action.instruct": {"fr": "Consigne libre", "en": "Free instruction"},
    "style.formal": {"fr": "Style administratif", "en": "Formal"},
    "style.shorter": {"fr": "Plus court", "en": "Shorter"},
    "style.plain": {"fr": "Langage clair (FALC)", "en": "Plain language"},
    "style.correct": {"fr": "Corriger", "en": "Correct"},
    "action.translate": {"fr": "Traduire", "en": "Translate"},
    "panel.open": {"fr": "Ouvrir le panneau Plume", "en": "Open the Plume sidebar"},
    "panel.actions": {"fr": "Actions sur la sélection", "en": "Actions on the selection"},
    "panel.summarize": {"fr": "~Résumer", "en": "~Summarise"},
    "panel.translate": {"fr": "~Traduire", "en": "~Translate"},
    "panel.translate.to": {"fr": "Traduire vers", "en": "Translate into"},
    "panel.translate.from": {"fr": "Langue du texte", "en": "Language of the text"},
    "panel.translate.auto": {"fr": "Détecter", "en": "Detect"},
    "panel.translate.model": {"fr": "Traduire avec le ~modèle", "en": "Translate with the ~model"},
    "panel.desk": {"fr": "Traduction ~accueil", "en": "Reception ~translator"},
    "panel.style": {"fr": "Reformuler avec le style", "en": "Rewrite style"},
    "panel.rewrite": {"fr": "Re~formuler", "en": "Re~write"},
    "panel.instruction": {"fr": "Consigne libre", "en": "Free instruction"},
    "panel.run": {"fr": "E~xécuter", "en": "R~un"},
    "panel.result": {"fr": "Résultat (aperçu)", "en": "Result (preview)"},
    "panel.stop": {"fr": "~Arrêter", "en": "St~op"},
    "panel.replace": {"fr": "Rem~placer", "en": "Re~place"},
    "panel.after": {"fr": "Insérer ~après", "en": "Insert ~after"},
    "panel.copy": {"fr": "~Copier", "en": "~Copy"},
    "panel.model": {"fr": "Modèle", "en": "Model"},
    "panel.write": {"fr": "Écrire", "en": "Write"},
    "panel.write.instruction": {
        "fr": "Consigne : ce qu'il faut écrire (Rédiger), ou une précision (Répondre, Continuer)",
        "en": "Instruction: what to write (Draft), or a detail (Reply, Continue)",
    },
    "panel.transform": {"fr": "Transformer la sélection", "en": "Transform the selection"},
    "panel.transform.instruction": {"fr": "Consigne (si l'action en prend une)", "en": "Instruction (if the action takes one)"},
    "panel.translation": {"fr": "Traduction", "en": "Translation"},
    "panel.refine.title": {"fr": "Affiner le résultat", "en": "Refine the result"},
    "panel.refine.instruction": {
        "fr": "Consigne de révision du résultat (par exemple : plus court)",
        "en": "How to revise the result (for example: shorter)",
    },
    "panel.refine": {"fr": "A~ffiner", "en": "Re~fine"},
    "panel.refine.back": {"fr": "~Version précédente", "en": "Pre~vious version"},
    "panel.instruction.needed": {
        "fr": "Écrivez d'abord une consigne pour « {action} ».",
        "en": "Write an instruction for “{action}” first.",
    },
    "panel.ready": {
        "fr": "Prêt. Sélectionnez du texte puis choisissez une action.",
        "en": "Ready. Select text, then choose an action.",
    },
    "panel.working": {"fr": "Rédaction en cours…", "en": "Writing…"},
    "panel.stats": {
        "fr": "{model} · {seconds:.1f} s · {chars} caractères",
        "en": "{model} · {seconds:.1f} s · {chars} characters",
    },
    "panel.applied": {"fr": "Appliqué. Annulez avec Ctrl+Z si besoin.", "en": "Applied. Undo with Ctrl+Z if needed."},
    "apply.nothing": {
        "fr": "aucun résultat en attente dans l'aperçu de Plume",
        "en": "no result waits in Plume's preview",
    },
    "refine.nothing": {
        "fr": "aucun résultat à affiner ou à remonter dans l'aperçu de Plume",
        "en": "no result to refine or go back in Plume's preview",
    },
    "panel.copied": {"fr": "Copié dans le presse-papiers.", "en": "Copied to the clipboard."},
    "panel.models.error": {"fr": "Liste des modèles indisponible", "en": "Model list unavailable"},
    "destination.local": {"fr": "Destination du texte : cet ordinateur", "en": "Text goes to: this computer"},
    "destination.blocked": {
        "fr": "Envoi bloqué : {label} n'est pas un opérateur approuvé",
        "en": "Sending blocked: {label} is not an approved operator",
    },
    "panel.to_send": {
        "fr": "Ce qui sera envoyé ({count} donnée(s) remplacée(s))",
        "en": "What will be sent ({count} value(s) replaced)",
    },
    "panel.send": {"fr": "~Envoyer", "en": "S~end"},
    "panel.pseudonymised": {
        "fr": "{count} donnée(s) personnelle(s) pseudonymisée(s) avant envoi.",
        "en": "{count} personal value(s) pseudonymised before sending.",
    },
    "panel.missing": {"fr": "Absent de la réponse : {values}", "en": "Missing from the answer: {values}"},
    # An answer that stopped at max_tokens (plume.truncation): first in the panel's notes.
    "panel.truncated": {
        "fr": "Réponse incomplète : longueur maximale de réponse atteinte, la fin manque.",
        "en": "Incomplete answer: maximum answer length reached, the end is missing.",
    },
    "panel.truncated.summary": {
        "fr": "Résumé incomplet : longueur maximale atteinte, arrêté à sa dernière phrase complète.",
        "en": "Incomplete summary: maximum length reached, stopped at its last complete sentence.",
    },
    "panel.truncated.held": {
        "fr": "Rien n'a été appliqué : relisez, puis Remplacer ou Insérer après.",
        "en": "Nothing was applied: review it, then Replace or Insert after.",
    },
    # The sidebar's Ask section and the answers it inserts (plume_lo: panel_layout, runs/ask).
    "panel.ask": {"fr": "Demander aux documents", "en": "Ask the documents"},
    "panel.ask.question": {"fr": "Votre question", "en": "Your question"},
    "panel.ask.scope": {"fr": "Chercher dans", "en": "Search in"},
    "panel.ask.scope.document": {"fr": "Ce document", "en": "This document"},
    "panel.ask.scope.shared": {"fr": "{name} (partagé)", "en": "{name} (shared)"},
    "panel.ask.scope.personal": {"fr": "{name} (personnel)", "en": "{name} (personal)"},
    "panel.ask.button": {"fr": "Dema~nder", "en": "As~k"},
    "panel.ask.insert": {"fr": "Insérer avec les ~sources", "en": "Insert with ~sources"},
    "panel.index": {"fr": "~Indexer mes dossiers", "en": "~Index my folders"},
    "panel.index.working": {"fr": "Indexation de vos dossiers…", "en": "Indexing your folders…"},
    "panel.ask.working": {"fr": "Recherche dans les documents…", "en": "Searching the documents…"},
    "panel.ask.question.needed": {"fr": "Écrivez d'abord votre question.", "en": "Type your question first."},
    "panel.ask.source": {"fr": "[{number}] {title} — {place}", "en": "[{number}] {title} — {place}"},
    "panel.ask.selected": {"fr": "Source [{number}] sélectionnée : {place}.", "en": "Source [{number}] selected: {place}."},
    "panel.ask.opened": {
        "fr": "{file} ouvert en lecture seule : le passage est {place}.",
        "en": "{file} opened read-only: the passage is {place}.",
    },
    "panel.ask.opened.viewer": {
        "fr": "{file} est confié à la visionneuse du système : le passage est {place}.",
        "en": "{file} was handed to the system's viewer: the passage is {place}.",
    },
    "panel.ask.not_found": {
        "fr": "Passage introuvable dans le fichier (modifié depuis son indexation ?) : il était {place}.",
        "en": "Passage not found in the file (changed since it was indexed?): it was {place}.",
    },
    "ask.this_document": {"fr": "ce document", "en": "this document"},
    "ask.place.unknown": {"fr": "emplacement inconnu", "en": "place unknown"},
    "destination.operator": {"fr": "Destination du texte : {label}", "en": "Text goes to: {label}"},
    "destination.proxy": {"fr": "(par le proxy {proxy})", "en": "(through the proxy {proxy})"},
    "option.backend": {"fr": "Type de serveur", "en": "Server type"},
    "option.backend.ollama": {"fr": "Ollama (API native)", "en": "Ollama (native API)"},
    "option.backend.openai": {
        "fr": "Compatible OpenAI (Albert, Mistral, vLLM)",
        "en": "OpenAI-compatible (Albert, Mistral, vLLM)",
    },
    "option.base_url": {"fr": "Adresse du serveur", "en": "Server address"},
    "option.model": {"fr": "Modèle (vide : le premier)", "en": "Model (empty: the first)"},
    "option.operator_name": {"fr": "Nom de l'opérateur", "en": "Operator name"},
    "option.api_key": {"fr": "Clé d'accès (API)", "en": "Access key (API)"},
    "option.approved_hosts": {"fr": "Opérateurs approuvés (hôtes)", "en": "Approved operators (hosts)"},
    "option.operator_policy": {"fr": "Données personnelles → opérateur", "en": "Personal data → operator"},
    "option.local_policy": {"fr": "Données personnelles → cet ordinateur", "en": "Personal data → this computer"},
    "option.policy.send": {"fr": "Envoyer telles quelles", "en": "Send as is"},
    "option.policy.pseudonymise": {"fr": "Pseudonymiser", "en": "Pseudonymise"},
    "option.policy.warn": {"fr": "Pseudonymiser et montrer avant envoi", "en": "Pseudonymise and show before sending"},
    "option.policy.block": {"fr": "Bloquer", "en": "Block"},
    "option.connect_timeout": {"fr": "Délai de connexion (s)", "en": "Connection timeout (s)"},
    "option.read_timeout": {"fr": "Délai de réponse (s)", "en": "Answer timeout (s)"},
    "option.ca_bundle": {"fr": "Autorité de certification (PEM)", "en": "Certificate authority (PEM)"},
    "option.summary_mode": {"fr": "Résumés : résultat", "en": "Summaries: result"},
    "option.rewrite_mode": {"fr": "Reformulations : résultat", "en": "Rewrites: result"},
    "option.mode.preview": {"fr": "Aperçu dans le panneau", "en": "Preview in the sidebar"},
    "option.mode.replace": {"fr": "Remplacer le texte", "en": "Replace the text"},
    "option.mode.after": {"fr": "Insérer après le texte", "en": "Insert after the text"},
    "option.verify_tls": {
        "fr": "Vérifier le certificat du serveur (recommandé)",
        "en": "Verify the server's certificate (recommended)",
    },
    "option.allow_plain_http": {
        "fr": "Autoriser http:// (non chiffré) vers un opérateur approuvé",
        "en": "Allow plain http:// to an approved operator",
    },
    "option.track_changes": {
        "fr": "Appliquer en modifications suivies, pour relecture",
        "en": "Apply as tracked changes, for review",
    },
    "option.test": {"fr": "Tester la connexion", "en": "Test connection"},
    "option.testing": {"fr": "Test en cours…", "en": "Testing…"},
    "option.locked": {"fr": "Réglage verrouillé par votre service informatique", "en": "Setting locked by your IT department"},
    "option.key.saved": {
        "fr": "Clé enregistrée dans le coffre de mots de passe de LibreOffice.",
        "en": "Key saved in LibreOffice's password store.",
    },
    "option.key.session": {
        "fr": "Clé gardée jusqu'à la fermeture de LibreOffice. Pour la conserver, activez « Enregistrer les mots de passe de manière permanente » (Outils > Options > Sécurité), de préférence avec un mot de passe principal.",
        "en": 'Key kept until LibreOffice closes. To keep it, turn on "Persistently save passwords" (Tools > Options > Security), preferably with a master password.',
    },
    "option.invalid": {"fr": "Non enregistré : {detail}", "en": "Not saved: {detail}"},
    "option.personal_actions": {
        "fr": "Mes actions (format TOML, comme celles du service informatique)",
        "en": "My actions (TOML, in the same form as IT's)",
    },
    "option.personal_actions.off": {
        "fr": "Votre service informatique n'a pas autorisé les actions personnelles",
        "en": "Your IT department has not allowed personal actions",
    },
    # --- offline translation -----------------------------------------------
    "action.translate.model": {"fr": "Traduire (modèle, pas Argos)", "en": "Translate (model, not Argos)"},
    "translate.detected": {"fr": "langue détectée : {code} ({percent} %)", "en": "detected language: {code} ({percent}%)"},
    "translate.detected.panel": {
        "fr": "Langue du texte : {name} (détectée, {percent} %). Changez-la dans « Langue du texte » si besoin.",
        "en": 'Language of the text: {name} (detected, {percent}%). Change it under "Language of the text" if needed.',
    },
    "translate.progress": {"fr": "Traduction : paragraphe {done} / {total}", "en": "Translating: paragraph {done} / {total}"},
    "translate.by_model": {
        "fr": "Traduit par le modèle {model}, pas par un paquet de langue : relisez attentivement.",
        "en": "Translated by the model {model}, not by a language package: review carefully.",
    },
    "translate.offer_model": {
        "fr": "Aucun paquet de langue {source} → {target}. Vous pouvez traduire avec le modèle configuré ({destination}) : bouton « Traduire avec le modèle ».",
        "en": 'No {source} → {target} language package. You can translate with the configured model ({destination}): "Translate with the model" button.',
    },
    "error.missing_pair": {
        "fr": "Aucun paquet de langue installé ne traduit la paire {source} → {target}, même en passant par l'anglais. Demandez ce paquet à votre service informatique.",
        "en": "No installed language package translates {source} → {target}, even through English. Ask your IT department for this package.",
    },
    "error.missing_pair.cli": {
        "fr": "Pour traduire quand même avec le modèle configuré : --engine model.",
        "en": "To translate with the configured model instead: --engine model.",
    },
    "error.translation": {
        "fr": "La traduction hors ligne a échoué ({detail}). Le document n'a pas été modifié.",
        "en": "Offline translation failed ({detail}). The document was not changed.",
    },
    "error.translation_unavailable": {
        "fr": "La traduction hors ligne n'est pas installée dans cette version de Plume ({detail}). Votre service informatique doit déployer la version « avec traduction ».",
        "en": 'Offline translation is not installed in this Plume build ({detail}). Your IT department must deploy the build "with translation".',
    },
    "error.bad_package": {
        "fr": "Ce fichier n'est pas un paquet de langue utilisable : {detail}. Choisissez un fichier .argosmodel.",
        "en": "This file is not a usable language package: {detail}. Choose an .argosmodel file.",
    },
    "error.broken_package": {
        "fr": "Le paquet de langue {path} est endommagé et ne peut pas être chargé ({detail}). Réinstallez-le ou demandez-le à votre service informatique.",
        "en": "The language package {path} is damaged and cannot be loaded ({detail}). Reinstall it or ask your IT department for it.",
    },
    "languages.personal": {"fr": "personnel", "en": "personal"},
    "languages.shared": {"fr": "partagé (service informatique)", "en": "shared (IT department)"},
    "languages.pivot": {"fr": "via l'anglais", "en": "through English"},
    "languages.shadowed": {"fr": "remplacé par le paquet personnel", "en": "replaced by the personal package"},
    "languages.installed": {
        "fr": "Installé : {source} → {target} dans {path}",
        "en": "Installed: {source} -> {target} in {path}",
    },
    "languages.none": {
        "fr": "Aucun paquet de langue installé (dossiers consultés : {folders}).",
        "en": "No language package installed (folders searched: {folders}).",
    },
    "languages.sources": {"fr": "Langues sources : {names}", "en": "Source languages: {names}"},
    "desk.title": {"fr": "Plume — Traduction accueil", "en": "Plume — Reception translator"},
    "desk.agent": {"fr": "Agent", "en": "Agent"},
    "desk.visitor": {"fr": "Visiteur", "en": "Visitor"},
    "desk.swap": {"fr": "⇄ ~Inverser", "en": "⇄ ~Swap"},
    "desk.translate": {"fr": "~Traduire (Entrée)", "en": "~Translate (Enter)"},
    "desk.copy": {"fr": "~Copier la traduction", "en": "~Copy the translation"},
    "desk.clear": {"fr": "~Effacer", "en": "C~lear"},
    "desk.large": {"fr": "~Grands caractères", "en": "~Large text"},
    "desk.close": {"fr": "~Fermer", "en": "Cl~ose"},
    "desk.ready": {
        "fr": "Écrivez dans l'un des deux cadres : la traduction apparaît dans l'autre. Rien n'est enregistré.",
        "en": "Type in either box: the translation appears in the other. Nothing is stored.",
    },
    "desk.working": {"fr": "Traduction…", "en": "Translating…"},
    "desk.no_packages": {
        "fr": "Aucun paquet de langue installé : demandez-les à votre service informatique.",
        "en": "No language package installed: ask your IT department for them.",
    },
    "option.languages": {"fr": "Paquets de langues (traduction hors ligne)", "en": "Language packages (offline translation)"},
    "option.languages_install": {"fr": "Installer un paquet…", "en": "Install a package…"},
    "option.languages_remove": {"fr": "Retirer", "en": "Remove"},
    "option.languages.done": {"fr": "Paquet installé : {source} → {target}.", "en": "Package installed: {source} → {target}."},
    "option.languages.removed": {"fr": "Paquet retiré.", "en": "Package removed."},
    "option.translate_target": {"fr": "Traduire vers (code)", "en": "Translate into (code)"},
    "option.translate_with_model": {
        "fr": "Sans paquet de langue, proposer la traduction par le modèle",
        "en": "Without a language package, offer translation by the model",
    },
    "mark.comment": {
        "fr": "Texte produit par IA (Plume) — {action}, modèle {model}, destination : {destination}, le {date} UTC. À relire.",
        "en": "AI-generated text (Plume) — {action}, model {model}, destination: {destination}, on {date} UTC. To be reviewed.",
    },
    "mark.local": {"fr": "cet ordinateur", "en": "this computer"},
    "mark.truncated": {
        "fr": "Réponse incomplète : le modèle a atteint la longueur maximale de réponse, la fin peut manquer.",
        "en": "Incomplete answer: the model reached the maximum answer length; the end may be missing.",
    },
    "marks.truncated": {"fr": "incomplet", "en": "incomplete"},
    "long.covers": {"fr": "Parties couvertes : {sections}", "en": "Sections covered: {sections}"},
    "long.progress": {"fr": "partie {done} / {total}", "en": "part {done} / {total}"},
    "mark.to_check": {
        "fr": "À vérifier ({count}), absent du texte source : {items}.",
        "en": "To check ({count}), not in the source text: {items}.",
    },
    "mark.to_check.item": {"fr": "« {text} » ({kind})", "en": "“{text}” ({kind})"},
    "check.kind.amount": {"fr": "montant", "en": "amount"},
    "check.kind.percent": {"fr": "pourcentage", "en": "percentage"},
    "check.kind.number": {"fr": "nombre", "en": "number"},
    "check.kind.date": {"fr": "date", "en": "date"},
    "check.kind.time": {"fr": "heure", "en": "time"},
    "check.kind.reference": {"fr": "référence", "en": "reference"},
    "check.kind.email": {"fr": "adresse e-mail", "en": "e-mail address"},
    "check.kind.phone": {"fr": "téléphone", "en": "phone number"},
    "check.kind.link": {"fr": "lien", "en": "link"},
    "check.kind.name": {"fr": "nom", "en": "name"},
    "check.reason.not_in_source": {"fr": "absent du texte source", "en": "not in the source text"},
    "check.reason.other_unit": {
        "fr": "autre unité ou devise dans le texte source",
        "en": "another unit or currency in the source text",
    },
    "check.item": {"fr": "« {text} » : {kind} {reason}", "en": "“{text}”: {kind} {reason}"},
    "check.count.one": {"fr": "1 élément à vérifier", "en": "1 element to check"},
    "check.count.many": {"fr": "{count} éléments à vérifier", "en": "{count} elements to check"},
    "check.none": {
        "fr": "Nombres, dates, références et noms : tous présents dans le texte source. Relisez quand même.",
        "en": "Numbers, dates, references and names: all in the source text. Review it anyway.",
    },
    "check.label": {"fr": "À vérifier (absent du texte source)", "en": "To check (not in the source text)"},
    "marks.undo": {"fr": "retirer les commentaires IA", "en": "remove the AI comments"},
    "marks.none": {"fr": "Aucun passage assisté par IA dans ce document.", "en": "No AI-assisted passage in this document."},
    "marks.list": {"fr": "{count} passage(s) assisté(s) par IA :", "en": "{count} AI-assisted passage(s):"},
    "marks.removed": {
        "fr": "{count} commentaire(s) Plume retiré(s) après relecture ; les enregistrements restent dans les propriétés du document.",
        "en": "{count} Plume comment(s) removed after review; the records stay in the document properties.",
    },
    "undo.title": {"fr": "Plume : {action}", "en": "Plume: {action}"},
    "run.needs_instruction": {
        "fr": "« {action} » a besoin d'une consigne : écrivez-la dans le panneau Plume, puis relancez l'action.",
        "en": "“{action}” needs an instruction: type it in the Plume panel, then run the action again.",
    },
    "error.unreachable": {
        "fr": "Le serveur de modèle {url} ne répond pas. Vérifiez qu'il est démarré et l'adresse dans Outils > Options > Plume.",
        "en": "The model server {url} does not answer. Check that it is running and the address in Tools > Options > Plume.",
    },
    "error.certificate": {
        "fr": "Le certificat du serveur {url} n'est pas reconnu. Indiquez le fichier de l'autorité de certification de votre organisation dans les options de Plume.",
        "en": "The certificate of {url} is not trusted. Set your organisation's certificate authority file in Plume's options.",
    },
    "error.timeout": {
        "fr": "Le serveur {url} a mis trop de temps à répondre. Réessayez, ou augmentez le délai d'attente dans les options.",
        "en": "The server {url} took too long to answer. Try again, or raise the timeout in the options.",
    },
    "error.auth": {
        "fr": "Le serveur a refusé la clé d'accès ({detail}). Saisissez une clé valide dans les options de Plume.",
        "en": "The server refused the access key ({detail}). Enter a valid key in Plume's options.",
    },
    "error.model": {
        "fr": "Le modèle « {model} » n'existe pas sur le serveur. Choisissez un modèle disponible dans les options.",
        "en": 'The model "{model}" is not on the server. Choose an available model in the options.',
    },
    "error.status": {
        "fr": "Le serveur a renvoyé une erreur ({detail}). Réessayez plus tard ou contactez votre service informatique.",
        "en": "The server returned an error ({detail}). Try again later or contact your IT department.",
    },
    "error.invalid": {
        "fr": "La réponse du serveur est illisible ({detail}). Le document n'a pas été modifié ; réessayez.",
        "en": "The server's answer could not be read ({detail}). The document was not changed; try again.",
    },
    "error.blocked": {
        "fr": "Envoi bloqué : {host} n'est pas un opérateur approuvé par votre organisation. Rien n'a été envoyé. Utilisez un modèle local ou demandez à votre service informatique d'approuver ce serveur.",
        "en": "Sending blocked: {host} is not an operator your organisation approved. Nothing was sent. Use a local model or ask your IT department to approve this server.",
    },
    "error.blocked.policy": {
        "fr": "Envoi bloqué par les réglages pour {host}. Rien n'a été envoyé.",
        "en": "Sending to {host} is blocked by the settings. Nothing was sent.",
    },
    "error.blocked.plain_http": {
        "fr": "Envoi bloqué : {host} est un opérateur joint en http non chiffré. Rien n'a été envoyé. Utilisez son adresse https, ou demandez à votre service informatique de l'autoriser.",
        "en": "Sending blocked: {host} is an operator reached over unencrypted http. Nothing was sent. Use its https address, or ask your IT department to allow it.",
    },
    "error.blocked.other_host": {
        "fr": "Envoi bloqué : une requête visait {host}, qui n'est pas le serveur configuré. Rien n'a été envoyé.",
        "en": "Sending blocked: a request was aimed at {host}, which is not the configured server. Nothing was sent.",
    },
    "error.too_long": {
        "fr": "Le modèle n'accepte que {window} jetons par requête, trop peu pour la consigne et un texte. Rien n'a été envoyé. Choisissez un autre modèle, ou faites corriger la fenêtre de contexte (réglage context_window) par votre service informatique.",
        "en": "The model takes only {window} tokens per request, too few for the instructions and a text. Nothing was sent. Choose another model, or ask your IT department to correct the context window (setting context_window).",
    },
    "error.too_long.text": {
        "fr": "Texte trop long pour cette action : elle a besoin de tout le texte en une fois, et le modèle n'accepte que {window} jetons par requête. Rien n'a été envoyé. Sélectionnez un passage plus court.",
        "en": "Text too long for this action: it needs the whole text at once, and the model takes only {window} tokens per request. Nothing was sent. Select a shorter passage.",
    },
    "error.redirect": {
        "fr": "Le serveur {url} a voulu renvoyer la requête vers {location}. Plume ne suit jamais de redirection : rien n'y a été envoyé. Vérifiez l'adresse du serveur dans les options (https, chemin) ou contactez votre service informatique.",
        "en": "The server {url} tried to send the request on to {location}. Plume never follows a redirect: nothing was sent there. Check the server address in the options (https, path) or contact your IT department.",
    },
    "error.leak": {
        "fr": "Envoi arrêté : la requête contenait encore des données personnelles ({kinds}) après pseudonymisation. Rien n'a été envoyé. Signalez-le à votre service informatique.",
        "en": "Sending stopped: the request still held personal data ({kinds}) after pseudonymisation. Nothing was sent. Report it to your IT department.",
    },
    "error.confirm": {
        "fr": "À vérifier avant envoi : {count} donnée(s) personnelle(s) remplacée(s). Relisez « Ce qui sera envoyé », puis confirmez.",
        "en": 'Check before sending: {count} personal value(s) replaced. Read "What will be sent", then confirm.',
    },
    "warning.truncated": {
        "fr": "réponse incomplète : le modèle a atteint la longueur maximale de réponse, la fin manque. Envoyez un texte plus court ou augmentez PLUME_MAX_OUTPUT_TOKENS.",
        "en": "incomplete answer: the model reached the maximum answer length; the end is missing. Send a shorter text or raise PLUME_MAX_OUTPUT_TOKENS.",
    },
    "warning.missing": {
        "fr": "la réponse ne reprend pas ces données remplacées : {values}",
        "en": "the answer does not contain these replaced values: {values}",
    },
    "ask.nothing": {
        "fr": "Rien trouvé dans les documents sur cette question : Plume ne répond pas de mémoire. Reformulez la question ou choisissez une autre collection.",
        "en": "Nothing found in the documents about this question: Plume does not answer from memory. Rephrase the question or choose another collection.",
    },
    "ask.uncited": {
        "fr": "réponse sans source : elle ne cite aucun des passages trouvés, rien ne l'appuie. Vérifiez-la dans les documents.",
        "en": "answer without a source: it cites none of the passages found, nothing supports it. Check it in the documents.",
    },
    "ask.unknown": {
        "fr": "la réponse cite des passages qui n'existent pas : {numbers}",
        "en": "the answer cites passages that do not exist: {numbers}",
    },
    "ask.sources": {"fr": "Sources", "en": "Sources"},
    "error.ask.k": {
        "fr": "Nombre de passages invalide : {value} (de 1 à {limit}, 0 pour la valeur par défaut).",
        "en": "Invalid number of passages: {value} (1 to {limit}, 0 for the default).",
    },
    "error.ask.question": {"fr": "La question est vide.", "en": "The question is empty."},
    "ask.unsupported": {
        "fr": "non appuyé par les passages cités : {items}",
        "en": "not supported by the cited passages: {items}",
    },
    "error.cancelled": {"fr": "Arrêté. Le document n'a pas été modifié.", "en": "Stopped. The document was not changed."},
    "error.settings": {
        "fr": "Réglages invalides : {detail}. Corrigez-les dans Outils > Options > Plume.",
        "en": "Invalid settings: {detail}. Fix them in Tools > Options > Plume.",
    },
    "error.unsupported": {"fr": "Action impossible : {detail}.", "en": "Cannot do this: {detail}."},
    "error.settings.cli": {
        "fr": "Réglages invalides : {detail}. Corrigez les variables PLUME_* ou les options de la commande.",
        "en": "Invalid settings: {detail}. Fix the PLUME_* variables or the command's options.",
    },
    "error.usage": {
        "fr": "commande incorrecte : {detail} (aide : {command} --help)",
        "en": "wrong command: {detail} (help: {command} --help)",
    },
    "error.input.encoding": {
        "fr": "Le texte lu ({source}) n'est pas en UTF-8 (octet invalide à la position {position}). Enregistrez-le en UTF-8 puis recommencez.",
        "en": "The text read ({source}) is not UTF-8 (invalid byte at position {position}). Save it as UTF-8 and try again.",
    },
    "error.input.large": {
        "fr": "Le texte lu ({source}) dépasse {limit} Mo : ce n'est pas un texte à traiter.",
        "en": "The text read ({source}) is larger than {limit} MB: not a text to work on.",
    },
    "error.input.file": {
        "fr": "Impossible de lire {path} : {detail}.",
        "en": "Cannot read {path}: {detail}.",
    },
    "index.progress": {"fr": "Indexation : {done}/{total} fichiers", "en": "Indexing: {done}/{total} files"},
    "index.summary": {
        "fr": "{found} fichiers trouvés : {read} lus, {unchanged} inchangés, {removed} retirés, {failed} illisibles. Index : {files} fichiers, {passages} passages ({path})",
        "en": "{found} files found: {read} read, {unchanged} unchanged, {removed} removed, {failed} unreadable. Index: {files} files, {passages} passages ({path})",
    },
    "index.already": {"fr": "Une indexation est déjà en cours.", "en": "Indexing is already under way."},
    "index.embedded": {"fr": "{count} passages vectorisés avec {model}.", "en": "{count} passages embedded with {model}."},
    "index.embedding_failed": {
        "fr": "plongements non calculés, la recherche se fera par mots : {detail}",
        "en": "embeddings not computed, search will use words only: {detail}",
    },
    "knowledge.note.lexical_only": {
        "fr": "Recherche par mots seulement : le serveur ne fournit pas de plongements (embeddings) pour ce modèle, ou la règle de confidentialité demande de confirmer chaque envoi.",
        "en": "Word search only: the server provides no embeddings for this model, or the privacy rule asks to confirm every sending.",
    },
    "knowledge.note.no_vectors": {
        "fr": "Recherche par mots seulement : cette collection n'a pas encore de plongements pour ce modèle (relancez l'indexation).",
        "en": "Word search only: this collection has no embeddings for this model yet (index it again).",
    },
    "knowledge.note.no_rerank": {
        "fr": "Passages non reclassés : le serveur n'a pas répondu au reclassement (rerank).",
        "en": "Passages not reranked: the server did not answer the rerank request.",
    },
    "error.knowledge": {
        "fr": "Recherche dans les documents impossible : {detail}.",
        "en": "Cannot search the documents: {detail}.",
    },
    "error.unreadable_file": {
        "fr": "Fichier illisible, ignoré : {path} ({reason}{detail}).",
        "en": "Unreadable file, skipped: {path} ({reason}{detail}).",
    },
    "error.index_unavailable": {
        "fr": "L'index {path} est inutilisable : {detail}. Relancez l'indexation (python -m plume index) ou demandez-la à votre service informatique.",
        "en": "The index {path} cannot be used: {detail}. Index again (python -m plume index) or ask your IT department.",
    },
    "error.internal.cli": {
        "fr": "Erreur interne de Plume ({detail}). Signalez-la ; PLUME_DEBUG=1 affiche le détail.",
        "en": "Internal Plume error ({detail}). Please report it; PLUME_DEBUG=1 shows the details.",
    },
    "error.internal": {
        "fr": "Erreur interne de Plume ({detail}). Le document n'a pas été modifié ; le journal de Plume contient les détails.",
        "en": "Internal Plume error ({detail}). The document was not changed; Plume's log has the details.",
    },
}


# Why a file could not be read (UnreadableFile.reason), as the user reads it.
UNREADABLE_REASONS: dict[str, dict[str, str]] = {
    "format": {"fr": "format non pris en charge", "en": "unsupported format"},
    "access": {"fr": "accès impossible", "en": "cannot be opened"},
    "too_large": {"fr": "trop volumineux", "en": "too large"},
    "damaged": {"fr": "fichier endommagé", "en": "damaged file"},
    "encrypted": {"fr": "protégé par mot de passe", "en": "password-protected"},
}


def language_of(locale: str) -> str:
    """'fr', 'fr-FR', 'fr_CA.UTF-8' -> 'fr'; anything else -> 'en'."""
    return "fr" if locale.lower().startswith("fr") else "en"


def t(key: str, lang: str, **values: object) -> str:
    entry = STRINGS[key]
    return entry.get(lang, entry["en"]).format(**values)


def _unreadable(error: UnreadableFile, lang: str) -> dict[str, object]:
    reason = UNREADABLE_REASONS.get(error.reason, {}).get(lang, error.reason)
    detail = (" : " if lang == "fr" else ": ") + error.detail if error.detail else ""
    return {"path": error.path, "reason": reason, "detail": detail}


def _url(error: BackendError) -> str:
    return error.url or "?"


# The user's message for each kind of error: its catalogue key and the values it shows.
# describe_error takes the entry of the most specific class along the error's MRO, so a new
# subclass gets its parent's message until it is given its own. Keys never depend on an
# error's English text: what differs is said by the error's attributes (DestinationBlocked.kind).
ERROR_MESSAGES: dict[type[BaseException], Callable[[Any, str], tuple[str, dict[str, object]]]] = {
    PlumeError: lambda e, lang: ("error.status", {"detail": str(e)}),
    SettingsError: lambda e, lang: ("error.settings", {"detail": "; ".join(e.problems)}),
    UnsupportedError: lambda e, lang: ("error.unsupported", {"detail": str(e)}),
    DestinationBlocked: lambda e, lang: (
        "error.blocked" if e.kind == "unapproved" else f"error.blocked.{e.kind}",
        {"host": e.host},
    ),
    NeedsConfirmation: lambda e, lang: ("error.confirm", {"count": e.replaced}),
    LeakPrevented: lambda e, lang: ("error.leak", {"kinds": ", ".join(e.kinds)}),
    TooLong: lambda e, lang: ("error.too_long.text" if e.whole_text else "error.too_long", {"window": e.window}),
    KnowledgeError: lambda e, lang: ("error.knowledge", {"detail": str(e)}),
    UnreadableFile: lambda e, lang: ("error.unreadable_file", _unreadable(e, lang)),
    IndexUnavailable: lambda e, lang: ("error.index_unavailable", {"path": e.path, "detail": e.detail}),
    TranslationError: lambda e, lang: ("error.translation", {"detail": str(e)}),
    TranslationUnavailable: lambda e, lang: ("error.translation_unavailable", {"detail": str(e)}),
    MissingPair: lambda e, lang: ("error.missing_pair", {"source": name_in(e.source, lang), "target": name_in(e.target, lang)}),
    BadPackage: lambda e, lang: ("error.bad_package", {"detail": str(e)}),
    BrokenPackage: lambda e, lang: ("error.broken_package", {"path": e.path, "detail": e.detail}),
    BackendError: lambda e, lang: ("error.status", {"detail": str(e)}),
    Unreachable: lambda e, lang: ("error.unreachable", {"url": _url(e)}),
    CertificateError: lambda e, lang: ("error.certificate", {"url": _url(e)}),
    BackendTimeout: lambda e, lang: ("error.timeout", {"url": _url(e)}),
    HTTPStatusError: lambda e, lang: ("error.status", {"detail": str(e)}),
    AuthenticationError: lambda e, lang: ("error.auth", {"detail": e.server_message or f"HTTP {e.status}"}),
    ModelNotFound: lambda e, lang: ("error.model", {"model": e.model}),
    RedirectRefused: lambda e, lang: ("error.redirect", {"url": _url(e), "location": e.location or "?"}),
    InvalidReply: lambda e, lang: ("error.invalid", {"detail": str(e)}),
    Cancelled: lambda e, lang: ("error.cancelled", {}),
}


def error_message(error: BaseException, lang: str) -> tuple[str, dict[str, object]]:
    """The catalogue key and values of ``error``'s message (see :data:`ERROR_MESSAGES`)."""
    for kind in type(error).__mro__:
        message = ERROR_MESSAGES.get(kind)
        if message is not None:
            return message(error, lang)
    return "error.internal", {"detail": f"{type(error).__name__}: {error}"}


def describe_error(error: BaseException, lang: str) -> str:
    """One line: what happened and what to do."""
    key, values = error_message(error, lang)
    return t(key, lang, **values)
