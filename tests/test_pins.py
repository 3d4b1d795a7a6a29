"""Pin and compare (lab.pins): pinned curves are drawn faded, labelled, kept in the link."""

from __future__ import annotations

import numpy as np
from figure_reader import Chart

from lif_core import LIFParams
from lif_core.analysis import membrane as mem
from lif_figures import membrane
from lif_figures.spec import PIN_DASHES, with_pins

RC = "pages/1_Membrane_RC_circuit.py"


def pins_in_link(at) -> list[str]:
    value = at.query_params.get("pin_rc_voltage", [])
    return [value] if isinstance(value, str) else list(value)


def voltage_chart(apptest, at) -> Chart:
    return Chart(next(c["figure"] for c in apptest.charts(at) if c["key"] == "rc_voltage"))


def test_with_pins_draws_the_pinned_traces_faded_under_the_current_ones():
    now = membrane.rc_voltage_figure(mem.pulse_experiment(LIFParams(), 1e-9, 0.02, 0.06))
    then = membrane.rc_voltage_figure(mem.pulse_experiment(LIFParams(), 2.5e-9, 0.02, 0.06))
    chart = Chart(with_pins(now, [("pin 1: I = 2.5 nA", then)], ("simulated V(t)",)))
    assert chart.names[0] == "pin 1: I = 2.5 nA"  # drawn first: under the current curves
    pin = chart["pin 1: I = 2.5 nA"]
    src = Chart(then)["simulated V(t)"]
    np.testing.assert_array_equal(pin.y, src.y)
    np.testing.assert_array_equal(pin.x, src.x)
    assert pin.raw["opacity"] < 1 and pin.dash == PIN_DASHES[0] and pin.color == src.color
    # the y range now holds the pinned curve (-40 mV) as well as the current one (-55 mV)
    hi = chart.axis_range("yaxis")[1]
    assert hi > pin.y.max() > Chart(now)["simulated V(t)"].y.max()
    assert len(Chart(now).traces) == len(chart.traces) - 1  # the original is left alone


def test_pin_keeps_the_curve_labels_what_differs_and_goes_into_the_link(apptest):
    at = apptest.make_app(RC)
    at.run()
    at.button(key="rc_voltage_pin").click().run()
    apptest.assert_no_exception(at)
    assert pins_in_link(at) == [
        "R:10;C:1;E_L:-65;V_th:-50;V_reset:-65;t_ref:2;rc_amp:1;rc_onset:20;rc_width:60"
    ]
    assert "pin 1: as now" in voltage_chart(apptest, at).names
    at.slider(key="rc_amp").set_value(2.0).run()
    chart = voltage_chart(apptest, at)
    pin = chart["pin 1: I = 1 nA"]
    assert pin.y.max() == np.round(-65 + 10 * (1 - np.exp(-6)), 3)  # the 1 nA curve, in mV
    assert chart["simulated V(t)"].y.max() > pin.y.max()
    for _ in range(3):  # at most three pins: the oldest goes first
        at.button(key="rc_voltage_pin").click().run()
    assert len(pins_in_link(at)) == 3
    assert not any(n.startswith("pin 1: I = 1 nA") for n in voltage_chart(apptest, at).names)
    at.button(key="rc_voltage_clear").click().run()
    assert "pin_rc_voltage" not in at.query_params
    assert not any(n.startswith("pin") for n in voltage_chart(apptest, at).names)


def test_a_link_with_pins_shows_them_and_a_bad_pin_is_left_out_with_a_notice(apptest, run_page):
    at = run_page(RC, {"pin_rc_voltage": ["R:40", "rc_amp:abc"]})
    apptest.assert_no_exception(at)
    assert "pin 1: R = 40 MΩ" in voltage_chart(apptest, at).names
    assert any("Pinned curves" in w and "rc_amp:abc" in w for w in apptest.warnings_text(at))


FI = "pages/4_Refractory_period_f-I.py"


def test_a_pinned_f_i_curve_keeps_the_old_refractory_period(apptest, run_page):
    """Chapter 4: pin the t_ref = 2 ms curve, set t_ref = 5 ms; the pin keeps the old one."""
    at = run_page(FI, {"pin_fi_curve": ["t_ref:2;fi_Imax:20;fi_I:3"], "t_ref": "5"})
    apptest.assert_no_exception(at)
    chart = Chart(next(c["figure"] for c in apptest.charts(at) if c["key"] == "fi_curve"))
    pin = chart["pin 1: t_ref = 2 ms"]  # the theory curve of the pinned neuron, labelled
    p = LIFParams(t_ref=2e-3)
    I = pin.x[pin.x > 2.0] * 1e-9  # nA -> A, above rheobase (1.5 nA)
    T = p.tau * np.log((p.R * I + p.E_L - p.V_reset) / (p.R * I + p.E_L - p.V_th))
    np.testing.assert_allclose(pin.y[pin.x > 2.0], 1 / (p.t_ref + T), rtol=1e-6)
    points = chart["pin 1: t_ref = 2 ms · simulated, t_ref = 2 ms"]
    assert points.raw["mode"] == "markers" and points.y.max() < 1 / p.t_ref
    # the current curve is the 5 ms one, below the pinned one; t_ref = 0 is not pinned
    now = chart["theory, t_ref = 5 ms"]
    assert now.y.max() < pin.y.max() and now.y.max() < 200.0
    assert not any("t_ref = 0" in n for n in chart.names if n.startswith("pin"))
