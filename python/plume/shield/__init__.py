"""The personal-data shield: find personal data in text about to be sent (:mod:`.detect`),
replace it by typed placeholders and restore the answer (:mod:`.pseudonym`), and decide per
destination whether text may leave the machine at all (:mod:`.policy`). ``docs/shield.md``
says what is and is not caught. Kept import-free: the detectors load their libraries only
when text is actually scanned."""
