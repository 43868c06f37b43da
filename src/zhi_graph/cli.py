"""The zhi-graph command line: parse arguments, call the library, format the result.

Each command imports what it runs when it runs: every command pays for what
is imported here, and importing is most of what ``zhi-graph build`` of
unchanged files does.  Only the option types typer reads when the commands
are defined are imported here.
"""

from __future__ import annotations

import atexit
import gc
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from .convert import ExportFormat
from .errors import SKIPPED_FILES_EXIT_CODE, InputError, ZhiGraphError
from .resultformat import ResultFormat

if TYPE_CHECKING:
    import pyoxigraph as ox

    from .evaluate import Evaluation, Score
    from .pipeline import BuildReport
    from .violation import Violation
    from .viz import ViewReport

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Build knowledge graphs from Chinese local-chronicle (地方志) work documents.",
)
console = Console()
errors = Console(stderr=True)


def _fail(error: ZhiGraphError) -> None:
    errors.print("error:", str(error), style=None, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(error.exit_code)


@app.command("build")
def build_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Documents (.txt, .md, .pdf, .docx, .html) or folders of them."),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    validate: Annotated[
        bool, typer.Option("--validate/--no-validate", help="Check the graph against the shapes.")
    ] = True,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-j", min=1, help="Worker processes (default: one per core)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Run extraction on a Dask cluster, e.g. tcp://scheduler:8786.",
            show_default=False,
        ),
    ] = None,
    html: Annotated[
        bool, typer.Option("--html/--no-html", help="Also write the network page OUT/graph.html.")
    ] = True,
) -> None:
    """Extract entities and relations and write OUT/graph.ttl, OUT/graph.trig and OUT/graph.html.

    Files unchanged since the last build into OUT are not read again
    (OUT/.cache); entities are linked across documents. A file that cannot be
    read as a document is named on stderr and skipped, and the exit code is 7;
    when no file can be read, nothing is written and the exit code is 2.

    Example: zhi-graph build data/corpus/ -o out/
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from .load import discover
    from .pipeline import build

    try:
        total = len(discover(paths))
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=errors,
            transient=True,
            disable=total < 2 or not sys.stderr.isatty(),
        ) as progress:
            task = progress.add_task("extracting", total=total)
            report = build(
                paths,
                out,
                validate=validate,
                workers=workers,
                scheduler=scheduler,
                html=html,
                progress=lambda _: progress.advance(task),
            )
    except ZhiGraphError as error:
        _fail(error)
        return
    # Python's collections at exit would walk every object the build loaded (the
    # dictionaries, the gazetteer): 0.6 s of a 1 MB build.  Frozen first, they are
    # freed without being walked.  At exit, not now: a process that goes on (a test
    # calling the command) collects its garbage as before.
    atexit.register(gc.freeze)
    _print_build(report)
    if report.skipped:
        raise typer.Exit(SKIPPED_FILES_EXIT_CODE)


def _print_build(report: BuildReport) -> None:
    cached = report.documents - report.extracted
    console.print(
        f"{report.documents} document(s), {report.characters:,} characters, "
        f"{report.triples:,} triples in {report.seconds_total:.2f} s "
        f"({report.extracted} read, {cached} from the cache, {report.workers} worker(s); "
        f"extraction {report.seconds_extract:.2f} s, RDF and validation "
        f"{report.seconds_validate:.2f} s, page {report.seconds_html:.2f} s)",
        highlight=False,
    )
    table = Table(show_header=True, header_style="bold")
    table.add_column("entities")
    table.add_column("n", justify="right")
    table.add_column("relations")
    table.add_column("n", justify="right")
    entities = sorted(report.entities.items())
    relations = sorted(report.relations.items())
    for i in range(max(len(entities), len(relations))):
        e = entities[i] if i < len(entities) else ("", "")
        r = relations[i] if i < len(relations) else ("", "")
        table.add_row(e[0], str(e[1]), r[0], str(r[1]))
    console.print(table)
    for skipped in report.skipped:
        errors.print(f"skipped {skipped.reason}", markup=False, highlight=False, soft_wrap=True)
    if report.skipped:
        errors.print(
            f"note: {len(report.skipped)} file(s) skipped; the graph holds the other "
            f"{report.documents} (exit code {SKIPPED_FILES_EXIT_CODE})",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if report.page_skipped:
        errors.print(f"note: {report.page_skipped}", markup=False, highlight=False, soft_wrap=True)
    verb = "unchanged" if report.unchanged else "wrote"
    for path in report.files:
        console.print(f"{verb} {path}", markup=False, highlight=False)


def _score_table(title: str, scores: dict[str, Score]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("", "gold", "pred", "P", "R", "F1"):
        table.add_column(column, justify="left" if not column else "right")
    for name, s in scores.items():
        table.add_row(
            name,
            str(s.gold),
            str(s.predicted),
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
        )
    return table


@app.command("eval")
def eval_command(
    out: Annotated[Path, typer.Argument(help="A build's output folder, or a graph file.")],
    gold: Annotated[Path, typer.Option("--gold", "-g", help="Gold annotation (JSON).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print scores as JSON.")] = False,
    errors_shown: Annotated[
        int, typer.Option("--show-errors", help="List this many misses and false alarms.")
    ] = 0,
) -> None:
    """Precision, recall and F1 per entity type and per relation against a gold file.

    Example: zhi-graph eval out/ --gold data/gold/000_56e6aeb4e85b6bad.json
    """
    from .evaluate import evaluate

    try:
        result = evaluate(out, gold)
    except ZhiGraphError as error:
        _fail(error)
        return
    if as_json:
        console.print_json(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    _print_eval(result, errors_shown)


def _print_eval(result: Evaluation, shown: int) -> None:
    console.print(f"document: {result.document}", highlight=False)
    console.print(_score_table("entities", result.entities))
    console.print(_score_table("relations", result.relations))
    if shown:
        for title, items in (
            ("missed entities", result.missed_entities),
            ("spurious entities", result.spurious_entities),
            ("missed relations", result.missed_relations),
            ("spurious relations", result.spurious_relations),
        ):
            console.print(f"[bold]{title}[/bold] ({len(items)})")
            for item in items[:shown]:
                console.print(f"  {item}", highlight=False)


def _readable(violation: Violation, *, first: bool) -> str:
    """A violation as a block: severity, focus node's label and IRI, path, message."""
    name = violation.label or "(no label)"
    return "\n".join(
        [
            *([] if first else [""]),
            f"[{violation.severity}] {name} <{violation.focus}>",
            f"    path: {violation.path or '(the node itself)'}",
            f"    message: {violation.message}",
        ]
    )


