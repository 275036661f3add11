"""The ``unspin`` command line.

Exit codes: 0 all inputs analysed, 1 some inputs could not be read (each said so on stderr),
2 usage error or unwritable output, 3 internal error (a bug: one line per record, the batch
goes on; ``--debug`` adds the traceback), 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from unspin import __version__
from unspin.api import analyze_record, build_pipeline, read_records
from unspin.batch.resume import LineAppender, finished_ids
from unspin.components import PIPELINE
from unspin.errors import InputError
from unspin.exports import FORMATS as EXPORT_FORMATS
from unspin.ingest import Record
from unspin.ingest.inputs import JSONL_SUFFIXES, WARC_SUFFIXES, name_parts
from unspin.ingest.record import one_line
from unspin.pipeline import Pipeline, PipelineError

if TYPE_CHECKING:
    from unspin.store.database import Store

FORMATS = ("json", "html", "md", "text", *EXPORT_FORMATS)
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


def printable(text: str) -> str:
    """``text`` safe for a terminal line: control, format and unpaired surrogate characters
    (ESC, NUL, bidi overrides, raw bytes from a broken archive) shown as escapes."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def _say(message: str) -> None:
    print(f"unspin: {printable(message)}", file=sys.stderr)


def _debug(exc: BaseException, debug: bool) -> None:
    """The traceback behind an internal error, only when asked for (``--debug``)."""
    if debug:
        sys.stderr.write("".join(traceback.format_exception(exc)))


