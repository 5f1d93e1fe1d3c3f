"""``creditgraph show --db DB KEY``: an entity, its score explained indicator by indicator, and the
measures binding it (ID numbers masked)."""
from __future__ import annotations

from ._common import add_json_flag, emit


def register(sub) -> None:
    parser = sub.add_parser("show", help="an entity with its score explanation and restrictions")
    parser.add_argument("key", help="USCC, organization code, registration number, ID number or entity id")
    parser.add_argument("--db", required=True, help="database folder")
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from .. import engine
    from ..errors import InputError

    eng = engine.open(args.db)
    entity = eng.entity(args.key)
    payload = {"entity": entity}
    lines = [f"{entity['name']}  [{entity['kind']}]  {entity['entity_id']}",
             f"  USCC {entity['uscc'] or '-'}   ID {entity['id_no'] or '-'}   region {entity['region'] or '-'}"]
    try:
        explanation = eng.explain(args.key)
    except InputError:
        explanation = None
    if explanation is not None:
        attrs = explanation.attrs
        payload["score"] = {**{k: attrs[k] for k in ("score", "grade", "class", "inspection_rate", "veto")},
                            "lines": explanation.to_dict(orient="records")}
        lines.append(f"score {attrs['score']:.1f}  grade {attrs['grade']}  class {attrs['class']}  "
                     f"inspection rate {attrs['inspection_rate']:.0%}" + (f"  veto: {attrs['veto']}" if attrs["veto"] else ""))
        for row in explanation.itertuples():
            lines.append(f"  {row.dimension:<14} {row.indicator:<28} value {row.value:>10.4g}  "
                         f"points {row.points:>5.1f} × {row.weight:<4g} = {row.contribution:>7.1f}")
    why = eng.why(args.key)
    payload["restrictions"] = why.to_dict(orient="records")
    lines.append(f"bound on {eng.as_of} by {len(why)} restriction(s)")
    for row in why.itertuples():
        lines.append(f"  {row.measure} [{row.domain}] {row.start}..{row.end or 'open'}: {row.path}")
        lines.append(f"    basis: {row.basis}")
    emit(args, payload, "\n".join(lines))
    return 0
