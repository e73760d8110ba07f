from __future__ import annotations

from plume.budget import context_window_for, estimate_tokens


def test_estimate_counts_accented_text_higher() -> None:
    assert estimate_tokens("été élevé") > estimate_tokens("ete eleve")


def test_context_window_fits_prompt_and_answer_in_a_power_of_two() -> None:
    for prompt in (10, 3000, 3100, 9000, 70000):
        window = context_window_for(prompt, 1024, 4096)
        assert window >= prompt + 1024 and window >= 4096
        assert window & (window - 1) == 0
