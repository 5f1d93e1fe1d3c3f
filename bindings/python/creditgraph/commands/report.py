"""``creditgraph report``: the credit report (公共信用信息报告) of one entity as an HTML file."""
from __future__ import annotations

import json
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the credit report (公共信用信息报告) of one entity as a self-contained HTML file",
        description="Write the public credit information report of KEY (a USCC, an ID number or an "
                    "entity id) from a built database: basic information, red and black lists, "
                    "penalties, licences, commitments, binding measures with their basis and path, "
                    "the score explained, related parties with a network picture. ID numbers masked.")
    parser.add_argument("key", metavar="KEY", help="USCC, ID number or entity id")
    parser.add_argument("--db", required=True, help="database folder written by `creditgraph build`/`demo`")
    parser.add_argument("--out", required=True, help="HTML file to write")
    parser.add_argument("--hops", type=int, default=2, help="related parties up to this many hops (default 2)")
    parser.add_argument("--no-picture", action="store_true", help="leave out the network picture")
    parser.add_argument("--json", action="store_true", help="print what was written as JSON")
    parser.set_defaults(handler=run)


def run(args) -> int:
    import creditgraph
    from ..errors import InputError
    from ..report import report_data, render_report

    if args.hops < 0:
        raise InputError(f"--hops must be 0 or more, not {args.hops}")
    out = Path(args.out)
    if not out.parent.exists():
        raise InputError(f"cannot write {out}: folder {out.parent} does not exist; create it first")
    engine = creditgraph.open(args.db)
    data = report_data(engine, args.key, hops=args.hops, picture=not args.no_picture)
    out.write_text(render_report(data), encoding="utf-8")
    counts = {section: len(data[section]["rows"]) for section in
              ("lists", "penalties", "licenses", "commitments", "ratings", "restrictions", "related")}
    if args.json:
        print(json.dumps({"out": str(out), "entity_id": data["entity"]["entity_id"],
                          "name": data["entity"]["name"], "as_of": data["as_of"],
                          "sections": [s for s, _ in data["sections"]], "rows": counts,
                          "score": data["score"].get("score"), "grade": data["score"].get("grade"),
                          "bytes": out.stat().st_size}, ensure_ascii=False, default=str))
    else:
        print(f"wrote {out} ({out.stat().st_size:,} bytes): {data['entity']['name']} "
              f"({data['entity']['entity_id']}), as of {data['as_of']}")
    return 0
