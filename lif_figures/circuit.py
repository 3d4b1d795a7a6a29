"""The equivalent circuit of the membrane, drawn as an inline SVG.

The wires and labels use ``currentColor``, so the drawing takes the page's text
colour and reads well in both the light and the dark Streamlit theme; the three
current arrows use the same colours as the current traces in the charts
(:data:`lif_figures.style.COLORS`). Nothing here imports streamlit.
"""

from __future__ import annotations

from lif_figures.style import COLORS

__all__ = ["CIRCUIT_LABELS", "circuit_svg"]

#: Labels that appear in the drawing (tests check them).
CIRCUIT_LABELS = ("R", "C", "E_L", "I", "I_R", "I_C", "V")


def _sub(main: str, sub: str, x: float, y: float, fill: str = "currentColor", **kw: str) -> str:
    extra = " ".join(f'{k.replace("_", "-")}="{v}"' for k, v in kw.items())
    return (
        f'<text x="{x}" y="{y}" fill="{fill}" {extra}>{main}'
        f'<tspan dy="7" font-size="17">{sub}</tspan></text>'
    )


def _arrow(x1: float, y1: float, x2: float, y2: float, color: str, marker: str) -> str:
    return (
        f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{color}" stroke-width="4" '
        f'marker-end="url(#{marker})"/>'
    )


def circuit_svg(max_width: int = 560) -> str:
    """SVG markup of the membrane's equivalent circuit.

    A current source ``I`` injects charge into the inside of the cell (top
    wire); it flows out through the capacitor ``C`` (``I_C``) and through the
    leak resistor ``R`` in series with the battery ``E_L`` (``I_R``). ``V`` is
    the potential of the inside relative to the outside (bottom wire).

    Parameters
    ----------
    max_width : int
        Largest width the drawing is shown at (px); it shrinks with the column.

    Returns
    -------
    str
        A self-contained ``<svg>`` element (no scripts, no external resources).
    """
    grey, green, purple = COLORS["I"], COLORS["I_R"], COLORS["I_C"]
    markers = "".join(
        f'<marker id="lif-arrow-{name}" viewBox="0 0 10 10" refX="8" refY="5" '
        f'markerWidth="4" markerHeight="4" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
        for name, color in (("I", grey), ("IR", green), ("IC", purple))
    )
    zigzag = "M500,130 L500,140 L486,147 L514,161 L486,175 L514,189 L500,196 L500,200"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360" role="img" '
        f'style="width:100%;max-width:{max_width}px;height:auto;color:inherit" '
        f'font-family="sans-serif" font-size="24">',
        "<title>Equivalent circuit of the membrane: a current source I charging a "
        "capacitor C in parallel with a leak resistor R in series with the battery "
        "E_L; V is the potential inside relative to outside.</title>",
        f"<defs>{markers}</defs>",
        '<g stroke="currentColor" stroke-width="3" fill="none" stroke-linecap="round">',
        # rails: inside (top) and outside (bottom)
        '<line x1="90" y1="70" x2="500" y2="70"/>',
        '<line x1="90" y1="290" x2="500" y2="290"/>',
        # current source
        '<line x1="90" y1="70" x2="90" y2="145"/>',
        '<circle cx="90" cy="180" r="35"/>',
        '<line x1="90" y1="215" x2="90" y2="290"/>',
        # capacitor
        '<line x1="300" y1="70" x2="300" y2="168"/>',
        '<line x1="262" y1="168" x2="338" y2="168" stroke-width="5"/>',
        '<line x1="262" y1="188" x2="338" y2="188" stroke-width="5"/>',
        '<line x1="300" y1="188" x2="300" y2="290"/>',
        # resistor and battery
        '<line x1="500" y1="70" x2="500" y2="130"/>',
        f'<path d="{zigzag}" stroke-linejoin="round"/>',
        '<line x1="500" y1="200" x2="500" y2="228"/>',
        '<line x1="474" y1="228" x2="526" y2="228" stroke-width="4"/>',
        '<line x1="488" y1="242" x2="512" y2="242" stroke-width="8"/>',
        '<line x1="500" y1="242" x2="500" y2="290"/>',
        # ground of the outside
        '<line x1="300" y1="290" x2="300" y2="310"/>',
        '<line x1="276" y1="310" x2="324" y2="310"/>',
        '<line x1="286" y1="318" x2="314" y2="318"/>',
        '<line x1="295" y1="326" x2="305" y2="326"/>',
        "</g>",
        # node dots
        '<circle cx="300" cy="70" r="6" fill="currentColor"/>',
        '<circle cx="300" cy="290" r="6" fill="currentColor"/>',
        # current arrows (same colours as in the charts)
        _arrow(90, 200, 90, 162, grey, "lif-arrow-I"),
        _arrow(300, 88, 300, 145, purple, "lif-arrow-IC"),
        _arrow(500, 82, 500, 122, green, "lif-arrow-IR"),
        # labels
        f'<text x="40" y="190" fill="{grey}" font-weight="bold" font-size="28">I</text>',
        _sub("I", "C", 312, 125, fill=purple, font_weight="bold", font_size="28"),
        _sub("I", "R", 512, 108, fill=green, font_weight="bold", font_size="28"),
        '<text x="350" y="186" fill="currentColor" font-size="28">C</text>',
        '<text x="526" y="172" fill="currentColor" font-size="28">R</text>',
        _sub("E", "L", 538, 246, font_size="28"),
        '<text x="120" y="58" fill="currentColor">inside</text>',
        '<text x="120" y="318" fill="currentColor">outside</text>',
        # V between the rails
        '<text x="598" y="88" fill="currentColor" font-size="28">+</text>',
        '<text x="596" y="190" fill="currentColor" font-size="30" font-style="italic">V</text>',
        '<text x="602" y="292" fill="currentColor" font-size="28">−</text>',
        '<g stroke="currentColor" stroke-width="2" stroke-dasharray="5 5">',
        '<line x1="500" y1="70" x2="585" y2="70"/>',
        '<line x1="500" y1="290" x2="585" y2="290"/>',
        '<line x1="605" y1="100" x2="605" y2="160"/>',
        '<line x1="605" y1="205" x2="605" y2="265"/>',
        "</g>",
        '<text x="340" y="352" fill="currentColor" font-size="24">I = I'
        '<tspan dy="7" font-size="17">R</tspan><tspan dy="-7"> + I</tspan>'
        '<tspan dy="7" font-size="17">C</tspan></text>',
        "</svg>",
    ]
    return "".join(parts)
