"""The exact block engine behind :func:`lif_core.simulate` and :func:`lif_core.fi_curve`.

The step recursion ``V[k+1] = a[k] V[k] + (1 - a[k]) V_inf[k]`` (exact for
input constant within a step, ``a = exp(-dt / tau)``) is solved over blocks of
K steps with cumulative sums, for every neuron at once: ``V[j] = Q[j] + P[j] c``
for a free segment with constant ``c``. Threshold crossings are located per
block by one comparison ``c >= H[j]`` per grid point and inverted inside their
step; only the neurons that spiked are restarted after their refractory
period, which ends at exactly ``t_spike + t_ref``. A neuron whose input is
constant over a block gets its spike train in closed form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from lif_core.simulation import _Drive

#: The largest decay ``sum(dt / tau_eff)`` allowed within one block. Keeps the
#: cumulative propagator ``P = exp(-sum dt/tau_eff)`` far from under/overflow.
_MAX_BLOCK_DECAY = 200.0


def _block_size(decay: float, n: int, n_steps: int, constant: bool = False) -> int:
    """Steps per block: long for few neurons or constant input (fewer Python rounds).

    Bounded so that the decay over a block stays within ``_MAX_BLOCK_DECAY``.
    """
    k_max = 2048 if n <= 4 else 1024 if constant else 256
    by_decay = int(_MAX_BLOCK_DECAY / decay)
    return int(max(1, min(k_max, by_decay, n_steps)))


def _block_propagators(V_inf, tau, n, n_blocks, K, n_steps, dt):
    """Per-block response ``V[j] = Q[j] + P[j] * V[0]`` for every grid j = 0..K of a block.

    ``P[..., j]`` is the product of the one-step propagators from the block
    start to grid j and ``Q[..., j]`` the response from zero. A constant time
    constant gives ``P = a**j`` shared by all blocks (size-1 block axis), and a
    constant input the closed form ``Q = V_inf (1 - P)``; otherwise the
    recursion ``V[j+1] = a[j] V[j] + (1 - a[j]) V_inf[j]`` is summed with a
    cumulative sum, ``Q = P * cumsum((1 - a) V_inf / P)``. Also returns
    ``V_inf`` and ``tau`` shaped ``(n, blocks or 1, K or 1)``.
    """
    padded = n_blocks * K

    def blocks(x: np.ndarray) -> np.ndarray:
        x = np.broadcast_to(x, (n, x.shape[1]))
        if x.shape[1] == 1:
            return x[:, :, None]  # (n, 1, 1): the same in every block and step
        if padded > n_steps:
            x = np.concatenate([x, np.repeat(x[:, -1:], padded - n_steps, axis=1)], axis=1)
        return x.reshape(n, n_blocks, K)

    Vinf_b, tau_b = blocks(V_inf), blocks(tau)
    log_a = -dt / tau_b  # log of the one-step propagator a = exp(-dt / tau)
    if tau_b.shape[2] == 1:  # constant time constant: P is a power series
        P = np.exp(log_a * np.arange(K + 1))  # (n, 1, K+1)
        if Vinf_b.shape[2] == 1:  # constant input too: closed form
            return P, Vinf_b * (1.0 - P), Vinf_b, tau_b
    else:
        P = np.empty((n, n_blocks, K + 1))
        P[:, :, 0] = 1.0
        np.exp(np.cumsum(log_a, axis=-1), out=P[:, :, 1:])
    P_steps = P[:, :, 1:]
    Q = np.empty((n, n_blocks, K + 1))
    Q[:, :, 0] = 0.0
    if K == 1:  # one step per block (a very short tau_eff): no sum, and P may underflow
        Q[:, :, 1] = -np.expm1(log_a[:, :, 0]) * Vinf_b[:, :, 0]
        return P, Q, Vinf_b, tau_b
    np.cumsum(-np.expm1(log_a) / P_steps * Vinf_b, axis=-1, out=Q[:, :, 1:])
    Q[:, :, 1:] *= P_steps
    return P, Q, Vinf_b, tau_b


def _integrate_exact(
    drive: _Drive,
    V_th: np.ndarray,
    V_reset: np.ndarray,
    t_ref: np.ndarray,
    V0: np.ndarray,
    dt: float,
    n_steps: int,
    t_end: float,
    record: bool = True,
) -> tuple[np.ndarray | None, np.ndarray | None, tuple[np.ndarray, ...]]:
    """Exact integration of ``dV/dt = -(V - V_inf[k]) / tau[k]`` with threshold and reset.

    Returns the potential and refractory mask on the grid (or None if not
    ``record``) and the spike times per neuron before ``t_end`` (the end of the
    last step, which may be shorter than ``dt``).

    Within a block of K steps, a free segment that starts at grid m with value
    v is ``V[j] = Q[j] + P[j] * c`` with ``c = (v - Q[m]) / P[m]``. It reaches
    the threshold at the first ``j > m`` with ``c >= H[j] = (V_th - Q[j]) / P[j]``,
    so one comparison per grid point finds the next crossing of every neuron.
    Blocks are processed in chunks small enough to stay in the CPU cache.
    """
    n = len(V0)
    _check_spike_density(drive, V_th, V_reset, t_ref, dt, n_steps)
    K = _block_size(drive.max_decay(dt), n, n_steps, drive.constant)
    n_blocks = -(-n_steps // K)
    per_chunk = max(1, _CHUNK_ELEMENTS // (n * (K + 1)))
    state = _State(V0.astype(float).copy(), np.full(n, -np.inf), V_th, V_reset, t_ref, dt, K)
    if drive.exact:
        state.exact = drive
    V_out = np.empty((n, n_steps)) if record else None
    refr_out = np.empty((n, n_steps), dtype=bool) if record else None
    if drive.constant:
        blocks = _block_propagators(*drive.at(0, 1), n, 1, K, K, dt)
    for c0 in range(0, n_blocks, per_chunk):
        c1 = min(n_blocks, c0 + per_chunk)
        s0, s1 = c0 * K, min(c1 * K, n_steps)
        if not drive.constant:
            blocks = _block_propagators(*drive.at(s0, s1), n, c1 - c0, K, s1 - s0, dt)
        segments = state.run_chunk(blocks, c0, c1, record)
        if record:
            _assemble(
                blocks, segments, n, c1 - c0, K, V_th, V_reset, V_out[:, s0:s1], refr_out[:, s0:s1]
            )
    # the last block may run past the end (padding, or a last step shorter than dt):
    # drop what happened there
    kept = [t < t_end for t in state.spike_t]
    spike_i = [i[m] for i, m in zip(state.spike_i, kept, strict=True)]
    spike_t = [t[m] for t, m in zip(state.spike_t, kept, strict=True)]
    return V_out, refr_out, _split_spikes(n, spike_i, spike_t)


_EMPTY_SEGMENTS = (np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros(0))

#: More spikes than this within one time step is outside what the engine is for.
_MAX_SPIKES_PER_STEP = 10


def _check_spike_density(drive, V_th, V_reset, t_ref, dt, n_steps) -> None:
    """Refuse inputs that would fire more than ``_MAX_SPIKES_PER_STEP`` spikes per step.

    Only possible when ``t_ref`` is shorter than a fraction of ``dt``; the
    shortest inter-spike interval is ``t_ref + tau ln((V_inf - V_reset) / (V_inf - V_th))``
    at the largest steady state and shortest time constant.
    """
    limit = dt / _MAX_SPIKES_PER_STEP
    if np.all(t_ref >= limit):
        return
    V_inf, tau = drive.at(0, n_steps)
    V_max = np.max(np.broadcast_to(V_inf, (len(V_th), V_inf.shape[1])), axis=1)
    tau_min = np.min(np.broadcast_to(tau, (len(V_th), tau.shape[1])), axis=1)
    fires = V_max > V_th
    with np.errstate(divide="ignore", invalid="ignore"):
        T = np.where(fires, tau_min * np.log((V_max - V_reset) / (V_max - V_th)), np.inf)
    isi = t_ref + T
    if np.any(isi < limit):
        worst = float(np.min(isi))
        raise ValueError(
            f"the input drives the neuron to fire every {worst:.3g} s, more than "
            f"{_MAX_SPIKES_PER_STEP} spikes per time step dt = {dt:g} s (allowed: at most "
            f"{_MAX_SPIKES_PER_STEP} per step); lower the input, or use a refractory period "
            f"t_ref >= {limit:g} s"
        )


#: Elements per array in one chunk of blocks (2 MB of float64: stays in the L2/L3 cache).
_CHUNK_ELEMENTS = 256 * 1024


class _State:
    """Per-neuron state carried from block to block, and the spike record."""

    def __init__(self, V_start, ref_end, V_th, V_reset, t_ref, dt, K):
        self.V_start = V_start  # potential at the current block start (if free)
        self.ref_end = ref_end  # absolute time at which refractoriness ends
        self.V_th, self.V_reset, self.t_ref = V_th, V_reset, t_ref
        self.dt, self.K = dt, K
        self.exact: _Drive | None = None  # with exact conductances: sub-steps inside a step
        self.spike_i: list[np.ndarray] = []
        self.spike_t: list[np.ndarray] = []

    def run_chunk(self, blocks, c0: int, c1: int, record: bool):
        """Advance every neuron through blocks ``c0 .. c1 - 1``.

        Returns the segment starts (neuron, grid index within the chunk,
        constant c; NaN for refractory) when ``record``.
        """
        P, Q, Vinf_b, tau_b = blocks
        H = _threshold_constants(P, Q, self.V_th)
        flat = _flat_blocks(Vinf_b, tau_b)
        n, K, dt = len(self.V_start), self.K, self.dt
        V_th, t_ref, ref_end, V_start = self.V_th, self.t_ref, self.ref_end, self.V_start
        cols = np.arange(K + 1)
        all_neurons = np.arange(n)
        seg_i: list[np.ndarray] = []
        seg_k: list[np.ndarray] = []
        seg_c: list[np.ndarray] = []
        t_block = K * dt
        for b in range(c1 - c0):
            t0 = (c0 + b) * t_block
            Pb = P[:, b if P.shape[1] > 1 else 0]
            Qb = Q[:, b if Q.shape[1] > 1 else 0]
            Hb = H[:, b if H.shape[1] > 1 else 0]
            Vb = Vinf_b[:, b if Vinf_b.shape[1] > 1 else 0]
            tb = tau_b[:, b if tau_b.shape[1] > 1 else 0]
            fb = flat[:, b if flat.shape[1] > 1 else 0]
            free0 = ref_end <= t0
            # a refractory period that ended exactly at this block start (a spike at the end
            # of the block's last step with t_ref = 0, say): V_start still holds the value
            # before that spike; the neuron starts from V_reset
            ended = free0 & np.isfinite(ref_end)
            if ended.any():
                V_start[ended] = self.V_reset[ended]
                ref_end[ended] = -np.inf
            if record:
                seg_i.append(all_neurons)
                seg_k.append(np.full(n, b * K))
                seg_c.append(np.where(free0, V_start, np.nan))
            # active neurons: index, first grid index of their free segment, constant c
            ai = np.flatnonzero(free0)
            am = np.zeros(ai.size, dtype=int)
            ac = V_start[ai]
            pending = np.flatnonzero(~free0 & (ref_end < t0 + t_block))
            while True:
                if pending.size and fb.any():
                    # constant input in this block: the rest of the spike train in closed form
                    regular = fb[pending]
                    ei, ek, ec = self.train(pending[regular], t0, Vb, tb, Pb, Qb, record)
                    if record and ei.size:
                        seg_i.append(ei)
                        seg_k.append(b * K + ek)
                        seg_c.append(ec)
                    pending = pending[~regular]
                if pending.size:
                    ri, rm, rc = self.restart(pending, t0, (c0 + b) * K, Vb, tb, Pb, Qb)
                    if ri.size:
                        if record:
                            seg_i.append(ri)
                            seg_k.append(b * K + rm)
                            seg_c.append(rc)
                        ai = np.concatenate([ai, ri])
                        am = np.concatenate([am, rm])
                        ac = np.concatenate([ac, rc])
                if ai.size and fb.any():
                    # constant input whose steady state is not above threshold: V approaches
                    # it from below and cannot cross in this block. (Skips the round-off
                    # retries of a neuron driven exactly at rheobase, one per grid point.)
                    never = fb[ai] & (Vb[ai, 0] <= V_th[ai])
                    if never.any():
                        qi = ai[never]
                        V_start[qi] = Qb[qi, K] + Pb[qi, K] * ac[never]
                        ai, am, ac = ai[~never], am[~never], ac[~never]
                if ai.size == 0:
                    break
                k, has = _first_crossing(Hb, ai, am, ac, cols, n)
                if not has.all():
                    quiet = ~has
                    qi = ai[quiet]
                    V_start[qi] = Qb[qi, K] + Pb[qi, K] * ac[quiet]
                    if not has.any():
                        break
                    ai, k, ac = ai[has], k[has], ac[has]
                km = k - 1
                v_inf = Vb[ai, km if Vb.shape[1] > 1 else 0]
                spurious = v_inf <= V_th[ai]
                if spurious.any():
                    # round-off put V at threshold in a step whose steady state is not above
                    # it (a neuron driven exactly at rheobase): no spike, search on from k
                    keep = ~spurious
                    retry = (ai[spurious], k[spurious], ac[spurious])
                    ai, k, km, ac, v_inf = ai[keep], k[keep], km[keep], ac[keep], v_inf[keep]
                else:
                    retry = None
                V_prev = Qb[ai, km] + Pb[ai, km] * ac
                tau_k = tb[ai, km if tb.shape[1] > 1 else 0]
                frac = tau_k * np.log((V_prev - v_inf) / (V_th[ai] - v_inf))
                t_spike = t0 + km * dt + np.minimum(np.maximum(frac, 0.0), dt)
                if self.exact is not None:
                    # the conductance varies within the step: find the crossing on
                    # sub-steps (at the step's end if they stay below threshold: the
                    # step's end is then within O(dt^2) of the crossing)
                    t_lo = t0 + km * dt
                    t_cross, _ = self.exact.substeps(
                        ai, (c0 + b) * K + km, t_lo, t_lo + dt, V_prev, V_th[ai]
                    )
                    t_spike = np.where(np.isnan(t_cross), t_lo + dt, t_cross)
                self.spike_i.append(ai)
                self.spike_t.append(t_spike)
                ref_end[ai] = t_spike + t_ref[ai]
                if record:
                    seg_i.append(ai)
                    seg_k.append(b * K + k)
                    seg_c.append(np.full(ai.size, np.nan))
                pending = ai[ref_end[ai] < t0 + t_block]
                if retry is not None:
                    ai, am, ac = retry
                elif pending.size == 0:
                    break
                else:
                    ai, am, ac = ai[:0], am[:0], ac[:0]
        return seg_i, seg_k, seg_c

    def train(self, neurons, t0, Vb, tb, Pb, Qb, record=True):
        """Spikes of neurons whose input is constant over the block, in closed form.

        Each neuron leaves refractoriness at ``ref_end``; with constant input it
        then reaches threshold after ``T = tau ln((V_reset - V_inf)/(V_th - V_inf))``
        and, from then on, every ``t_ref + T``: the same exact solution the block
        search would find, one period at a time, computed for the whole block at
        once. Records the spikes, updates the state at the block end and returns
        the segment starts inside the block (neuron, grid index, c; NaN = refractory).
        """
        K, dt = self.K, self.dt
        t_end = t0 + K * dt
        i = neurons
        V_th, V_reset, t_ref = self.V_th[i], self.V_reset[i], self.t_ref[i]
        v_inf, tau = Vb[i, 0], tb[i, 0]
        first = self.ref_end[i]  # end of the current refractory period
        with np.errstate(divide="ignore", invalid="ignore"):
            T = np.where(v_inf > V_th, tau * np.log((V_reset - v_inf) / (V_th - v_inf)), np.inf)
        period = t_ref + T
        # spikes at first + T + m * period, m = 0, 1, ... before the block ends
        room = t_end - first - T  # -inf for a neuron that never reaches threshold
        count = np.zeros(i.size, dtype=int)
        fires = room > 0
        count[fires] = np.ceil(room[fires] / period[fires])
        rep = np.repeat(np.arange(i.size), count)
        m = np.arange(rep.size) - np.repeat(np.cumsum(count) - count, count)
        ts = first[rep] + T[rep] + m * period[rep]
        inside = ts < t_end  # guard the ceil against round-off
        rep, ts = rep[inside], ts[inside]
        self.spike_i.append(i[rep])
        self.spike_t.append(ts)
        if not record:
            has = np.bincount(rep, minlength=i.size) > 0
            last_spike = np.full(i.size, -np.inf)
            np.maximum.at(last_spike, rep, ts)
            last_end = np.where(has, last_spike + t_ref, first)
            self._finish_block(i, last_end, t_end, v_inf, V_reset, tau)
            return _EMPTY_SEGMENTS
        # refractory periods end at `first` and after every spike; a free segment
        # starts at the grid point after each end, unless the next spike comes first
        ends = np.concatenate([first, ts + t_ref[rep]])
        owner = np.concatenate([np.arange(i.size), rep])
        next_spike = ends + T[owner]
        j = np.floor((ends - t0) / dt).astype(int)
        grid = t0 + (j + 1) * dt
        frees = (ends < t_end) & (next_spike >= grid)
        fo, fj, fe = owner[frees], j[frees] + 1, ends[frees]
        fj = np.minimum(fj, K)
        v = v_inf[fo] + (V_reset[fo] - v_inf[fo]) * np.exp(-(t0 + fj * dt - fe) / tau[fo])
        last_end = np.full(i.size, -np.inf)
        np.maximum.at(last_end, owner, ends)
        self._finish_block(i, last_end, t_end, v_inf, V_reset, tau)
        # segment starts for the output
        k_ref = np.floor((ts - t0) / dt).astype(int) + 1
        inner = fj < K
        fo, fj, v = fo[inner], fj[inner], v[inner]
        c = (v - Qb[i[fo], fj]) / Pb[i[fo], fj]
        # refractory starts first, free starts after them (a free start at the same grid
        # point as a refractory start means the period ended within that step)
        return (
            np.concatenate([i[rep], i[fo]]),
            np.concatenate([k_ref, fj]),
            np.concatenate([np.full(rep.size, np.nan), c]),
        )

    def _finish_block(self, i, last_end, t_end, v_inf, V_reset, tau) -> None:
        """State at the block end after a closed-form train: still refractory, or free."""
        still = last_end >= t_end
        self.ref_end[i] = np.where(still, last_end, -np.inf)
        f = ~still
        V_end = v_inf[f] + (V_reset[f] - v_inf[f]) * np.exp(-(t_end - last_end[f]) / tau[f])
        self.V_start[i[f]] = V_end

    def restart(self, neurons, t0, step0, Vb, tb, Pb, Qb):
        """Free neurons whose refractory period ends inside the current block.

        The period ends at ``ref_end`` inside step ``j``; the remainder of that
        step is integrated exactly from ``V_reset`` (on sub-steps with exact
        conductances, whose mean over the remainder differs from the step's).
        If the threshold is crossed again within the remainder (possible when
        ``t_ref`` < dt), the spike is recorded and the procedure repeats. Neurons
        that become free exactly at the block end get their value in ``V_start``.
        Returns the free segments that start inside the block (neuron, grid
        index, constant c).
        """
        K, dt = self.K, self.dt
        V_th, V_reset, ref_end = self.V_th, self.V_reset, self.ref_end
        out_i, out_m, out_c = [], [], []
        i = neurons
        while i.size:
            rel = ref_end[i] - t0
            j = np.minimum((rel / dt).astype(int), K - 1)
            v_inf = Vb[i, j if Vb.shape[1] > 1 else 0]
            tau_j = tb[i, j if tb.shape[1] > 1 else 0]
            rest = np.maximum((j + 1) * dt - rel, 0.0)
            exact = self.exact is not None
            if exact:
                t_cross, v = self.exact.substeps(
                    i, step0 + j, ref_end[i], t0 + (j + 1) * dt, V_reset[i], V_th[i]
                )
                again = ~np.isnan(t_cross)
            else:
                v = v_inf + (V_reset[i] - v_inf) * np.exp(-rest / tau_j)
                again = (v >= V_th[i]) & (v_inf > V_th[i])
            ok = ~again
            fi, fj, fv = i[ok], j[ok] + 1, v[ok]
            ref_end[fi] = -np.inf
            at_end = fj == K
            if at_end.any():
                self.V_start[fi[at_end]] = fv[at_end]
                inner = ~at_end
                fi, fj, fv = fi[inner], fj[inner], fv[inner]
            out_i.append(fi)
            out_m.append(fj)
            out_c.append((fv - Qb[fi, fj]) / Pb[fi, fj])
            if not again.any():
                break
            si = i[again]
            if exact:
                ts = t_cross[again]
            else:
                va = v_inf[again]
                frac = tau_j[again] * np.log((V_reset[si] - va) / (V_th[si] - va))
                ts = ref_end[si] + np.minimum(np.maximum(frac, 0.0), rest[again])
            self.spike_i.append(si)
            self.spike_t.append(ts)
            ref_end[si] = ts + self.t_ref[si]
            i = si[ref_end[si] < t0 + K * dt]
        if len(out_i) == 1:
            return out_i[0], out_m[0], out_c[0]
        return np.concatenate(out_i), np.concatenate(out_m), np.concatenate(out_c)


def _first_crossing(Hb, ai, am, ac, cols, n):
    """First grid index after ``am`` where each active neuron's ``c >= H``.

    Returns the index and whether there is one. With most neurons active, one
    comparison over the whole block array (inactive rows get ``c = -inf``)
    is cheaper than gathering the active rows. Grid points at or before a
    segment's start are excluded only for the few rows whose first hit lies there.
    """
    if 2 * ai.size > n:
        c_full = np.full(n, -np.inf)
        c_full[ai] = ac
        crossed = Hb <= c_full[:, None]
        m = np.zeros(n, dtype=int)
        m[ai] = am
    else:
        crossed = Hb[ai] <= ac[:, None]
        m = am
    rows = np.arange(crossed.shape[0])
    k = crossed.argmax(axis=1)
    has = crossed[rows, k]
    early = has & (k <= m)  # a hit before the segment started: look again after it
    if early.any():
        sub = crossed[early] & (cols > m[early, None])
        k_sub = sub.argmax(axis=1)
        k[early] = k_sub
        has[early] = sub[np.arange(k_sub.size), k_sub]
    if 2 * ai.size > n:
        return k[ai], has[ai]
    return k, has


def _flat_blocks(Vinf_b: np.ndarray, tau_b: np.ndarray) -> np.ndarray:
    """``(n, blocks)`` booleans: True where a neuron's input is constant over a block."""
    flat = np.ones(Vinf_b.shape[:2], dtype=bool)
    for x in (Vinf_b, tau_b):
        if x.shape[2] > 1:
            # cheap first look (three samples per block), full check only if needed
            x_flat = (x[:, :, 0] == x[:, :, -1]) & (x[:, :, 0] == x[:, :, x.shape[2] // 2])
            if x_flat.any():
                x_flat &= x.min(axis=-1) == x.max(axis=-1)
            flat = flat & x_flat if flat.shape == x_flat.shape else flat[:, :1] & x_flat
    return flat


def _threshold_constants(P, Q, V_th) -> np.ndarray:
    """``H = (V_th - Q) / P``: a segment with constant c is at threshold where c >= H.

    Column 0 is ``inf``: a segment starts below threshold, so it cannot cross
    at its first grid point. Where one step's decay ``dt / tau`` exceeds ~745
    (a conductance of ~10 mS and more), ``P`` underflows to 0 and ``V = Q``
    whatever ``c``: then ``H`` is ``-inf`` (at or above threshold) or ``+inf``.
    """
    H = np.subtract(V_th[:, None, None], Q)
    with np.errstate(divide="ignore", invalid="ignore"):  # P == 0: H = +-inf, intended
        H /= P
    H[np.isnan(H)] = -np.inf  # 0 / 0: V = Q = V_th, at threshold
    H[:, :, 0] = np.inf
    return H


def _assemble(blocks, segments, n, n_blocks, K, V_th, V_reset, V_out, refr_out) -> None:
    """Write the potential and refractory mask of a chunk from its segment starts.

    Segments are sorted by neuron and grid index (a later entry at the same
    grid point wins: free after a refractory period that ended within the
    step); each constant is repeated over its segment, then ``V = Q + P * c``,
    and ``V_reset`` where refractory (c is NaN).
    """
    P, Q, _, _ = blocks
    seg_i, seg_k, seg_c = segments
    width = n_blocks * K
    i = np.concatenate(seg_i)
    k = np.concatenate(seg_k)
    key = i * (width + 1) + k
    order = np.argsort(key, kind="stable")
    key, i, k = key[order], i[order], k[order]
    c = np.concatenate(seg_c)[order]
    last = np.append(key[1:] != key[:-1], True)
    i, k, c = i[last], k[last], c[last]
    stop = np.append(k[1:], width)
    stop[np.append(i[1:] != i[:-1], True)] = width  # each neuron's last segment ends the chunk
    V = np.repeat(c, stop - k).reshape(n, n_blocks, K)  # the constant c of every step
    refr = np.isnan(V)
    V *= P[:, :, :K]
    V += Q[:, :, :K]
    # round-off can put a value a few ulp above V_th where c < H said "no crossing"
    np.minimum(V, np.nextafter(V_th, -np.inf)[:, None, None], out=V)
    steps = V_out.shape[1]
    refr = refr.reshape(n, width)[:, :steps]
    np.copyto(V_out, V.reshape(n, width)[:, :steps])
    np.copyto(V_out, V_reset[:, None], where=refr)
    refr_out[...] = refr


def _split_spikes(n: int, spike_i: Sequence[np.ndarray], spike_t: Sequence[np.ndarray]):
    if not spike_i:
        return tuple(np.zeros(0) for _ in range(n))
    ii = np.concatenate(spike_i)
    tt = np.concatenate(spike_t)
    order = np.argsort(ii, kind="stable")  # each neuron's spikes were appended in time order
    counts = np.bincount(ii, minlength=n)
    return tuple(np.split(tt[order], np.cumsum(counts)[:-1]))