@app.command("viz")
def viz_command(
    out: Annotated[Path, typer.Argument(help="A build's output folder, or a graph file.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="HTML file to write [network.html, map.html with --map]."
        ),
    ] = None,
    focus: Annotated[
        str | None, typer.Option("--focus", help="Show only this entity (name or alias)…")
    ] = None,
    depth: Annotated[
        int, typer.Option("--depth", help="…and what is this many relations away.")
    ] = 1,
    types: Annotated[
        str | None,
        typer.Option(
            "--types", help="Only these types, comma-separated (Publication,Award; 年鉴)."
        ),
    ] = None,
    min_degree: Annotated[
        int, typer.Option("--min-degree", help="Only entities with at least this many relations.")
    ] = 0,
    as_map: Annotated[
        bool, typer.Option("--map", help="Write the map of award counts per region instead.")
    ] = False,
) -> None:
    """Write an interactive HTML page of the graph that works offline.

    Example: zhi-graph viz out/ --focus 成都市 --depth 2 -o chengdu.html
    """
    from .viz import write_map, write_network  # numpy and pyvis: for this command only

    target = output or Path("map.html" if as_map else "network.html")
    try:
        if as_map:
            report = write_map(out, target)
        else:
            report = write_network(
                out, target, focus=focus, depth=depth, types=types, min_degree=min_degree
            )
    except ZhiGraphError as error:
        _fail(error)
        return
    _print_view(report, as_map)


