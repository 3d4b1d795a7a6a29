"""Defects a class would hit (issue 13, item 6), each checked in Streamlit's AppTest.

Covers: a resting potential above the threshold is named for what it is (the neuron fires on
its own) in the sidebar and on every page whose text assumes a rest below threshold; a page
that raises shows a short message, never the exception or its traceback, and the details go
to the server's output; chapter 5's "cannot be simulated" warning speaks in µs and names the
sliders that fix it; link notices are one box, one line per slider, naming sliders by their
labels; the longest link the app can write stays far below the servers' limits; chapter 6's
table and captions hold for every refractory period; the nginx configuration sets the framing
policy and answers an over-long link with a readable 414.
"""

from __future__ import annotations

import io
import logging
import math
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

import lab_ui
from lif_core import LIFParams
from lif_core.analysis import synapses

ROOT = Path(__file__).resolve().parents[1]
HOME = "app.py"
RC = "pages/1_Membrane_RC_circuit.py"
EQ = "pages/2_Resting_equilibrium.py"
TH = "pages/3_Threshold_and_spikes.py"
FI = "pages/4_Refractory_period_f-I.py"
SYN = "pages/5_Synaptic_conductances.py"
SH = "pages/6_Shunting_inhibition.py"


def _texts(at: AppTest) -> str:
    """Every warning, info box, caption and Markdown text of a run, main area and sidebar."""
    parts = [*at.warning, *at.info, *at.caption, *at.markdown]
    return " ".join(" ".join(str(p.value) for p in parts).split())  # one space between words


def _link_notices(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "could not be used" in w.value]


# --------------------------------------------------------------------------- E_L above V_th

#: E_L 20 mV above the threshold (the issue's example).
ABOVE = {"E_L": "-50", "V_th": "-70", "V_reset": "-90"}


def _rate_without_input_hz() -> float:
    """f = 1/(t_ref + tau ln((E_L - V_reset)/(E_L - V_th))) for ABOVE, written out here."""
    tau, t_ref = 10e-3, 2e-3  # R = 10 MΩ, C = 1 nF; default t_ref
    return 1.0 / (t_ref + tau * math.log((-50 + 90) / (-50 + 70)))


def test_resting_potential_above_threshold_is_named_in_the_sidebar(apptest, run_page):
    at = run_page(HOME, ABOVE)
    apptest.assert_no_exception(at)
    rate = f"{_rate_without_input_hz():.0f} Hz"
    assert rate == "112 Hz"
    (warning,) = [w.value for w in at.warning if "fires on its own" in w.value]
    assert rate in warning and "−2.00 nA" in warning  # rate at I = 0, negative rheobase
    assert "E_L = −50 mV" in warning and "V_th = −70 mV" in warning
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    assert "fires on its own" in sidebar and rate in sidebar
    assert "Rheobase = **−2.00 nA**" in " ".join(m.value for m in at.sidebar.markdown)


@pytest.mark.parametrize(
    ("page", "needle"),
    [
        (RC, "no threshold yet"),
        (EQ, "V∞ is above the threshold V_th = −70 mV"),
        (TH, "every current on this slider is above its rheobase, −2.00 nA"),
        (FI, "the neuron already fires at I = 0"),
        (SYN, "V never sits at rest here"),
        (SH, "the shunting one (E_inh = −50 mV) and the hyperpolarising one (E_inh = −65 mV)"),
    ],
)
def test_each_chapter_says_what_a_rest_above_threshold_means(apptest, run_page, page, needle):
    """The page-wide warning, and the chapter's own note where its text assumes a rest below
    threshold; neither appears for the default neuron."""
    at = run_page(page, ABOVE)
    apptest.assert_no_exception(at)
    text = _texts(at)
    assert "This neuron fires on its own" in text
    assert needle in text
    clean = _texts(run_page(page))
    assert "fires on its own" not in clean and needle not in clean


def test_chapter_6_f_I_caption_follows_where_E_inh_lies(run_page):
    """Default neuron: both shift right. E_L above V_th: the shunting one does not."""
    default = _texts(run_page(SH))
    assert "both kinds of inhibition shift the curve to the right" in default
    # E_L = -55 mV, V_th = -60 mV: the shunting conductance (at E_L) is above the threshold,
    # the hyperpolarising one (E_L - 15 mV = -70 mV) below it
    mixed = _texts(run_page(SH, {"E_L": "-55", "V_th": "-60", "V_reset": "-75"}))
    assert "both kinds of inhibition shift the curve to the right" not in mixed
    assert "the shunting one (E_inh = −55 mV) is not below V_th = −60 mV" in mixed


