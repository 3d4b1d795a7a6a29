"""What chapters 5 and 6 give their live previews: exact Poisson trains, reproducible samples.

- ``lab_cache.poisson_trains`` sends every Poisson train the rate slider can ask for as
  slices of one stream; each must be the very train ``stimulus.poisson_spike_train`` gives.
- The previews recompute the charts in the browser, whose arithmetic differs from numpy's in
  the last bit. The potentials are thinned (min/max per pixel column) on values rounded to
  the display's precision, so round-off noise cannot choose the samples drawn: the same
  data with noise of 1e-17 V draws the same samples.
- A chart of a flat potential shows a 2 mV span, not its round-off.
"""

from __future__ import annotations

import numpy as np
import pytest

import lab_cache
from lif_core import LIFParams, stimulus
from lif_core.analysis import inhibition, synapses
from lif_figures import synapses as figures
from tests.figure_reader import Chart

P = LIFParams()


@pytest.mark.parametrize(
    ("rates", "duration", "seed"),
    [(tuple(np.arange(0.0, 101.0)), 0.5, 0), (tuple(np.arange(0.0, 40.5, 0.5)), 0.3, 7)],
)
def test_every_poisson_train_is_a_slice_of_the_stream(rates, duration, seed):
    data = lab_cache.poisson_trains(rates, duration, seed)
    assert data["rates"] == list(rates)
    times = np.asarray(data["times"])
    for rate, (start, count) in zip(rates, data["trains"], strict=True):
        train = stimulus.poisson_spike_train(rate, duration, seed=seed)
        assert np.array_equal(np.sort(times[start : start + count]), train), rate
    # one short stream, not every train: 100x fewer numbers than the trains hold
    total = sum(count for _, count in data["trains"])
    assert times.size < total / 10


def test_a_train_that_is_no_slice_is_sent_as_it_is(monkeypatch):
    odd = np.array([0.1, 0.2, 0.3])
    real = stimulus.poisson_spike_train
    monkeypatch.setattr(
        stimulus,
        "poisson_spike_train",
        lambda rate, duration, seed=0: odd if rate == 2.0 else real(rate, duration, seed=seed),
    )
    data = lab_cache.poisson_trains((1.0, 2.0, 3.0), 0.5, 11)
    start, count = data["trains"][1]
    assert count == 3 and data["times"][start : start + 3] == odd.tolist()


def _noisy(V: dict[str, np.ndarray], seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {k: v + rng.choice([-1.0, 0.0, 1.0], v.size) * 1e-17 for k, v in V.items()}


def test_round_off_noise_does_not_choose_the_samples_of_the_shunting_chart():
    demo = inhibition.shunting_demo(P, 30e-9, 100e-9, 0.0)  # flat stretches before the event
    clean = Chart(figures.shunting_figure(demo))
    noisy = Chart(figures.shunting_figure(demo._replace(V=_noisy(demo.V))))
    for name in ("E alone", "I alone", "E and I together", "linear sum (E alone + I alone)"):
        assert noisy[name].x.tolist() == clean[name].x.tolist(), name
    # and the thinning keeps each pixel column's extremes: the drawn peak is the peak
    assert clean["E alone"].y.max() == pytest.approx(1e3 * (P.E_L + demo.peak_E), abs=5e-4)


@pytest.mark.parametrize("model", ["current", "conductance"])
def test_round_off_noise_does_not_choose_the_samples_of_the_synapse_chart(model):
    demo = synapses.synapse_demo(P, 7.0, 12e-9, 4e-3, -70e-3, 0.0)  # at rest between events
    noisy_V = _noisy(demo.V)
    noisy = demo._replace(
        V=noisy_V,
        drive={**demo.drive, "conductance": noisy_V["conductance"] - demo.E_syn},
    )
    clean, other = (Chart(figures.synapse_response_figure(d, model)) for d in (demo, noisy))
    drive = "V − E_syn" if model == "conductance" else "E_L − E_syn (frozen)"
    for name in ("V", drive):
        assert other[name].x.tolist() == clean[name].x.tolist(), name


def test_a_flat_potential_is_shown_over_two_millivolts():
    chart = Chart(figures.shunting_figure(inhibition.shunting_demo(P, 0.0, 0.0, 0.0)))
    assert chart.axis_range("yaxis") == pytest.approx((-66.0, -64.0), abs=1e-9)
    moving = Chart(figures.shunting_figure(inhibition.shunting_demo(P, 30e-9, 0.0, 0.0)))
    lo, hi = moving.axis_range("yaxis")
    assert hi - lo > 2.0 and hi > -61.0  # an EPSP of about 5 mV: autoranged
