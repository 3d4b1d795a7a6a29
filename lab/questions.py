"""The "what to notice / try this" box and the predict-then-reveal question of a chapter."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

__all__ = ["predict", "try_this"]


def try_this(markdown_text: str) -> None:
    """The "what to notice / try this" box of a chapter."""
    with st.container(border=True):
        st.markdown("#### :material/lightbulb: What to notice — try this")
        st.markdown(markdown_text)


def _reveal(key: str) -> None:
    st.session_state[f"{key}_revealed"] = True


def _try_again(key: str) -> None:
    st.session_state[f"{key}_revealed"] = False
    st.session_state[f"{key}_guess"] = None


def predict(
    key: str,
    question: str,
    options: Sequence[str],
    answer_index: int,
    explanation: str,
    *,
    on_reveal: Callable[[], None] | None = None,
) -> bool:
    """A predict-then-reveal question.

    The student picks an answer and commits with a button; only then are the
    right answer and the explanation shown. "Try again" clears the guess.

    Parameters
    ----------
    key : str
        Unique, page-prefixed key (e.g. ``"rc_q1"``).
    question : str
        The question (Markdown).
    options : sequence of str
        Possible answers.
    answer_index : int
        Index of the right answer in ``options``.
    explanation : str
        Why (Markdown, may contain LaTeX); shown after the reveal.
    on_reveal : callable, optional
        Extra callback run when the student commits.

    Returns
    -------
    bool
        Whether the answer is revealed.
    """
    if not 0 <= answer_index < len(options):
        raise ValueError(f"answer_index {answer_index} is not an index of {len(options)} options")
    guess_key, revealed_key = f"{key}_guess", f"{key}_revealed"
    revealed = bool(st.session_state.get(revealed_key, False))
    if revealed and st.session_state.get(guess_key) is None:
        revealed = False  # the guess was lost (e.g. state cleared): ask again
        st.session_state[revealed_key] = False

    def commit() -> None:
        _reveal(key)
        if on_reveal is not None:
            on_reveal()

    with st.container(border=True):
        st.markdown("#### :material/psychology_alt: Predict, then check")
        st.markdown(question)
        guess = st.radio(
            "Your prediction",
            list(options),
            index=None,
            key=guess_key,
            disabled=revealed,
            persist_state="session",
        )
        if not revealed:
            st.button(
                "Commit my guess and reveal the answer",
                key=f"{key}_reveal",
                disabled=guess is None,
                on_click=commit,
                type="primary",
            )
            if guess is None:
                st.caption("Pick an answer first; the answer stays hidden until you commit.")
            return False
        right = options[answer_index]
        if guess == right:
            st.success(f"Right: **{right}**", icon=":material/check_circle:")
        else:
            st.error(
                f"You predicted **{guess}**. The answer is **{right}**.", icon=":material/cancel:"
            )
        st.markdown(explanation)
        st.button("Try again", key=f"{key}_again", on_click=_try_again, args=(key,))
        return True