def test_rest_exactly_at_threshold_is_explained(apptest, run_page):
    at = run_page(TH, {"E_L": "-50", "V_th": "-50"})
    apptest.assert_no_exception(at)
    assert any("Resting exactly at threshold" in i.value for i in at.info)
    assert not any("fires on its own" in w.value for w in at.warning)


def test_chapter_2_says_when_the_fixed_point_is_above_threshold(run_page):
    """The default neuron with 2 nA: V∞ = -45 mV > V_th, so V∞ is no resting potential."""
    above = _texts(run_page(EQ, {"eq_I": "2"}))
    assert "V∞ = E_L + R·I = −45.0 mV" in above and "V∞ is above the threshold" in above
    below = _texts(run_page(EQ, {"eq_I": "1"}))  # V∞ = -55 mV
    assert "V∞ is above the threshold" not in below


# --------------------------------------------------------------------------- errors


def test_a_page_that_raises_shows_a_message_not_the_traceback(capfd):
    """client.showErrorDetails = "none" (config.toml) and lab_ui's message; details logged."""
    script = (
        "import lab_ui\n"
        "lab_ui.page_setup('Broken page')\n"
        "raise RuntimeError('internal detail 8c1f in lif_core')\n"
    )
    # Streamlit prints the traceback with rich when it is installed, else logs it through
    # its own logger (which does not propagate): catch both
    logged = io.StringIO()
    handler = logging.StreamHandler(logged)
    logger = logging.getLogger("streamlit.error_util")
    logger.addHandler(handler)
    try:
        at = AppTest.from_string(script, default_timeout=30).run()
    finally:
        logger.removeHandler(handler)
    (shown,) = at.exception
    assert shown.message == lab_ui.ERROR_MESSAGE
    assert not shown.stack_trace
    assert "RuntimeError" not in str(shown.proto) and "8c1f" not in str(shown.proto)
    assert "Sorry, something went wrong" in shown.message
    out, err = capfd.readouterr()
    assert "internal detail 8c1f" in out + err + logged.getvalue()  # in the server's log
    # no "Ask Google / Ask ChatGPT" links under the message (shown on localhost otherwise)
    assert st_config.get_option("client.showErrorLinks") == "false"


# --------------------------------------------------------------------------- chapter 5


#: Chapter 5 at t_ref = 0 with a strong input: more than 10 spikes per 0.1 ms step.
TOO_FAST = {
    "C": "0.1",
    "V_reset": "-51",
    "t_ref": "0",
    "syn_g": "50",
    "syn_E": "20",
    "syn_I": "3",
    "syn_rate": "100",
    "syn_tau": "30",
}


def _label(at: AppTest, key: str) -> str:
    """A slider's label without its unit, as the link notices name it (Markdown, LaTeX)."""
    return at.slider(key=key).label.rsplit(" (", 1)[0]


def _plain_label(at: AppTest, key: str) -> str:
    """A slider's label as plain text: without unit and LaTeX marks ("V_reset")."""
    return re.sub(r"[${}]", "", _label(at, key))


def test_chapter_5_too_fast_warning_in_microseconds_naming_the_sliders(apptest, run_page):
    at = run_page(SYN, TOO_FAST)
    apptest.assert_no_exception(at)
    (warning,) = [w.value for w in at.warning if "cannot be simulated" in w.value]
    # the interval the engine refuses, in µs (not "6.04e-06 s")
    with pytest.raises(ValueError, match="fire every") as refused:
        synapses.synapse_demo(
            LIFParams(C=0.1e-9, V_reset=-51e-3, t_ref=0.0), 100.0, 50e-9, 30e-3, 20e-3, 3e-9
        )
    isi = float(re.search(r"fire every ([0-9.e+-]+) s", str(refused.value))[1])
    assert f"fire every {isi * 1e6:.1f} µs" in warning
    assert "e-0" not in warning and " s," not in warning
    for key in ("t_ref", "V_reset", "syn_g", "syn_rate", "syn_I"):
        assert f"**{_plain_label(at, key)}**" in warning, key
    # the advice works: any refractory period the slider allows is enough
    fixed = run_page(SYN, {**TOO_FAST, "t_ref": "0.5"})
    apptest.assert_no_exception(fixed)
    assert not [w for w in fixed.warning if "cannot be simulated" in w.value]
    assert len(apptest.plotly_figures(fixed)) == 3


