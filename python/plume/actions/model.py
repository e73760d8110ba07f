"""What an action is, as data: the one description every front end reads.

An :class:`Action` says what the sidebar shows, what the adapter reads from the document,
what the model is asked, how a long text is handled and where the result goes. Built-in
actions (:mod:`.builtin`), the ones IT declares in the policy layer and a user's personal
ones (:mod:`.custom`) are all entries of this one kind; nothing compares action names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# What the action reads from the document:
# - "selection": the selection, else the current paragraph (rewrites);
# - "document": the selection, else the whole document (summaries, translations);
# - "paragraph": the current paragraph up to the cursor (continue writing);
# - "nothing": no text, only the instruction (drafting), the result goes at the cursor;
# - "letter": the selection, a received letter or e-mail to answer (reply);
# - "passages": the passages a retriever found for the instruction (a question about the
#   documents: plume.knowledge.answer); Plume's own "ask" only, not declared by IT or users.
Reads = Literal["selection", "document", "paragraph", "nothing", "letter", "passages"]
READS: tuple[Reads, ...] = ("selection", "document", "paragraph", "nothing", "letter", "passages")

# Whether the user gives an instruction with the action.
Instruction = Literal["none", "optional", "required"]
INSTRUCTIONS: tuple[Instruction, ...] = ("none", "optional", "required")

# A text longer than the model's window: summarised part by part then together, rewritten by
# batches of paragraphs, or refused (the action needs the whole text at once).
LongText = Literal["map_reduce", "batches", "none"]
LONG_TEXTS: tuple[LongText, ...] = ("map_reduce", "batches", "none")

# Where the result goes: in place of the text read, after it, or at the end of the paragraph
# read ("append": continue writing). Drafting reads nothing: "after" puts it at the cursor.
Placement = Literal["replace", "after", "append"]
PLACEMENTS: tuple[Placement, ...] = ("replace", "after", "append")

# What the fact check compares the answer with: the text read, the instruction (a draft's
# figures must come from what the user asked), both (a reply), or the passages the answer
# cites (asking the documents: not the whole collection, not the passages it did not cite).
CheckAgainst = Literal["source", "instruction", "source_and_instruction", "passages", "none"]
CHECKS: tuple[CheckAgainst, ...] = ("source", "instruction", "source_and_instruction", "passages", "none")

# "ask": questions about the documents (the sidebar's Ask section, not its Write buttons).
Group = Literal["write", "transform", "translate", "ask"]
GROUPS: tuple[Group, ...] = ("write", "transform", "translate", "ask")

Origin = Literal["builtin", "policy", "personal"]


@dataclass(frozen=True)
class Text:
    """A user-facing text in French and English."""

    fr: str
    en: str = ""

    def __call__(self, language: str) -> str:
        return self.en if language == "en" and self.en else self.fr


@dataclass(frozen=True)
class Action:
    id: str  # stable: URLs, the CLI, menus, the audit log (lowercase letters, digits, '-')
    label: Text
    tooltip: Text
    prompt: Text  # the task, after the text; {instruction}, {language} and {length} are filled in
    reads: Reads = "selection"
    instruction: Instruction = "none"
    long_text: LongText = "batches"
    placement: Placement = "replace"
    mode_setting: str = "rewrite_mode"  # the setting whose value (preview/replace/after) overrides the default
    keep_format: bool = True  # map the source's formatting onto the result
    check_against: CheckAgainst = "source"
    group: Group = "transform"
    shortcut: str = ""  # a letter: Ctrl+Alt+Shift+<letter> in Writer
    context_menu: bool = False  # offered on the text's right-click menu
    origin: Origin = "builtin"
    aliases: tuple[str, ...] = ()  # earlier URLs that still run it: "rewrite?style=formal"

    @property
    def label_fr(self) -> str:
        return self.label.fr

    @property
    def needs_text(self) -> bool:
        return self.reads != "nothing"

    @property
    def summarises(self) -> bool:
        """The answer is shorter than its source by design: its length is asked for, and a cut
        one is trimmed to its last complete sentence."""
        return self.long_text == "map_reduce"
