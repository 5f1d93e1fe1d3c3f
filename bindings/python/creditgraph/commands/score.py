"""``creditgraph score --db DB [--model FILE] [--as-of DATE]``: the composite credit rating of every
organization (scoring.md), stored in the database; prints the grade distribution."""
from __future__ import annotations

from ._common import add_json_flag, emit


def register(sub) -> None:
    parser = sub.add_parser("score", help="score every organization with a scoring model")
    parser.add_argument("--db", required=True, help="database folder")
    parser.add_argument("--model", help="scoring model YAML (default: the one used last, else the shipped one)")
    parser.add_argument("--as-of", dest="as_of", help="score as of this date (default: the model's, else the data set's)")
    parser.add_argument("--by", choices=["city", "industry"], help="also print the grade distribution by city or industry")
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from .. import engine

    eng = engine.open(args.db, progress=not args.json)
    report = eng.score(args.model, args.as_of)
    grades = {k.removeprefix("grade_"): int(v) for k, v in report["figures"].items() if k.startswith("grade_")}
    total = sum(grades.values()) or 1
    lines = [f"scored {int(report['figures']['scored']):,} organizations in {report['seconds']:.2f} s"]
    lines += [f"  {grade}: {count:>10,} ({100 * count / total:.1f}%)" for grade, count in sorted(grades.items())]
    payload = dict(report)
    if args.by:
        table = eng.grade_distribution(args.by)
        lines.append(table.to_string())
        payload["distribution"] = table.reset_index().to_dict(orient="records")
    emit(args, payload, "\n".join(lines))
    return 0
