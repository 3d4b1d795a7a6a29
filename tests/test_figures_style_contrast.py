"""lif_figures.style's colour arithmetic against WCAG 2, written out here by hand.

Relative luminance L = 0.2126 R + 0.7152 G + 0.0722 B of the linearised channels, contrast
(L1 + 0.05)/(L2 + 0.05); a translucent colour is alpha-blended over what lies beneath.
Known values: black on white 21, #777777 on white 4.48 (just under AA's 4.5).
"""

from __future__ import annotations

import pytest

from lif_figures import style


def lin(v: float) -> float:
    v /= 255
    return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4


def lum(rgb) -> float:
    r, g, b = (lin(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a, b) -> float:
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def blend(rgb, alpha, under):
    return tuple(alpha * c + (1 - alpha) * u for c, u in zip(rgb, under, strict=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#abc", (170, 187, 204, 1.0)),
        ("#a1b2c3", (161, 178, 195, 1.0)),
        ("  #0F0  ", (0, 255, 0, 1.0)),
        ("rgb(10, 20, 30)", (10, 20, 30, 1.0)),
        ("rgba(10, 20, 30, 0.25)", (10, 20, 30, 0.25)),
        ("rgb(10, 20, 30 / 0.5)", (10, 20, 30, 0.5)),
    ],
)
def test_colour_strings_are_read_as_numbers(text, expected):
    assert style._rgba(text) == pytest.approx(expected)


def test_contrast_ratios_of_known_pairs():
    assert style.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert style.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.478, abs=1e-3)
    assert style.contrast_ratio("#767676", "#ffffff") == pytest.approx(4.542, abs=1e-3)
    # dark channels use the linear part of the curve (v <= 0.03928)
    assert style.contrast_ratio("#080808", "#ffffff") == pytest.approx(ratio((8,) * 3, (255,) * 3))
    assert style.contrast_ratio("#0a0a0a", "#000000") == pytest.approx(
        (10 / 255 / 12.92 + 0.05) / 0.05
    )


def test_contrast_on_a_translucent_background_over_a_translucent_tint():
    white = (255.0, 255.0, 255.0)
    bg = blend((0, 0, 0), 0.5, white)  # rgba(0,0,0,0.5) over the white page
    expected = ratio((200, 40, 40), bg)
    got = style.contrast_ratio("#c82828", "rgba(0, 0, 0, 0.5)")
    assert got == pytest.approx(expected, rel=1e-12)
    base = blend((0, 0, 255), 0.4, white)  # a translucent tint beneath
    bg = blend((255, 255, 0), 0.3, base)
    fg = blend((20, 20, 20), 0.9, bg)
    got = style.contrast_ratio(
        "rgba(20, 20, 20, 0.9)", "rgba(255, 255, 0, 0.3)", "rgba(0,0,255,0.4)"
    )
    assert got == pytest.approx(ratio(fg, bg), rel=1e-12)


def test_a_readable_colour_is_kept():
    assert style.readable("#222222", "#ffffff") == "#222222"


@pytest.mark.parametrize(
    ("colour", "background", "under", "expected"),
    [
        ("#777777", "#ffffff", None, "#717171"),  # one step (5 %) towards black is enough
        ("#aaaaaa", "#ffffff", None, "#6e6e6e"),  # seven steps
        ("#555555", "#222222", None, "#909090"),  # towards white on a dark background
        ("#666666", "rgba(255,255,255,0.1)", "#000000", "#858585"),  # dark page beneath
    ],
)
def test_an_unreadable_colour_gets_the_first_shade_that_reaches_4_5(
    colour, background, under, expected
):
    shade = style.readable(colour, background, under)
    assert shade == expected
    base = (255.0,) * 3 if under is None else style._over(under, (255.0,) * 3)
    bg = style._over(background, base)
    assert ratio(style._rgba(shade)[:3], bg) >= 4.5
    assert style.contrast_ratio(colour, background, under) < 4.5


def test_a_background_just_under_luminance_0_18_counts_as_dark():
    """Black at 53.866 % over white: luminance 0.17998, just dark enough: the text goes to
    white (black would also reach 4.5 here, so only the 0.18 rule decides)."""
    tint = "rgba(0, 0, 0, 0.538664)"
    assert lum(blend((0, 0, 0), 0.538664, (255,) * 3)) == pytest.approx(0.17998, abs=1e-5)
    assert style.readable("#777777", tint) == "#ffffff"
    # the same tint as the layer beneath a transparent background
    assert style.readable("#777777", "rgba(0, 0, 0, 0)", tint) == "#ffffff"
