"""``zhi-graph serve``: a read-only SPARQL 1.1 Protocol endpoint and a query page.

``/sparql`` answers ``GET ?query=``, ``POST`` form-encoded and ``POST
application/sparql-query`` requests; ``/`` is a YASGUI query page, bundled
under ``data/web/`` so that it needs no internet, preloaded with the research
questions of ``queries/*.rq``.  Nothing else is served: URLs are looked up in
a fixed table, never mapped to files, so no path reaches another file.

Why the standard library's ``ThreadingHTTPServer``: the endpoint's work is
done in worker processes (``workers``), the HTTP side only parses small
requests and relays bytes, and the stdlib server does that with no dependency
to keep up to date; its weak spots are covered here: request bodies are
capped (413), connections are capped, sockets time out, and every response
has an explicit length.

Security defaults: read-only (updates, ``LOAD`` and ``SERVICE`` refused with
403 by ``guard``), a time limit per query (503), a row cap, a body cap, bound
to 127.0.0.1, and an optional bearer token for ``/sparql``.
"""

from __future__ import annotations

import contextlib
import errno
import hmac
import html
import io
import json
import logging
import re
import shutil
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from urllib.parse import parse_qs

from . import guard
from .errors import InputError, NetworkError
from .resources import package_root
from .results import UnknownFormat, format_named, preferences
from .store import QUERY_PREFIXES, open_store
from .workers import Job, PoolBusy, QueryTimeout, WorkerPool

log = logging.getLogger("zhi_graph.serve")

DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_BODY = 1 << 20
DEFAULT_MAX_MEMORY = 2 << 30
#: Connections handled at once; more are answered 503 straight away.
MAX_CONNECTIONS = 256
#: Seconds a client may take to send its request.
SOCKET_TIMEOUT = 60.0
#: Bytes of an oversized body still read (and dropped) so the client sees its 413.
_DRAIN_LIMIT = 64 << 20
TRUNCATED_HEADER = "Zhi-Graph-Truncated"
ROWS_HEADER = "Zhi-Graph-Rows"

_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"
_PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
_COMMENT = re.compile(r"^\s*#\s*(zh|en)\s*:\s*(.*?)\s*$", re.IGNORECASE)
_DECLARED = re.compile(r"\bPREFIX\s+([\w.-]*):", re.IGNORECASE)


@dataclass(frozen=True)
class ServeOptions:
    """How the endpoint runs; the defaults are the safe ones."""

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    max_body: int = DEFAULT_MAX_BODY
    workers: int = 2
    #: Address-space cap of each worker process, in bytes (None: no cap).
    max_memory: int | None = DEFAULT_MAX_MEMORY
    token: str | None = None
    queries: Path | None = None
    #: Each worker holds the graph in memory (faster queries, more memory; see ``workers``).
    in_memory: bool = False
    #: Workers run with mimalloc where the system has it (faster queries; see ``workers``).
    fast_allocator: bool = True

    def __post_init__(self) -> None:
        # Checked here, not where each is used: a port out of range reached the
        # socket as an OverflowError traceback, and a cap of zero a worker as a crash.
        if not 0 <= self.port <= 65535:
            raise InputError(f"--port must be 0 to 65535 (0: any free port), not {self.port}")
        if not self.timeout > 0:
            raise InputError(f"--timeout must be more than 0 seconds, not {self.timeout:g}")
        for option, value in (
            ("--max-rows", self.max_rows),
            ("--max-body", self.max_body),
            ("--workers", self.workers),
        ):
            if value < 1:
                raise InputError(f"{option} must be 1 or more, not {value}")
        if self.max_memory is not None and self.max_memory <= 0:
            raise InputError("--max-memory must be 0 (no cap) or more")
        if self.queries is not None and not self.queries.is_dir():
            raise InputError("no such folder of research questions (.rq files)", self.queries)


@dataclass(frozen=True)
class Question:
    """A research question for the query page, read from a ``.rq`` file."""

    name: str
    zh: str
    en: str
    query: str


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str