def _print_view(report: ViewReport, as_map: bool) -> None:
    if as_map:
        shown = f"{report.nodes} region(s), {report.edges} award conferral(s) counted"
    else:
        shown = f"{report.nodes} of {report.total_nodes} entities, {report.edges} relation(s)"
    console.print(
        f"wrote {report.path} ({shown}; {report.size / 1024:,.0f} KiB)",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@app.command("validate")
def validate_command(
    graph: Annotated[
        Path,
        typer.Argument(
            help="A graph file (.ttl, .trig, .nq, .nt, .jsonld, .rdf/.xml) or a build folder."
        ),
    ],
    full: Annotated[
        bool, typer.Option("--full", help="Run every constraint through pySHACL (slow).")
    ] = False,
) -> None:
    """Check a graph file against ontology/shapes.ttl; exit 5 on violations.

    Example: zhi-graph validate out/graph.ttl
    """
    from .validate import validate_file  # rdflib and the shapes: for this command only

    try:
        violations = validate_file(graph, fast=not full)
    except ZhiGraphError as error:
        _fail(error)
        return
    if not violations:
        console.print(f"{graph}: conforms", markup=False, highlight=False, soft_wrap=True)
        return
    for i, violation in enumerate(violations):
        console.print(
            _readable(violation, first=i == 0), markup=False, highlight=False, soft_wrap=True
        )
    errors.print(f"{graph}: {len(violations)} violation(s)", markup=False, soft_wrap=True)
    raise typer.Exit(5)


@app.command("export")
def export_command(
    source: Annotated[
        Path,
        typer.Argument(help="A build's output folder (its graph.trig is read) or a graph file."),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File to write (for csv: a folder).")
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="ttl, trig, nquads, nt, jsonld, xml, graphml, gexf or csv.",
        ),
    ] = ExportFormat.TTL.value,
) -> None:
    """Write a build or graph file in another RDF syntax, as GraphML or GEXF, or as CSV tables.

    RDF: Turtle, TriG, N-Quads, N-Triples, JSON-LD, RDF/XML.

    Example: zhi-graph export out/ --format jsonld -o out/graph.jsonld
    """
    from .convert import export

    try:
        report = export(source, fmt, output)
    except ZhiGraphError as error:
        _fail(error)
        return
    console.print(
        f"read {report.quads:,} quads from {report.source}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    for path in report.files:
        console.print(f"wrote {path}", markup=False, highlight=False, soft_wrap=True)


@app.command("ontology-docs")
def ontology_docs_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML page to write.")] = Path(
        "docs/ontology.html"
    ),
) -> None:
    """Write a human-readable HTML page of the ontology (ontology/zhi.ttl).

    Classes, properties, domains, ranges, Chinese and English labels and comments.

    Example: zhi-graph ontology-docs -o docs/ontology.html
    """
    from .ontology_docs import write_docs

    try:
        path = write_docs(output)
    except ZhiGraphError as error:
        _fail(error)
        return
    console.print(f"wrote {path}", markup=False, highlight=False, soft_wrap=True)


@app.command("query")
def query_command(
    arguments: Annotated[
        list[str] | None,
        typer.Argument(
            help="[OUT_OR_GRAPH] [SPARQL]: a build folder or graph file, then the query. "
            "With --store, the folder may be left out; with --file, the query.",
            show_default=False,
        ),
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the query from a .rq file.")
    ] = None,
    fmt: Annotated[
        ResultFormat,
        typer.Option(
            "--format",
            help="table (default), csv, tsv, json, xml for SELECT and ASK; "
            "turtle (default), ntriples, jsonld for CONSTRUCT and DESCRIBE.",
        ),
    ] = ResultFormat.TABLE,
    store_dir: Annotated[
        Path | None,
        typer.Option(
            "--store",
            help="Keep the graph in an on-disk Oxigraph store in this folder, reused while "
            "the graph is unchanged; alone, reopen a store loaded before.",
        ),
    ] = None,
) -> None:
    """Run a SPARQL query on a built graph (Oxigraph).

    Prefixes zhi:, rdfs:, skos:, xsd:, prov:, schema:, region: … are predeclared.

    Example: zhi-graph query out/ --file queries/yearbook_awards.rq --format csv
    """
    from .sparql import run_query, serialize_results
    from .store import open_store

    try:
        source, sparql = _query_arguments(arguments or [], file, store_dir)
        store = open_store(source, store_dir=store_dir)
        result = run_query(store, sparql)
        if fmt is ResultFormat.TABLE:
            _print_result(result)
        else:
            _write_bytes(serialize_results(result, fmt))
    except ZhiGraphError as error:
        _fail(error)


