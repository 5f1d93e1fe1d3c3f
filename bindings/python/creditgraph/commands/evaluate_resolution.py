"""``creditgraph evaluate-resolution --db DB --truth DIR/truth``: accuracy of the database's entity
resolution against a generator's ground truth (catalog.md §6): pairwise precision, recall, F1 and
B-cubed, separately for organizations and persons."""
from __future__ import annotations

from ._common import add_json_flag, emit


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "evaluate-resolution", help="pairwise precision/recall/F1 and B-cubed against truth/")
    parser.add_argument("--db", required=True, help="database folder (resolved, or it is resolved first)")
    parser.add_argument("--truth", required=True, help="the data set's truth/ folder")
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    import pandas as pd

    from .. import engine
    from ..resolve import evaluate

    eng = engine.open(args.db)
    if eng.stage_status()["resolve"] == "not run":
        eng.resolve()
    table = evaluate(eng.mentions(), args.truth)
    columns = ["mentions", "precision", "recall", "f1", "bcubed_precision", "bcubed_recall", "bcubed_f1"]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        emit(args, table[columns].reset_index(), table[columns].round(5).to_string())
    return 0
