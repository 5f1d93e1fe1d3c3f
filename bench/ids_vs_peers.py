"""CreditGraph's identifier validation beside python-stdnum's, on the same codes, same run.

    PYTHONPATH=bindings/python python3 bench/ids_vs_peers.py [--n 1000000] [--runs 3]

Peers: stdnum.cn.uscc.is_valid and stdnum.cn.ric.is_valid, called per code from Python (that
is their API). Ours: creditgraph.ids.check_uscc / check_id_number on the whole list (one C++
call, full DataFrame of parsed fields), on one core (threads=1) and on every core; also the raw
extension call without building the DataFrame. Prints the median of the runs, codes/second and
the ratio to stdnum, and how often the two agree on validity (they differ by design where ours
checks more: authority/type tables and the embedded organization code).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import time

from creditgraph import _core, ids

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]


def make_codes(n: int, seed: int = 1):
    rng = random.Random(seed)
    table = ids.divisions()
    counties = table[(table.level == "county") & table.current].code.tolist()
    usccs, id_numbers = [], []
    for index in range(n):
        body = "".join(rng.choice(ALPHABET) for _ in range(8))
        total = sum(int(c, 36) * w for c, w in zip(body, ORG_WEIGHTS))
        check = {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
        first17 = rng.choice(["91", "92", "93", "12", "52"]) + rng.choice(counties) + body + check
        total = sum(ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
        code = first17 + ALPHABET[(31 - total % 31) % 31]
        if index % 10 == 0:  # one in ten mistyped
            position = rng.randrange(18)
            code = code[:position] + rng.choice(ALPHABET) + code[position + 1:]
        usccs.append(code)
        first17 = (f"{rng.choice(counties)}{rng.randint(1940, 2005)}{rng.randint(1, 12):02d}"
                   f"{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}")
        code = first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]
        if index % 10 == 0:
            code = code[:-1] + str((int(code[-1]) + 1) % 10 if code[-1] != "X" else 0)
        id_numbers.append(code)
    return usccs, id_numbers


def median_seconds(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--agreement-n", type=int, default=20000,
                        help="codes on which validity agreement is counted (stdnum is slow)")
    parser.add_argument("--peer-runs", type=int, default=None,
                        help="runs for python-stdnum (default: --runs; it is slow)")
    args = parser.parse_args()
    from stdnum.cn import ric, uscc

    print(f"generating {args.n:,} USCCs and {args.n:,} ID numbers (10% mistyped) ...")
    usccs, id_numbers = make_codes(args.n)
    today = time.strftime("%Y-%m-%d")
    cases = {
        "USCC": (
            lambda: [uscc.is_valid(code) for code in usccs],
            [
                ("check_uscc (DataFrame, 1 core)", lambda: ids.check_uscc(usccs, threads=1)),
                ("check_uscc (DataFrame, all cores)", lambda: ids.check_uscc(usccs)),
                ("_core.ids.check_uscc (columns, 1 core)",
                 lambda: _core.ids.check_uscc(usccs, threads=1)),
            ],
            lambda k: (ids.check_uscc(usccs[:k]).status == "valid").tolist(),
            lambda k: [uscc.is_valid(code) for code in usccs[:k]],
        ),
        "ID number": (
            lambda: [ric.is_valid(code) for code in id_numbers],
            [
                ("check_id_number (DataFrame, 1 core)",
                 lambda: ids.check_id_number(id_numbers, today=today, threads=1)),
                ("check_id_number (DataFrame, all cores)",
                 lambda: ids.check_id_number(id_numbers, today=today)),
                ("_core.ids.check_id_number (columns, 1 core)",
                 lambda: _core.ids.check_id_number(id_numbers, today=today, threads=1)),
            ],
            lambda k: (ids.check_id_number(id_numbers[:k], today=today).status == "valid")
            .tolist(),
            lambda k: [ric.is_valid(code) for code in id_numbers[:k]],
        ),
    }
    print(f"cores: {os.cpu_count()}, runs: {args.runs} (median), "
          f"python-stdnum runs: {args.peer_runs or args.runs}")
    for name, (peer, ours, our_valid, peer_valid) in cases.items():
        peer_time = median_seconds(peer, args.peer_runs or args.runs)
        print(f"\n{name}: {args.n:,} codes")
        print(f"  {'python-stdnum is_valid (per code)':45s} {peer_time:8.3f} s "
              f"{args.n / peer_time / 1e6:8.2f} M/s   1.0x")
        for label, function in ours:
            our_time = median_seconds(function, args.runs)
            print(f"  {'creditgraph ' + label:45s} {our_time:8.3f} s "
                  f"{args.n / our_time / 1e6:8.2f} M/s {peer_time / our_time:6.1f}x")
        count = min(args.agreement_n, args.n)
        agree = sum(a == b for a, b in zip(our_valid(count), peer_valid(count)))
        print(f"  agreement on validity: {agree:,} of the first {count:,}")
    print("\n(stdnum.cn.ric also requires the birth place to have existed at the birth date, from\n"
          " its history database; CreditGraph checks the current table and flags retired or\n"
          " unknown codes as warnings, so ID-number validity differs by design.)")


if __name__ == "__main__":
    main()
