"""``creditgraph check --db DB --domain D KEY…``: is each entity bound in domain D on a date
(measures.md §5 check(entity, domain, date)), with the measures, legal basis and paths that say
so. KEY is a USCC, an organization code, a registration number, an ID number or an entity id.
``--tables DIR`` checks against resolved CSV tables instead of a database."""
from __future__ import annotations

from ._common import add_json_flag, emit


def register(subparsers) -> None:
    parser = subparsers.add_parser("check", help="is an entity bound by a measure of a domain on a date?")
    parser.add_argument("keys", nargs="+", metavar="KEY", help="USCC, ID number or entity id")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--db", help="database folder")
    source.add_argument("--tables", help="folder of resolved tables (CSV) instead of a database")
    parser.add_argument("--domain", required=True, help="measure domain, e.g. consumption, company_post")
    parser.add_argument("--date", "--as-of", dest="date", default=None,
                        help="the date asked about (default: the data set's as_of)")
    parser.add_argument("--measures", default=None, help="with --tables: measures catalog YAML")
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def _answers_from_db(args) -> list[dict]:
    from .. import engine

    eng = engine.open(args.db)
    date = args.date or eng.as_of
    answers = []
    for key in args.keys:
        bound, reasons = eng.check(key, args.domain, date)
        rows = reasons.rename(columns={"trigger_source": "source", "trigger_rid": "rid"})
        columns = ["measure", "name", "effect", "basis", "source", "rid", "start", "end", "path"]
        answers.append({"entity": key, "domain": args.domain, "date": date, "bound": bound,
                        "reasons": rows[columns].to_dict("records") if len(rows) else []})
    return answers


def _answers_from_tables(args) -> list[dict]:
    import datetime

    from ..measures_tables import engine_from_tables

    engine = engine_from_tables(args.tables, args.measures)
    date = args.date or datetime.date.today().isoformat()
    answers = []
    for key in args.keys:
        yes, reasons = engine.check(key, args.domain, date)
        answers.append({"entity": key, "domain": args.domain, "date": date, "bound": yes,
                        "reasons": reasons[["measure", "effect", "source", "rid", "start", "end",
                                            "path"]].to_dict("records")})
    return answers


def run(args) -> int:
    from ..errors import InputError

    if not args.db and not args.tables:
        raise InputError("give --db DB (a database built by `creditgraph build`) or --tables DIR")
    answers = _answers_from_db(args) if args.db else _answers_from_tables(args)
    lines = []
    for answer in answers:
        lines.append(f"{answer['entity']}: {'YES' if answer['bound'] else 'no'} "
                     f"({answer['domain']} on {answer['date']})")
        for reason in answer["reasons"]:
            lines.append(f"  {reason['measure']} {reason['start']}..{reason['end'] or 'open'} "
                         f"trigger {reason['source']}/{reason['rid']}: {reason['path']}")
            if reason.get("basis"):
                lines.append(f"    basis: {reason['basis']}")
    emit(args, answers, "\n".join(lines))
    return 0