@dataclass
class Endpoint:
    """A running endpoint: its HTTP server, worker pool and page; ``close`` stops it."""

    options: ServeOptions
    server: _Server
    pool: WorkerPool
    store_folder: Path
    temporary: bool
    _thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        address, port = self.server.server_address[:2]
        host = address.decode() if isinstance(address, bytes) else str(address)
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"

    def serve_forever(self) -> None:
        self.server.serve_forever(poll_interval=0.2)

    def start(self) -> None:
        """Serve from a background thread (tests, notebooks)."""
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        if self._thread is not None:
            self.server.shutdown()
        self.server.server_close()
        self.pool.close()
        if self.temporary:
            shutil.rmtree(self.store_folder, ignore_errors=True)

    def __enter__(self) -> Endpoint:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def read_questions(folder: Path | None) -> list[Question]:
    """The research questions in ``folder`` (``*.rq``, sorted by name); none if it is missing."""
    if folder is None or not folder.is_dir():
        return []
    questions = []
    for path in sorted(folder.glob("*.rq")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the query ({exc})", path) from exc
        said = {"zh": "", "en": ""}
        for line in text.splitlines():
            match = _COMMENT.match(line)
            if match:
                said[match.group(1).lower()] = match.group(2)
            elif line.strip() and not line.lstrip().startswith("#"):
                break
        questions.append(Question(path.stem, said["zh"], said["en"], with_prefixes(text)))
    return questions


def with_prefixes(query: str) -> str:
    """``query`` with ``PREFIX`` lines for the predeclared prefixes it uses, after its comments.

    The endpoint predeclares them, but a query copied from the page should run
    anywhere.
    """
    declared = {m.group(1) for m in _DECLARED.finditer(query)}
    used = [
        prefix
        for prefix in QUERY_PREFIXES
        if prefix not in declared and re.search(rf"(?<![\w.:<#/-]){re.escape(prefix)}:", query)
    ]
    if not used:
        return query
    lines = query.splitlines(keepends=True)
    head = 0
    while head < len(lines) and lines[head].lstrip().startswith("#"):
        head += 1
    block = "".join(f"PREFIX {p}: <{QUERY_PREFIXES[p]}>\n" for p in used)
    return "".join(lines[:head]) + block + "".join(lines[head:])


_EXAMPLE = Question(
    "classes",
    "各类实体的数量",
    "How many entities of each class?",
    with_prefixes(
        "SELECT ?class (COUNT(DISTINCT ?x) AS ?n)\nWHERE { ?x a ?class }\n"
        "GROUP BY ?class\nORDER BY DESC(?n)\nLIMIT 25\n"
    ),
)


def _script_json(value: object) -> str:
    """JSON safe inside an HTML ``<script type="application/json">`` element."""
    text = json.dumps(value, ensure_ascii=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def web_folder() -> Path:
    return package_root() / "data" / "web"


def build_assets(
    questions: list[Question], *, source: str, token_required: bool
) -> dict[str, Asset]:
    """Every URL the server answers besides ``/sparql``, with its bytes: a fixed table."""
    web = web_folder()
    try:
        template = Template((web / "index.html").read_text(encoding="utf-8"))
        page = template.substitute(
            source=html.escape(source),
            questions=_script_json([q.__dict__ for q in (questions or [_EXAMPLE])]),
            token_required="true" if token_required else "false",
        )
        assets = {
            "/": Asset(page.encode("utf-8"), "text/html; charset=utf-8"),
            "/assets/page.js": Asset(
                (web / "page.js").read_bytes(), "text/javascript; charset=utf-8"
            ),
            "/assets/page.css": Asset((web / "page.css").read_bytes(), "text/css; charset=utf-8"),
            "/assets/yasgui.min.js": Asset(
                (web / "yasgui" / "yasgui.min.js").read_bytes(), "text/javascript; charset=utf-8"
            ),
            "/assets/yasgui.min.css": Asset(
                (web / "yasgui" / "yasgui.min.css").read_bytes(), "text/css; charset=utf-8"
            ),
        }
    except (OSError, KeyError, ValueError) as exc:
        raise InputError(f"the query page's files are missing or broken ({exc})", web) from exc
    assets["/index.html"] = assets["/"]
    return assets


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Never share a port with another process (SO_REUSEPORT stays off); SO_REUSEADDR
    # only lets a restart bind while old connections linger in TIME_WAIT.
    allow_reuse_address = True
    request_queue_size = 128

    pool: WorkerPool
    assets: dict[str, Asset]

    def __init__(self, address: tuple[str, int], options: ServeOptions) -> None:
        self.options = options
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, _Handler)

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        if not self.slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.sendall(
                    b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                    b"Content-Length: 25\r\nRetry-After: 1\r\n\r\ntoo many connections now\n"
                )
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


class _Reply(Exception):
    """Stop handling a request and answer with this status and message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "zhi-graph"
    sys_version = ""
    sparql = ""
    protocol_version = "HTTP/1.0"
    timeout = SOCKET_TIMEOUT
    # Headers and body go out in two sends; with Nagle's algorithm the second
    # waited for the client's delayed ACK, 40 ms a request.
    disable_nagle_algorithm = True

    # --- routing
    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if path == "/sparql":
            self._sparql("GET", query, b"", "")
            return
        asset = self.server.assets.get(path)
        if asset is None:
            self._plain(HTTPStatus.NOT_FOUND, "not found; the endpoint is /sparql, the page /\n")
            return
        headers = {"Content-Security-Policy": _PAGE_POLICY} if "html" in asset.media_type else {}
        self._send(HTTPStatus.OK, asset.media_type, asset.body, headers)

    def do_POST(self) -> None:
        path, _, query = self.path.partition("?")
        if path != "/sparql":
            self._plain(HTTPStatus.NOT_FOUND, "not found; POST queries to /sparql\n")
            return
        self._sparql("POST", query, None, self.headers.get("Content-Type", ""))

    # --- the protocol
    def _sparql(self, method: str, url_query: str, body: bytes | None, content_type: str) -> None:
        started = time.monotonic()
        rows = 0
        status = 500
        try:
            self._authorize()
            if body is None:
                body = self._body()
            job = self._job(method, url_query, body, content_type)
            try:
                answer = self.server.pool.run(job, self.server.options.timeout)
            except QueryTimeout:
                raise _Reply(
                    503,
                    f"the query ran past the time limit of {self.server.options.timeout:g} s "
                    "and was stopped; narrow it down or add a LIMIT\n",
                ) from None
            except PoolBusy:
                raise _Reply(
                    503,
                    "every query worker stayed busy too long; try again later\n",
                    {"Retry-After": "5"},
                ) from None
            status, rows = answer.status, answer.rows
            headers = {ROWS_HEADER: str(answer.rows)}
            if answer.truncated:
                headers[TRUNCATED_HEADER] = (
                    f"results cut at {self.server.options.max_rows} rows (--max-rows)"
                )
            if status == 200:
                self._send(status, _with_charset(answer.media_type), answer.body, headers)
            else:
                self._plain(status, answer.body.decode("utf-8", "replace"))
        except _Reply as reply:
            status = reply.status
            self._plain(reply.status, reply.message, reply.headers)
        except Exception:
            # A bug, not the client's fault: answer 500 rather than drop the connection.
            log.exception("internal error while answering a query")
            status = 500
            self._plain(500, "internal error; the server log has the details\n")
        finally:
            snippet = json.dumps(" ".join(self.sparql.split())[:100], ensure_ascii=False)
            log.info(
                "%s %s %d %.0fms rows=%d %s",
                self.client_address[0],
                method,
                status,
                (time.monotonic() - started) * 1000,
                rows,
                snippet,
            )

    def _authorize(self) -> None:
        token = self.server.options.token
        if token is None:
            return
        given = self.headers.get("Authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            value.strip().encode(), token.encode()
        ):
            raise _Reply(
                401,
                "a bearer token is required: send `Authorization: Bearer <token>`\n",
                {"WWW-Authenticate": 'Bearer realm="zhi-graph"'},
            )

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            raise _Reply(411, "send the request body with a Content-Length, not chunked\n")
        raw_length = self.headers.get("Content-Length")
        if raw_length is None:
            raise _Reply(411, "a POST needs a Content-Length header\n")
        try:
            length = int(raw_length)
        except ValueError:
            raise _Reply(400, "Content-Length is not a number\n") from None
        if length < 0:
            raise _Reply(400, "Content-Length is negative\n")
        limit = self.server.options.max_body
        if length > limit:
            # Read (a bounded amount of) the body so that the client sees the 413
            # instead of a reset connection.
            if length <= max(16 * limit, _DRAIN_LIMIT):
                with contextlib.suppress(OSError):
                    _drain(self.rfile, length)
            self.close_connection = True
            raise _Reply(413, f"the request body is {length} bytes; the limit is {limit} bytes\n")
        return self.rfile.read(length)

    def _job(self, method: str, url_query: str, body: bytes, content_type: str) -> Job:
        params = _params(url_query)
        media = content_type.split(";")[0].strip().lower()
        if method == "POST":
            if media == _UPDATE:
                raise _Reply(403, "updates are refused: this endpoint is read-only\n")
            if media == _FORM:
                for key, values in _params(_decode(body)).items():
                    params.setdefault(key, []).extend(values)
            elif media == _QUERY:
                params.setdefault("query", []).append(_decode(body))
            else:
                raise _Reply(
                    415,
                    f"send the query as {_FORM} or {_QUERY}, not {media or 'no Content-Type'}\n",
                )
        if "update" in params:
            raise _Reply(403, "updates are refused: this endpoint is read-only\n")
        queries = params.get("query", [])
        if len(queries) != 1:
            raise _Reply(
                400, "give exactly one query (`query=`, or a body of application/sparql-query)\n"
            )
        sparql = self.sparql = queries[0]
        verdict = guard.check(sparql)
        if verdict is not None:
            raise _Reply(403, verdict.message + "\n")
        # format= and output= (Virtuoso's and sparqler's names) may repeat and list
        # several formats, as SPARQLWrapper sends them: the first known one wins.
        named = [
            item.split(";")[0].strip()
            for value in params.get("format", []) + params.get("output", [])
            for item in value.split(",")
            if item.strip()
        ]
        if named:
            known = [n for n in named if _known(n)]
            if not known:
                try:
                    format_named(named[0])
                except UnknownFormat as exc:
                    raise _Reply(400, f"{exc}\n") from None
            wanted: tuple[str, ...] = (format_named(known[0]).value,)
        else:
            wanted = preferences(self.headers.get("Accept", "*/*"))
        job = Job(
            sparql,
            wanted,
            self.server.options.max_rows,
            tuple(params.get("default-graph-uri", [])),
            tuple(params.get("named-graph-uri", [])),
        )
        return job

    # --- writing
    def _plain(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, "text/plain; charset=utf-8", message.encode("utf-8"), headers or {})

    def _send(self, status: int, media_type: str, body: bytes, headers: dict[str, str]) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-store")
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            # The client went away; nothing is left to tell it.
            self.close_connection = True

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.client_address[0], format % args)

    def log_error(self, format: str, *args: object) -> None:
        log.info("%s %s", self.client_address[0], format % args)


def _known(name: str) -> bool:
    try:
        format_named(name)
    except UnknownFormat:
        return False
    return True


def _with_charset(media_type: str) -> str:
    textual = media_type.startswith("text/") or media_type.endswith(("json", "xml", "n-triples"))
    return f"{media_type}; charset=utf-8" if textual else media_type


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise _Reply(400, "the request body is not UTF-8\n") from None


def _params(query: str) -> dict[str, list[str]]:
    try:
        return parse_qs(query, keep_blank_values=True, strict_parsing=False, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise _Reply(400, "the URL's query string is not valid UTF-8\n") from None


def _drain(stream: io.BufferedIOBase, length: int) -> None:
    while length > 0:
        chunk = stream.read(min(length, 1 << 16))
        if not chunk:
            return
        length -= len(chunk)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine."""
    if host == "localhost":
        return True
    import ipaddress

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def open_endpoint(
    source: Path | None, options: ServeOptions, *, store_dir: Path | None = None
) -> Endpoint:
    """Load the graph (or reuse ``store_dir``), start the workers and bind the port.

    A graph served without ``store_dir`` is loaded into a store under the
    system's temporary folder, removed again by ``Endpoint.close``.
    """
    temporary = store_dir is None
    server = _bind(options)
    folder = Path(tempfile.mkdtemp(prefix="zhi-graph-serve-")) if store_dir is None else store_dir
    pool: WorkerPool | None = None
    try:
        store = open_store(source, store_dir=folder / "store" if temporary else folder)
        assert store.folder is not None
        loaded, described = store.folder, (store.source or store.folder).name
        # The read-write handle is closed before the workers open the store read-only.
        del store
        pool = WorkerPool(
            loaded,
            max(1, options.workers),
            options.max_memory,
            in_memory=options.in_memory,
            fast_allocator=options.fast_allocator,
        )
        questions = read_questions(
            options.queries if options.queries is not None else package_root() / "queries"
        )
        server.pool = pool
        server.assets = build_assets(
            questions, source=described, token_required=options.token is not None
        )
        return Endpoint(options, server, pool, folder if temporary else loaded, temporary)
    except BaseException:
        server.server_close()
        if pool is not None:
            pool.close()
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)
        raise


def _bind(options: ServeOptions) -> _Server:
    """Bind the port first, so that a port in use is reported before anything is loaded."""
    try:
        return _Server((options.host, options.port), options)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise NetworkError(
                f"port {options.port} is already in use on {options.host}; stop the other "
                "server or choose another port with --port"
            ) from exc
        raise NetworkError(
            f"cannot listen on {options.host}:{options.port} ({exc.strerror or exc}); "
            "check --host and --port"
        ) from exc