# --------------------------------------------------------------------------- link notices

#: Every slider of chapter 6 with an unusable value: ten problems in one link.
BAD_LINK = {
    "R": "abc",
    "C": "nan",
    "E_L": "1e9",
    "V_th": "",
    "V_reset": "x",
    "t_ref": "-1",
    "sh_ge": "abc",
    "sh_gi": "inf",
    "sh_dEi": "99",
    "sh_dEh": "abc",
}


def test_link_notices_are_one_box_with_a_line_per_slider_named_by_label(apptest):
    at = apptest.make_app(SH, BAD_LINK)
    at.run()
    apptest.assert_no_exception(at)
    (box,) = _link_notices(at)
    lines = [line for line in box.splitlines() if line.startswith("- ")]
    assert len(lines) == len(BAD_LINK)
    for key in BAD_LINK:
        assert any(line.startswith(f"- **{_label(at, key)}**: ") for line in lines), key
    assert "Hyperpolarising inhibition: E_inh − E_L" in box
    for key in BAD_LINK:  # no internal key, e.g. "sh_dEh", in the text
        assert not re.search(rf"\*\*{key}\*\*", box), key
    assert "sh_dEh" not in box and "sh_gi" not in box
    assert "using the default −15 mV" in box  # the default, with a true minus sign

    # three more bad links in the same session: still one box, one line per slider, the
    # latest value for each
    for n in range(3):
        for key in BAD_LINK:
            at.query_params[key] = f"bad{n}"
        at.run()
        apptest.assert_no_exception(at)
    (box,) = _link_notices(at)
    lines = [line for line in box.splitlines() if line.startswith("- ")]
    assert len(lines) == len(BAD_LINK)
    assert all("`bad2`" in line for line in lines), lines


def test_a_notice_from_a_radio_and_a_checkbox_names_them_by_label(apptest, run_page):
    at = run_page(TH, {"th_kind": "ramp", "th_spikes": "maybe"})
    (box,) = _link_notices(at)
    assert "**Input current**: the link gives `ramp`" in box
    assert "**Draw spikes**: the link gives `maybe`" in box
    assert "th_kind" not in box and "th_spikes" not in box


# --------------------------------------------------------------------------- link length

#: What the servers accept as a request line: nginx's `large_client_header_buffers` in
#: deploy/nginx.conf (8 KiB) and a Streamlit process on its own (16 KiB, h11's limit for a
#: request head that arrives in parts). docs/hosting.md explains both.
NGINX_LIMIT = 8 * 1024
LONGEST_LINK = 2048  #: what LIF Lab promises for its own links (README, docs/hosting.md)


def _longest_value(at: AppTest, key: str) -> int:
    """The longest URL text a bound widget's value can have."""
    if any(s.key == key for s in at.slider):
        return 24  # a float's repr: at most 24 characters (-1.2345678901234567e-100)
    if any(r.key == key for r in at.radio):
        return max(len(o) for o in at.radio(key=key).options)
    return len("false")  # a checkbox


@pytest.mark.parametrize("entry", lab_ui.NAV, ids=[e.path for e in lab_ui.NAV])
def test_the_longest_link_the_app_can_write_stays_short(apptest, entry):
    """Every URL-bound widget of the page at once (the sidebar's and the page's own, as
    lab_ui registers them), each with the longest text its value can have."""
    at = apptest.make_app(entry.path)
    at.run()
    apptest.assert_no_exception(at)
    own = list(at.session_state["_lab_bound"]) if "_lab_bound" in at.session_state else []
    assert all(key.startswith(entry.prefix or "") for key in own), own
    assert bool(own) == (entry.prefix is not None)  # chapters have URL-bound widgets
    bound = [*lab_ui.default_display_values(), *own]
    query = sum(len(key) + 1 + _longest_value(at, key) + 1 for key in bound)
    path = len("/" + re.sub(r"^pages/\d*_?", "", entry.path).removesuffix(".py"))
    request_line = len("GET ") + path + 1 + query + len(" HTTP/1.1")
    assert request_line < LONGEST_LINK < NGINX_LIMIT


# --------------------------------------------------------------------------- chapter 6 table