def _positive(value: str) -> int:
    """A whole number of at least 1 (``--workers``)."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return int(value)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="unspin", description=__doc__)
    parser.add_argument("--version", action="version", version=f"unspin {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", help="print the traceback of internal errors"
    )

    # What every analysing command takes: the pipeline and the overrides.
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("inputs", nargs="+", metavar="INPUT")
    options.add_argument("--published", help="publication date, overriding the page's")
    options.add_argument("--source", help="outlet domain, overriding the page's site")
    options.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=list(PIPELINE),
        metavar="NAME",
        help=f"switch a component off ({', '.join(PIPELINE)}); repeatable",
    )
    options.add_argument(
        "--config", type=Path, help="settings file (TOML); see README 'Settings'"
    )
    options.add_argument(
        "--min-score", type=float, help="drop technique spans scored below this"
    )
    options.add_argument("--kb", type=Path, help="extra knowledge-base file (JSON Lines)")

    an = sub.add_parser(
        "analyze",
        parents=[common, options],
        help="analyse articles: files, '-', URLs, JSONL, WARC",
    )
    an.add_argument("--format", choices=FORMATS, default="json")
    an.add_argument(
        "-o", "--output", type=Path, help="write here instead of stdout (brat: DIR/NAME)"
    )
    an.add_argument(
        "--workers",
        type=_positive,
        default=1,
        metavar="N",
        help="analyse in N processes, one pipeline each (output in input order)",
    )
    an.add_argument(
        "--resume",
        action="store_true",
        help="skip documents already in the -o JSON Lines file and append the rest",
    )
    an.add_argument(
        "--allow-private",
        action="store_true",
        help="allow URLs on loopback, private and link-local addresses",
    )
    an.add_argument("--store", metavar="DB", help="also save each analysis into this store")

    qu = sub.add_parser("query", parents=[common], help="find stored analyses")
    qu.add_argument("--db", required=True, help="store: SQLite file or postgresql:// URL")
    qu.add_argument("--outlet", metavar="DOMAIN")
    qu.add_argument("--technique", metavar="NAME")
    qu.add_argument("--entity", metavar="ID|NAME")
    qu.add_argument("--from", dest="date_from", metavar="DATE")
    qu.add_argument("--to", dest="date_to", metavar="DATE")
    qu.add_argument("--genre", choices=("opinion", "reporting", "satire"))
    qu.add_argument("--factuality")
    qu.add_argument("--text", metavar="WORDS", help="articles holding every word")
    qu.add_argument("--limit", type=int, default=50)
    qu.add_argument("--format", choices=("json", "table"), default="table")

    se = sub.add_parser("serve", parents=[common], help="the web API over a store")
    se.add_argument("--db", required=True, help="store: SQLite file or postgresql:// URL")
    se.add_argument("--host", default="127.0.0.1")
    se.add_argument("--port", type=int, default=8000)
    se.add_argument("--token", help="bearer token for write endpoints (or UNSPIN_TOKEN)")
    se.add_argument("--config", type=Path, help="settings file (TOML); see README 'Settings'")

    st = sub.add_parser("store", help="manage a store")
    st_sub = st.add_subparsers(dest="action", required=True)
    ld = st_sub.add_parser("load", parents=[common], help="load unspin/1 JSON Lines files")
    ld.add_argument("directory", type=Path, metavar="DIR")
    ld.add_argument("--db", required=True, help="store: SQLite file or postgresql:// URL")

    sp = sub.add_parser(
        "spark",
        parents=[common, options],
        help="analyse a corpus on Apache Spark into Parquet and JSON Lines (extra 'spark')",
    )
    sp.add_argument("--out", required=True, help="new output directory (path or Hadoop URI)")
    sp.add_argument("--master", help="Spark master, e.g. local[*] (default: spark-submit's)")

    rep = sub.add_parser(
        "report", parents=[common], help="render a saved analysis as a self-contained page"
    )
    rep.add_argument("analysis", type=Path, metavar="ANALYSIS.json")
    rep.add_argument("-o", "--output", type=Path, required=True)

    _exchange_parsers(sub, common)

    ev = sub.add_parser("eval", help="score unspin against a gold set")
    ev_sub = ev.add_subparsers(dest="task", required=True)
    ptc = ev_sub.add_parser("ptc", help="SemEval-2020 Task 11 scoring on PTC-format data")
    ptc.add_argument("--articles", type=Path, required=True)
    ptc.add_argument("--labels", type=Path, required=True)
    ptc.add_argument("--predictions-out", type=Path)
    tl = ev_sub.add_parser("timeline", help="dates, casualties and attribution on the gold set")
    tl.add_argument("--gold", type=Path, help="gold directory (default: the bundled set)")
    al = ev_sub.add_parser("aliases", help="alias resolution accuracy on the gold set")
    al.add_argument("--gold", type=Path, help="gold TSV (default: the bundled set)")
    tm = ev_sub.add_parser("timeml", help="date extraction and values on TimeML (.tml) files")
    tm.add_argument("--data", type=Path, required=True, help="directory of .tml files")
    tm.add_argument(
        "--held-back",
        default="AQUAINT",
        help="files under a folder of this name are scored apart as the held-back part",
    )
    gn = ev_sub.add_parser("genre", help="genre accuracy on the gold set")
    gn.add_argument("--gold", type=Path, help="gold JSON Lines (default: the bundled set)")
    cw = ev_sub.add_parser(
        "checkworthy", help="leave-debates-out MAP / R-precision / P@10 on CLEF-2019 debates"
    )
    cw.add_argument("--data", type=Path, required=True, help="folder of CLEF-2019 .tsv debates")
    cw.add_argument("--cache", type=Path, help="keep embeddings and signals here (resumable)")

    es = ev_sub.add_parser("events", help="event triggers and arguments on WikiEvents data")
    es.add_argument("--data", type=Path, required=True, help="directory of *.jsonl(.gz) files")
    es.add_argument("--ids", nargs="+", metavar="ID", help="score only these documents")

    tr = sub.add_parser("train", help="train a model (needs the 'train' extra)")
    tr_sub = tr.add_subparsers(dest="model", required=True)
    tech = tr_sub.add_parser("techniques", help="fine-tune the technique tagger")
    tech.add_argument("--data", type=Path, required=True)
    tech.add_argument("--out", type=Path, required=True)
    tech.add_argument(
        "--held-out",
        type=float,
        default=0.2,
        help="share of articles held out for figures and calibration (0: train on all)",
    )
    tech.add_argument(
        "--folds", type=int, default=0, help="k-fold split: hold out one fold instead"
    )
    tech.add_argument("--fold", type=int, default=0, help="which fold to hold out (0-based)")
    tech.add_argument(
        "--seed", type=int, default=13, help="seed of weight init, dropout and window order"
    )
    tech.add_argument(
        "--split-seed", type=int, default=13, help="seed of the held-out (or fold) split"
    )
    tech.add_argument(
        "--unlabelled",
        type=Path,
        help="folder of articleID.txt to pseudo-label with --teacher and train on too",
    )
    tech.add_argument("--teacher", type=Path, help="exported model directory that labels them")
    tech.add_argument(
        "--pseudo-min-score",
        type=float,
        default=0.2,
        help="keep the teacher's spans with at least this calibrated score",
    )
    tech.add_argument(
        "--pseudo-weight", type=float, default=0.5, help="loss weight of pseudo-labelled windows"
    )
    tech.add_argument(
        "--balanced",
        action="store_true",
        help="oversample windows holding rare techniques (inverse frequency, capped)",
    )
    return parser


def _exchange_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """``unspin export`` and ``unspin import``: to and from annotation tools."""
    ex = sub.add_parser("export", help="analyses, gold and configs for annotation tools")
    ex_sub = ex.add_subparsers(dest="what", required=True)
    ea = ex_sub.add_parser(
        "analysis", parents=[common], help="saved analyses as webanno, labelstudio or brat"
    )
    ea.add_argument("analysis", type=Path, metavar="ANALYSIS.json")
    ea.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    ea.add_argument("-o", "--output", type=Path, help="write here (brat: DIR/NAME)")
    eg = ex_sub.add_parser("gold", parents=[common], help="gold technique spans, PTC format")
    eg.add_argument("--db", required=True, help="store: SQLite file or postgresql:// URL")
    eg.add_argument("--format", choices=("ptc",), default="ptc")
    eg.add_argument("-o", "--output", type=Path, help="the labels file (default: stdout)")
    eg.add_argument("--articles", type=Path, metavar="DIR", help="also write articleID.txt")
    ec = ex_sub.add_parser(
        "labelstudio-config", parents=[common], help="the Label Studio labelling config (XML)"
    )
    ec.add_argument("-o", "--output", type=Path)

    im = sub.add_parser("import", help="people's labels back into a store")
    im_sub = im.add_subparsers(dest="tool", required=True)
    il = im_sub.add_parser(
        "labelstudio", parents=[common], help="a Label Studio JSON export as gold technique spans"
    )
    il.add_argument("file", type=Path, metavar="FILE")
    il.add_argument("--db", required=True, help="store: SQLite file or postgresql:// URL")


def _write(target: Path | None, render: Callable[[TextIO], None]) -> None:
    """Render to stdout, or to ``target`` through a temporary file renamed at the end.

    A run that fails, is interrupted or has nothing to write leaves the previous file (or
    none), never an empty or half-written one.
    """
    if target is None:
        render(sys.stdout)
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise InputError(str(target), f"cannot write: {exc.strerror or exc}") from None
    part = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            render(out)
        if part.stat().st_size:
            part.chmod(_new_file_mode(target))
            part.replace(target)
    except OSError as exc:
        raise InputError(str(target), f"cannot write: {exc.strerror or exc}") from None
    finally:
        part.unlink(missing_ok=True)


def _new_file_mode(target: Path) -> int:
    """The mode ``target`` has, or what the umask gives a new file (mkstemp makes it 0600)."""
    if target.exists():
        return target.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _known_total(inputs: list[str]) -> int:
    """How many records the inputs hold when each is one article (0: unknown, as for a
    JSON Lines or WARC corpus), so the progress bar can say the time left."""
    corpora = (*JSONL_SUFFIXES, *WARC_SUFFIXES)
    return 0 if any(name_parts(name)[0] in corpora for name in inputs) else len(inputs)


def _progress(records: Iterator[Record], total: int) -> Iterator[Record]:
    """A progress bar on stderr, only when a person is watching it."""
    if not sys.stderr.isatty():
        return records
    from tqdm import tqdm

    return iter(tqdm(records, desc="unspin", unit="doc", total=total or None))


def _append(args: argparse.Namespace, render: Callable[[TextIO], None]) -> None:
    """Render onto the end of ``-o``, one whole line per write (``--resume``)."""
    try:
        with args.output.open("ab") as stream:
            render(LineAppender(stream))  # type: ignore[arg-type]
    except OSError as exc:
        raise InputError(str(args.output), f"cannot write: {exc.strerror or exc}") from None


def _records(args: argparse.Namespace, pipeline: Pipeline) -> Iterator[Record]:
    """The analysed records in input order: in this process, or in ``--workers``
    processes; with ``--resume`` the documents already in the output are left out."""
    records = read_records(
        args.inputs,
        pipeline.settings.limits,
        published=args.published,
        source=args.source,
        allow_private=args.allow_private,
    )
    if args.resume:
        done = finished_ids(args.output)
        records = (r for r in records if r.document is None or r.document.meta.id not in done)
    if args.workers > 1:
        from unspin.batch.local import analyze_parallel

        return analyze_parallel(records, pipeline, args.workers)
    return (analyze_record(record, pipeline) for record in records)


def _analyze(args: argparse.Namespace) -> int:
    if args.resume and (args.output is None or args.format != "json"):
        raise InputError("--resume", "needs -o FILE and JSON Lines output (--format json)")
    pipeline = build_pipeline(args.skip, args.min_score, args.kb, args.config)
    store = _open_store(args.store) if args.store else None
    records = _records(args, pipeline)
    results: list[dict[str, Any]] = []
    ids: list[int | None] = []
    failed = crashed = seen = 0
    single = len(args.inputs) == 1 and not args.resume

    def emit(out: TextIO) -> None:
        nonlocal failed, crashed, seen, single
        for record in _progress(records, _known_total(args.inputs)):
            seen += 1
            if record.error is not None or record.document is None:
                failed += 1
                _say(f"{record.source}: {record.error}")
                if record.crash is not None:
                    crashed += 1
                    _debug(record.crash, args.debug)
                continue
            stored = _saved(store, record) if store is not None else None
            if store is not None and stored is None:
                failed += 1
                continue
            result = record.document.to_dict()
            if args.format != "json":
                results.append(result)
                ids.append(stored)
            elif single and record.source in args.inputs:
                json.dump(result, out, ensure_ascii=False, indent=2)
                out.write("\n")
            else:
                single = False
                out.write(json.dumps(result, ensure_ascii=False) + "\n")
        if args.format != "json" and results:
            out.write(_rendered(results, args.format, ids))

    if args.resume:
        _append(args, emit)
    else:
        _write_output(args, emit, results)
    if failed and seen > 1:  # one bad input already said so in its own line
        internal = f" ({crashed} internal errors)" if crashed else ""
        _say(f"{failed} of {seen} inputs failed{internal}")
    return EXIT_INTERNAL if crashed else EXIT_FAILED if failed else 0


def _spark(args: argparse.Namespace) -> int:
    from unspin.batch.spark import run

    pipeline = build_pipeline(args.skip, args.min_score, args.kb, args.config)
    records, failed, crashed = run(
        args.inputs,
        args.out,
        pipeline,
        master=args.master,
        published=args.published,
        source=args.source,
    )
    if failed:
        internal = f" ({crashed} internal errors)" if crashed else ""
        _say(f"{failed} of {records} inputs failed{internal}: see {args.out}/errors")
    return EXIT_INTERNAL if crashed else EXIT_FAILED if failed else 0


def _open_store(db: str) -> Store:
    """The store (imported here: only the commands that use one load SQLAlchemy)."""
    from unspin.store.database import open_store

    return open_store(db)


def _saved(store: Store, record: Record) -> int | None:
    """Save one analysis into ``--store``: its id, None (said on stderr) when it could not be."""
    from unspin.store import writer

    try:
        return writer.save(store, record.document, record.source).id
    except InputError as exc:
        _say(str(exc))
        return None


def _rendered(analyses: list[dict[str, Any]], fmt: str, ids: list[int | None]) -> str:
    """The report (html, md, text) or export (webanno, labelstudio, brat) of ``analyses``."""
    if fmt in EXPORT_FORMATS:
        from unspin import exports

        try:
            return exports.render(analyses, fmt, ids)
        except ValueError as exc:
            raise InputError(f"--format {fmt}", str(exc)) from None
    from unspin.report import render

    return render(analyses, fmt)


def _write_output(
    args: argparse.Namespace, render: Callable[[TextIO], None], analyses: list[dict[str, Any]]
) -> None:
    """``_write`` to ``-o``; for brat, ``-o DIR/NAME`` is NAME.ann and, after it, NAME.txt
    (each written whole through its own temporary file)."""
    if args.format != "brat" or args.output is None:
        _write(args.output, render)
        return
    target: Path = args.output
    stem = target.with_suffix("") if target.suffix in (".ann", ".txt") else target
    _write(Path(f"{stem}.ann"), render)
    if analyses:
        _write(Path(f"{stem}.txt"), lambda out: out.write(analyses[0]["document"]["text"]))


def _query(args: argparse.Namespace) -> int:
    from unspin.store import queries

    filters = queries.Filters(
        outlet=args.outlet, technique=args.technique, entity=args.entity,
        date_from=queries.parse_day(args.date_from, "--from"),
        date_to=queries.parse_day(args.date_to, "--to"),
        genre=args.genre, factuality=args.factuality, words=args.text,
    )
    if args.limit < 1:
        raise InputError("--limit", "must be at least 1")
    store = _open_store(args.db)
    with store.reading() as conn:
        found = queries.list_analyses(conn, filters, args.limit)["items"]
    if args.format == "json":
        for item in found:
            print(json.dumps(item, ensure_ascii=False))
        return 0
    print(f"{'id':>6}  {'published':10}  {'site':24}  {'tech':>4}  {'claims':>6}  title")
    for item in found:
        counts = item["counts"]
        print(
            f"{item['id']:>6}  {item['published'] or '':10}  {(item['site'] or '')[:24]:24}  "
            f"{counts['techniques']:>4}  {counts['claims']:>6}  {printable(item['title'] or '')}"
        )
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from unspin import settings as settings_module
    from unspin.service import create_app
    from unspin.service.security import is_loopback

    token = args.token or os.environ.get("UNSPIN_TOKEN") or None
    if not is_loopback(args.host) and not token:
        raise InputError("--host", f"{args.host} is beyond loopback: set --token or UNSPIN_TOKEN")
    app = create_app(_open_store(args.db), settings_module.load(args.config), token=token)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def _store(args: argparse.Namespace) -> int:
    from unspin.store.load import load_directory

    loaded = load_directory(_open_store(args.db), args.directory, _say)
    _say(f"{loaded.added} added, {loaded.already} already stored, {loaded.failed} failed")
    return EXIT_FAILED if loaded.failed else 0


def _report(args: argparse.Namespace) -> int:
    from unspin.report import load_analyses, render

    analyses = load_analyses(args.analysis)
    _write(args.output, lambda out: out.write(render(analyses, "html")))
    return 0


def _export(args: argparse.Namespace) -> int:
    if args.what == "labelstudio-config":
        from unspin.exports import labelstudio

        _write(args.output, lambda out: out.write(labelstudio.config()))
    elif args.what == "analysis":
        from unspin.report import load_analyses

        analyses = load_analyses(args.analysis)
        text = _rendered(analyses, args.format, [None] * len(analyses))
        _write_output(args, lambda out: out.write(text), analyses)
    else:
        _export_gold(args)
    return 0


def _export_gold(args: argparse.Namespace) -> None:
    """Gold spans as PTC lines and, with ``--articles``, the articleID.txt they refer to."""
    from unspin.store import gold

    with _open_store(args.db).reading() as conn:
        rows = gold.ptc_rows(conn)
        texts = gold.article_texts(conn, {r[0] for r in rows}) if args.articles else {}
    if not rows:
        raise InputError(args.db, "no gold technique spans in the store")
    for analysis_id, text in texts.items():
        _write(args.articles / f"article{analysis_id}.txt", lambda out, t=text: out.write(t))
    _write(args.output, lambda out: out.write(gold.ptc_lines(rows)))


def _import(args: argparse.Namespace) -> int:
    from unspin.store import gold

    counts = gold.import_labelstudio(_open_store(args.db), args.file, _say)
    _say(
        f"{counts.added} added, {counts.updated} updated, {counts.already} already stored, "
        f"{counts.failed} failed"
    )
    return EXIT_FAILED if counts.failed else 0


def _eval(args: argparse.Namespace) -> int:
    module = importlib.import_module(f"unspin.evaluation.{args.task}")
    options = {k: v for k, v in vars(args).items() if k not in ("command", "task")}
    scores = module.evaluate(**options)
    print(json.dumps(scores, indent=2))
    return 0


def _train(args: argparse.Namespace) -> int:
    try:
        from unspin.training.train import Settings, train
    except ImportError as exc:
        raise InputError("train", f"{exc.name} is missing: pip install 'unspin[train]'") from exc
    if args.folds and not 0 <= args.fold < args.folds:
        raise InputError("--fold", f"must lie in 0..{args.folds - 1}")
    if (args.unlabelled is None) != (args.teacher is None):
        raise InputError("--unlabelled", "self-training needs both --unlabelled and --teacher")
    settings = Settings(
        held_out=args.held_out,
        folds=args.folds,
        fold=args.fold,
        seed=args.seed,
        split_seed=args.split_seed,
        unlabelled=args.unlabelled,
        teacher=args.teacher,
        pseudo_min_score=args.pseudo_min_score,
        pseudo_weight=args.pseudo_weight,
        balanced=args.balanced,
    )
    train(args.data, args.out, settings)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "analyze": _analyze,
    "spark": _spark,
    "report": _report,
    "eval": _eval,
    "train": _train,
    "query": _query,
    "serve": _serve,
    "store": _store,
    "export": _export,
    "import": _import,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        _say(str(exc))
        return EXIT_USAGE
    except PipelineError as exc:
        _say(f"--skip: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: one line (traceback with --debug), its own exit code
        _say(f"internal error: {one_line(exc)}")
        _debug(exc, getattr(args, "debug", False))
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
