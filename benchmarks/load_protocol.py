"""A minimal Streamlit client that speaks the browser's websocket protocol.

Used by ``benchmarks/load.py`` to simulate a classroom. It does what the Streamlit frontend
does (we recorded a real Chromium session with Playwright and copied its messages):

1. ``GET <page>`` over HTTP (a reverse proxy may set its sticky-session cookie here);
2. open ``ws://host:port/_stcore/stream`` with the subprotocol ``streamlit``;
3. send a ``BackMsg.rerun_script`` (a ``ClientState`` with the query string and the page
   name taken from the URL path) and read ``ForwardMsg`` frames until ``script_finished``;
4. on each slider change send another ``rerun_script`` carrying the ``page_script_hash``
   from ``new_session``, every slider's value as a ``double_array_value`` widget state, the
   query string rewritten for widgets bound to query params, the hashes of the cacheable
   messages it already holds (so the server sends references instead, as for a browser) and,
   for sliders inside an ``st.fragment``, the fragment id.

A rerun's latency is the time from sending the ``BackMsg`` to receiving ``script_finished``.
Only the standard library, ``websocket-client`` and ``streamlit.proto`` are used.
"""

from __future__ import annotations

import http.client
import math
import time
import urllib.parse
from dataclasses import dataclass, field

import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

__all__ = ["ProtocolError", "RunResult", "SliderInfo", "StreamlitClient", "format_query_value"]

_SUCCESS = {
    ForwardMsg.FINISHED_SUCCESSFULLY,
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}


#: Runs a cached message survives unused (the server's ``max_cached_message_age``, 2).
MAX_AGE = 2


class ProtocolError(RuntimeError):
    """The server closed the connection, timed out, or answered with an error."""


@dataclass
class SliderInfo:
    """One ``st.slider`` as the server described it in its ``new_element`` delta.

    Attributes
    ----------
    id : str
        Widget id (``$$ID-<hash>-<key>`` for keyed widgets).
    label : str
        Slider label.
    min, max, step : float
        Range and step, in the slider's display units.
    value : list[float]
        Current value(s); one number for a plain slider, two for a range slider.
    query_param_key : str
        Name of the bound query parameter, ``""`` when the slider is not bound.
    fragment_id : str
        Id of the enclosing ``st.fragment``, ``""`` when the slider is not in one.
    is_int : bool
        Whether the slider holds integers.
    in_sidebar : bool
        Whether the slider is drawn in the sidebar (delta path root 1) or the page body.
    """

    id: str
    label: str
    min: float
    max: float
    step: float
    value: list[float]
    query_param_key: str = ""
    fragment_id: str = ""
    is_int: bool = False
    in_sidebar: bool = False


@dataclass
class RunResult:
    """The outcome of one script run as seen by the client.

    Attributes
    ----------
    latency : float
        Seconds from sending the ``BackMsg`` to receiving ``script_finished``.
    bytes_received : int
        Bytes of ``ForwardMsg`` frames received during the run.
    errors : list[str]
        Exceptions shown on the page and unsuccessful finish states (empty when fine).
    n_charts : int
        Plotly charts in the run (references to cached charts included).
    """

    latency: float
    bytes_received: int
    errors: list[str] = field(default_factory=list)
    n_charts: int = 0


def format_query_value(value: float, is_int: bool = False) -> str:
    """Format a number the way the Streamlit frontend writes it into the URL.

    JavaScript prints integral floats without a decimal point (``20``, not ``20.0``) and
    otherwise the shortest round-tripping decimal, which is also what Python's ``repr`` does.

    Parameters
    ----------
    value : float
        The widget value.
    is_int : bool
        Whether the widget holds integers.
    """
    if is_int or (math.isfinite(value) and float(value).is_integer()):
        return str(int(value))
    return repr(float(value))


def _decimals(step: float) -> int:
    """Number of decimals needed to write multiples of ``step`` exactly (at most 10)."""
    text = f"{step:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