def _table_cells(at: AppTest) -> list[list[str]]:
    (table,) = [m.value for m in at.markdown if m.value.startswith("| inhibition |")]
    return [[c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()]


@pytest.mark.parametrize("t_ref", ["10", "12", "20"])
def test_chapter_6_table_has_no_nan_and_the_caption_says_why(run_page, t_ref):
    """t_ref >= 10 ms: the rate never reaches 100 Hz, so shift and slope there are "–"."""
    at = run_page(SH, {"t_ref": t_ref})
    header, _, *rows = _table_cells(at)
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if "nan" in c.lower()], rows
    for name in ("shift at 100 Hz (nA)", "slope ratio at 100 Hz"):
        column = header.index(name)
        assert [row[column] for row in rows] == ["–", "–"]
    caption = " ".join(c.value for c in at.caption)
    ceiling = f"{1000 / float(t_ref):.0f} Hz"
    assert f"(–): with t_ref = {float(t_ref):.1f} ms the rate never reaches 100 Hz" in caption
    assert f"its ceiling 1/t_ref is {ceiling}" in caption
    assert "both ratios are at or above 1" not in caption


def test_chapter_6_caption_claims_what_the_table_shows(run_page):
    at = run_page(SH, {"t_ref": "9.5"})
    header, _, *rows = _table_cells(at)
    ratios = [float(row[header.index("slope ratio at 100 Hz")]) for row in rows]
    assert all(r >= 1.0 for r in ratios)
    caption = " ".join(c.value for c in at.caption)
    assert "both ratios are at or above 1" in caption


# --------------------------------------------------------------------------- texts


def test_texts_say_what_the_charts_show(run_page):
    start = _texts(run_page(HOME))
    assert "divide rather than subtract" not in start
    assert "mostly shifts the firing rate" in start
    sh = _texts(run_page(SH))
    assert "scaled copy" in sh and "a scaled copy for small g_exc" in sh
    assert "climbs as steeply" not in sh and "almost unchanged" not in sh
    fi = _texts(run_page(FI))
    assert "a fraction of a millisecond" not in fi
    # T at 15 nA and 20 nA for the default neuron, as the text says
    tau, V_reset, V_th, E_L, R = 10e-3, -65e-3, -50e-3, -65e-3, 10e6
    for I, shown in ((15e-9, "1.05 ms at 15 nA"), (20e-9, "0.78 ms at 20 nA")):
        V_inf = E_L + R * I
        T = tau * math.log((V_inf - V_reset) / (V_inf - V_th))
        assert f"{T * 1e3:.2f} ms" in shown and shown in fi


# --------------------------------------------------------------------------- nginx

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def nginx_proxy(tmp_path):
    """deploy/nginx.conf as start_cluster.sh writes it, with a backend that is not running."""
    if not os.access(NGINX, os.X_OK):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("nginx is missing (apt-get install -y nginx)")
        pytest.skip("nginx is not installed")
    port = _free_port()
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    conf = conf.replace("listen 127.0.0.1:8500;", f"listen 127.0.0.1:{port};")
    conf = conf.replace("alias /srv/lif-lab/static/", f"alias {ROOT}/static/")
    (tmp_path / "nginx.conf").write_text(conf)
    (tmp_path / "backends.conf").write_text(f"server 127.0.0.1:{_free_port()} max_fails=0;\n")
    (tmp_path / "tmp").mkdir()
    cmd = [NGINX, "-p", f"{tmp_path}/", "-c", f"{tmp_path}/nginx.conf", "-e", "error.log"]
    subprocess.run([*cmd, "-t"], check=True, capture_output=True)
    proc = subprocess.Popen([*cmd, "-g", "daemon off;"], stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def _get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def test_nginx_sets_the_framing_policy_and_explains_a_too_long_link(nginx_proxy):
    status, headers, _ = _get(nginx_proxy + "/")  # no backend: 502, headers still set
    assert status == 502
    assert headers.get("Content-Security-Policy") == "frame-ancestors 'self'"
    status, headers, body = _get(nginx_proxy + "/?R=40&x=" + "a" * NGINX_LIMIT)
    assert status == 414
    assert "This link is too long" in body
    assert headers.get("Content-Security-Policy") == "frame-ancestors 'self'"
    # a link as long as the longest LIF Lab can write passes nginx (to the absent backend)
    status, _, _ = _get(nginx_proxy + "/?R=40&x=" + "a" * LONGEST_LINK)
    assert status == 502