def _query_arguments(
    arguments: list[str], file: Path | None, store_dir: Path | None
) -> tuple[Path | None, str]:
    """(source, query text) from the positional arguments and options."""
    from .sparql import read_query

    usage = "give a build folder or graph file and a query, e.g. zhi-graph query out/ 'ASK {}'"
    if len(arguments) > 2 or (len(arguments) == 2 and file is not None):
        raise InputError(f"too many arguments; {usage}, or --file FILE instead of the query")
    if file is not None:
        if not arguments and store_dir is None:
            raise InputError(usage)
        return (Path(arguments[0]) if arguments else None), read_query(file).sparql
    if len(arguments) == 2:
        return Path(arguments[0]), arguments[1]
    if len(arguments) == 1 and store_dir is not None:
        return None, arguments[0]
    raise InputError(f"no query; {usage}, or --file FILE")


def _print_result(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> None:
    import pyoxigraph as ox
    from rich.text import Text

    from .sparql import result_table, serialize_results

    if isinstance(result, ox.QueryBoolean):
        console.print("true" if bool(result) else "false", highlight=False)
        return
    if isinstance(result, ox.QueryTriples):
        _write_bytes(serialize_results(result, ResultFormat.TURTLE))
        return
    table = result_table(result)
    # rich measures East-Asian wide characters, so Chinese labels stay aligned.
    view = Table(show_header=True, header_style="bold", show_lines=False)
    for column in table.columns:
        view.add_column(column, overflow="fold")
    for row in table.text_rows():
        view.add_row(*(Text(cell) for cell in row))
    # Piped into a file, a table is as wide as its longest row instead of wrapping at 80.
    width = None
    if not console.is_terminal:
        width = max(80, Console(width=1 << 20).measure(view).maximum)
    Console(width=width).print(view)
    console.print(f"({len(table)} row{'' if len(table) == 1 else 's'})", highlight=False)


def _write_bytes(data: bytes) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


@app.command("serve")
def serve_command(
    out: Annotated[
        Path | None,
        typer.Argument(help="A build's output folder or a graph file (omit with --store)."),
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option("--store", help="On-disk store to reuse, or to load OUT into."),
    ] = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; 0.0.0.0 opens it to the network.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 7878,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds a query may run before it is stopped (503).")
    ] = 30.0,
    max_rows: Annotated[
        int, typer.Option("--max-rows", help="Rows (or triples) returned at most per query.")
    ] = 10_000,
    max_body: Annotated[
        int, typer.Option("--max-body", help="Largest request body accepted, in bytes (413).")
    ] = 1 << 20,
    workers: Annotated[
        int, typer.Option("--workers", help="Query worker processes (queries run in parallel).")
    ] = 2,
    max_memory: Annotated[
        int,
        typer.Option(
            "--max-memory", help="Memory cap of each worker in MiB (503 beyond; 0: no cap)."
        ),
    ] = 2048,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="ZHI_GRAPH_TOKEN",
            help="Require `Authorization: Bearer TOKEN` on /sparql (env ZHI_GRAPH_TOKEN).",
        ),
    ] = None,
    queries: Annotated[
        Path | None,
        typer.Option("--queries", help="Folder of .rq research questions for the query page."),
    ] = None,
    in_memory: Annotated[
        bool,
        typer.Option(
            "--in-memory",
            help="Hold the graph in each worker's memory: 2-4x faster queries on large "
            "graphs, about 1.6 GB per worker per million triples (--max-memory comes on top).",
        ),
    ] = False,
) -> None:
    """Serve the graph read-only over the SPARQL 1.1 Protocol at /sparql, with a query page at /.

    Example: zhi-graph serve out/ --port 7878
    """
    import logging

    from .serve import ServeOptions, is_loopback, open_endpoint

    if out is None and store is None:
        _fail(ZhiGraphError("give a build folder or graph file, or --store with a loaded store"))
    try:
        options = ServeOptions(
            host=host,
            port=port,
            timeout=timeout,
            max_rows=max_rows,
            max_body=max_body,
            workers=workers,
            # (a negative cap stays negative, for the options to refuse)
            max_memory=max_memory * (1 << 20) if max_memory else None,
            token=token or None,
            queries=queries,
            in_memory=in_memory,
        )
    except ZhiGraphError as error:
        _fail(error)
        return
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%Y-%m-%dT%H:%M:%S"
    )
    if not is_loopback(host):
        errors.print(
            f"warning: listening on {host}: other machines can reach the endpoint"
            + ("" if token else "; anyone can query it (set --token or ZHI_GRAPH_TOKEN)"),
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    try:
        endpoint = open_endpoint(out, options, store_dir=store)
    except ZhiGraphError as error:
        _fail(error)
        return
    if not endpoint.pool.network_isolated:
        errors.print(
            "note: query workers could not be cut off from the network here; "
            "SERVICE and LOAD are still refused before any query runs",
            markup=False,
            highlight=False,
        )
    if endpoint.pool.allocator is None:
        errors.print(
            "note: query workers run with the system's memory allocator; install mimalloc "
            "(Debian: apt install libmimalloc2.0) for queries up to twice as fast",
            markup=False,
            highlight=False,
        )
    console.print(
        f"serving {endpoint.url} (SPARQL endpoint {endpoint.url}sparql); Ctrl-C stops",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    import signal

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # SIGTERM (a service manager, `kill`) stops as cleanly as Ctrl-C: the
    # workers end and a temporary store is removed.
    signal.signal(signal.SIGTERM, stop)
    try:
        endpoint.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        endpoint.close()


@app.command("push")
def push_command(
    out: Annotated[Path, typer.Argument(help="A build's output folder or a graph file.")],
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            help="Graph Store Protocol URL, e.g. http://127.0.0.1:8890/sparql-graph-crud-auth",
        ),
    ],
    user: Annotated[str | None, typer.Option("--user", help="User for HTTP auth.")] = None,
    password: Annotated[
        str | None,
        typer.Option(
            "--password", envvar="ZHI_GRAPH_PASSWORD", help="Password (env ZHI_GRAPH_PASSWORD)."
        ),
    ] = None,
    graph_base: Annotated[
        str | None,
        typer.Option(
            "--graph-base", help="Name graphs GRAPH_BASE + document id instead of their own IRIs."
        ),
    ] = None,
    graph_param: Annotated[
        str,
        typer.Option(
            "--graph-param",
            help="URL parameter naming the graph: graph-uri (Virtuoso), graph (standard) or auto.",
        ),
    ] = "auto",
    fmt: Annotated[
        str, typer.Option("--format", help="Body format: turtle or ntriples.")
    ] = "turtle",
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per request.")] = 120.0,
) -> None:
    """Load the graph into a triple store, one named graph per document (PUT: replaces).

    Example: zhi-graph push out/ --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth --user dba
    """
    from .push import GraphParam, PushFormat, push

    try:
        chosen_param = GraphParam(graph_param)
        chosen_format = PushFormat(fmt)
    except ValueError as exc:
        errors.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(2) from exc
    if user is not None and password is None:
        password = typer.prompt(f"password for {user}", hide_input=True)
    try:
        report = push(
            out,
            endpoint,
            user=user,
            password=password,
            graph_base=graph_base,
            graph_param=chosen_param,
            fmt=chosen_format,
            timeout=timeout,
        )
    except ZhiGraphError as error:
        _fail(error)
        return
    for graph in report.graphs:
        console.print(
            f"{graph.status} {graph.triples:>8,} triples  <{graph.iri}>",
            markup=False,
            highlight=False,
        )
    console.print(
        f"pushed {len(report.graphs)} graph(s), {report.triples:,} triples to {report.endpoint} "
        f"in {report.seconds:.2f} s",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
