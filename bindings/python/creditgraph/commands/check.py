"""``creditgraph check --tables DIR --domain D [--date DATE] KEY...``: is each entity bound by a
measure of domain D on the date, and why (measures.md §5)."""
from __future__ import annotations

import datetime
import json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "check", help="is an entity bound by a measure in a domain on a date, and why",
        description="Answers check(entity, domain, date) of measures.md §5 with the reasons: "
                    "measure, trigger (source, rid) and the path from the violation.")
    parser.add_argument("keys", nargs="+", metavar="KEY", help="entity id(s)")
    parser.add_argument("--tables", required=True, help="folder of resolved tables (CSV)")
    parser.add_argument("--domain", required=True, help="measure domain, e.g. consumption")
    parser.add_argument("--date", "--as-of", dest="date", default=None,
                        help="the date asked (default: today)")
    parser.add_argument("--measures", default=None, help="measures catalog YAML")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from ..measures_tables import engine_from_tables

    engine = engine_from_tables(args.tables, args.measures)
    date = args.date or datetime.date.today().isoformat()
    answers = []
    for key in args.keys:
        yes, reasons = engine.check(key, args.domain, date)
        answers.append({"entity": key, "domain": args.domain, "date": date, "bound": yes,
                        "reasons": reasons[["measure", "effect", "withheld", "source", "rid",
                                            "start", "end", "path"]].to_dict("records")})
    if args.json:
        print(json.dumps(answers, ensure_ascii=False, indent=2))
        return 0
    for answer in answers:
        print(f"{answer['entity']}: {'YES' if answer['bound'] else 'no'} "
              f"({answer['domain']} on {answer['date']})")
        for reason in answer["reasons"]:
            flag = " [withheld]" if reason["withheld"] else ""
            print(f"  {reason['measure']}{flag} {reason['start']}..{reason['end'] or 'open'} "
                  f"trigger {reason['source']}/{reason['rid']}: {reason['path']}")
    return 0