class StreamlitClient:
    """One simulated browser tab on one page of a Streamlit app.

    Parameters
    ----------
    base_url : str
        ``http://host:port`` of the server or of the reverse proxy in front of it.
    page : str
        URL path of the page without the leading slash (``""`` for the start page).
    query : str
        Query string of the first request, without ``?``.
    timeout : float
        Seconds to wait for any single step (connect, or a run to finish).
    fetch_html : bool
        Whether to GET the page over HTTP before opening the websocket, as a browser does
        (needed behind a proxy whose sticky-session cookie is set on that response).
    cookie : str, optional
        A ``Cookie`` header to send (for example a fixed sticky-session cookie).
    """

    def __init__(
        self,
        base_url: str,
        page: str = "",
        query: str = "",
        *,
        timeout: float = 30.0,
        fetch_html: bool = True,
        cookie: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.page = page
        self.query: dict[str, str] = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
        self.timeout = timeout
        self.fetch_html = fetch_html
        self.cookie = cookie
        self.page_script_hash = ""
        self.sliders: dict[str, SliderInfo] = {}
        self._ws: websocket.WebSocket | None = None
        self._cache: dict[str, ForwardMsg] = {}  # hash -> cacheable message
        self._cache_used: dict[str, int] = {}  # hash -> index of the last run that used it
        self._run_index = 0
        self._fragment_of_run = ""

    # -- connection ------------------------------------------------------------------------
    def _http_get_page(self) -> None:
        parts = urllib.parse.urlsplit(self.base_url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        try:
            query = urllib.parse.urlencode(self.query)
            path = "/" + self.page + ("?" + query if query else "")
            headers = {"Cookie": self.cookie} if self.cookie else {}
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                raise ProtocolError(f"GET {path} answered HTTP {resp.status}")
            cookies = [
                value.split(";", 1)[0]
                for name, value in resp.getheaders()
                if name.lower() == "set-cookie"
            ]
            if cookies:
                self.cookie = "; ".join(([self.cookie] if self.cookie else []) + cookies)
        finally:
            conn.close()

    def connect(self) -> RunResult:
        """Open the page: HTTP GET, websocket handshake and the first script run.

        Returns
        -------
        RunResult
            The first run; its latency includes the handshake.
        """
        t0 = time.perf_counter()
        if self.fetch_html:
            self._http_get_page()
        ws_url = "ws" + self.base_url[len("http") :] + "/_stcore/stream"
        header = [f"Cookie: {self.cookie}"] if self.cookie else []
        try:
            self._ws = websocket.create_connection(
                ws_url,
                timeout=self.timeout,
                subprotocols=["streamlit"],
                header=header,
                enable_multithread=False,
            )
        except (OSError, websocket.WebSocketException) as exc:
            raise ProtocolError(f"websocket connect failed: {exc!r}") from exc
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = urllib.parse.urlencode(self.query)
        state.page_name = self.page
        state.widget_states.SetInParent()
        self._fill_context(state)
        result = self._run(msg, t0)
        if not self.page_script_hash:
            raise ProtocolError("no new_session received")
        return result

    def close(self) -> None:
        """Close the websocket (the server keeps the session for its disconnect TTL)."""
        if self._ws is not None:
            try:
                self._ws.close(timeout=1)
            except (OSError, websocket.WebSocketException):
                pass
            self._ws = None

    def __enter__(self) -> StreamlitClient:
        self.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- interaction ---------------------------------------------------------------------
    def step_slider(self, slider_id: str, n_steps: int = 1) -> float:
        """Move a slider by ``n_steps`` steps (bouncing off its ends) and return its new value.

        Only the client's copy changes; call :meth:`rerun` to send it.
        """
        s = self.sliders[slider_id]
        new = s.value[0] + n_steps * s.step
        if new > s.max or new < s.min:
            new = s.value[0] - n_steps * s.step
        new = min(max(new, s.min), s.max)
        new = round(new, _decimals(s.step))
        s.value = [new, *s.value[1:]]
        if s.query_param_key:
            self.query[s.query_param_key] = format_query_value(new, s.is_int)
        self._fragment_of_run = s.fragment_id
        return new

    def rerun(self) -> RunResult:
        """Send the current widget values and wait for the script run to finish."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = urllib.parse.urlencode(self.query)
        state.page_script_hash = self.page_script_hash
        for s in self.sliders.values():
            w = state.widget_states.widgets.add()
            w.id = s.id
            if s.is_int:
                w.int_array_value.data.extend(int(v) for v in s.value)
            else:
                w.double_array_value.data.extend(s.value)
        state.cached_message_hashes.extend(self._cache)
        if self._fragment_of_run:
            state.fragment_id = self._fragment_of_run
        self._fill_context(state)
        self._fragment_of_run = ""
        return self._run(msg, time.perf_counter())

    # -- internals ---------------------------------------------------------------------------
    def _fill_context(self, state) -> None:
        ctx = state.context_info
        ctx.timezone = "UTC"
        ctx.timezone_offset = 0
        ctx.locale = "en-US"
        ctx.url = f"{self.base_url}/{self.page}"
        ctx.is_embedded = False
        ctx.color_scheme = "light"

    def _run(self, msg: BackMsg, t0: float) -> RunResult:
        if self._ws is None:
            raise ProtocolError("not connected")
        try:
            self._ws.send_binary(msg.SerializeToString())
        except (OSError, websocket.WebSocketException) as exc:
            raise ProtocolError(f"send failed: {exc!r}") from exc
        deadline = t0 + self.timeout
        errors: list[str] = []
        n_bytes = 0
        n_charts = 0
        seen: dict[str, ForwardMsg] = {}
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise ProtocolError(f"no script_finished within {self.timeout:.0f} s")
            self._ws.settimeout(remaining)
            try:
                opcode, data = self._ws.recv_data()
            except websocket.WebSocketTimeoutException as exc:
                raise ProtocolError(f"no script_finished within {self.timeout:.0f} s") from exc
            except (OSError, websocket.WebSocketException) as exc:
                raise ProtocolError(f"connection lost: {exc!r}") from exc
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                raise ProtocolError("server closed the websocket")
            if opcode != websocket.ABNF.OPCODE_BINARY:
                continue
            n_bytes += len(data)
            fmsg = ForwardMsg()
            fmsg.ParseFromString(data)
            kind = fmsg.WhichOneof("type")
            if kind == "ref_hash":
                cached = self._cache.get(fmsg.ref_hash)
                if cached is None:
                    errors.append(f"reference to unknown message {fmsg.ref_hash}")
                    continue
                seen[fmsg.ref_hash] = cached
                delta_msg = cached
                fragment_id = cached.delta.fragment_id
                kind = "delta"
            else:
                delta_msg = fmsg
                fragment_id = fmsg.delta.fragment_id if kind == "delta" else ""
                if fmsg.metadata.cacheable and fmsg.hash:
                    seen[fmsg.hash] = fmsg
            if kind == "new_session":
                self.page_script_hash = fmsg.new_session.page_script_hash
            elif kind == "navigation":
                # On a fresh server the first new_session of a deep link carries a temporary
                # hash; the browser takes the page's hash from the navigation message.
                self.page_script_hash = fmsg.navigation.page_script_hash
            elif kind == "delta" and delta_msg.delta.WhichOneof("type") == "new_element":
                el = delta_msg.delta.new_element
                el_kind = el.WhichOneof("type")
                if el_kind in ("plotly_chart", "bidi_component"):  # LIF Lab: lab_chart
                    n_charts += 1
                elif el_kind == "exception":
                    where = " | ".join(el.exception.stack_trace[-3:])
                    errors.append(
                        f"exception on page: {el.exception.type}: {el.exception.message}"
                        + (f" [at {where}]" if where else "")
                    )
                elif el_kind == "slider":
                    path = fmsg.metadata.delta_path or delta_msg.metadata.delta_path
                    self._remember_slider(el.slider, fragment_id, bool(path) and path[0] == 1)
            elif kind == "script_finished":
                if fmsg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    # a rerun was requested while this run was going (for example the
                    # server reruns a deep link on a fresh server): the next run follows,
                    # and the browser waits for it too
                    continue
                latency = time.perf_counter() - t0
                if fmsg.script_finished not in _SUCCESS:
                    name = ForwardMsg.ScriptFinishedStatus.Name(fmsg.script_finished)
                    errors.append(f"script finished with {name}")
                self._age_cache(seen)
                return RunResult(latency, n_bytes, errors, n_charts)

    def _age_cache(self, seen: dict[str, ForwardMsg]) -> None:
        """Keep messages used in the last ``MAX_CACHED_MESSAGE_AGE`` runs, like the browser."""
        self._run_index += 1
        for h, m in seen.items():
            self._cache[h] = m
            self._cache_used[h] = self._run_index
        for h in [h for h, i in self._cache_used.items() if self._run_index - i >= MAX_AGE]:
            del self._cache[h]
            del self._cache_used[h]

    def _remember_slider(self, proto, fragment_id: str, in_sidebar: bool) -> None:
        if proto.type != proto.SLIDER or proto.disabled:
            return  # select_slider (options) and disabled sliders are left alone
        value = list(proto.value) if proto.set_value else list(proto.default)
        known = self.sliders.get(proto.id)
        if known is not None and not proto.set_value:
            value = known.value  # the client's value wins, as in the browser
        self.sliders[proto.id] = SliderInfo(
            id=proto.id,
            label=proto.label,
            min=proto.min,
            max=proto.max,
            step=proto.step,
            value=value,
            query_param_key=proto.query_param_key,
            fragment_id=fragment_id,
            is_int=proto.data_type == proto.INT,
            in_sidebar=in_sidebar,
        )
