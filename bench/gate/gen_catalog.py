#!/usr/bin/env python3
"""Writes a deterministic catalog for `tutti import` benchmarks (docs/IMPORT.md format).

    gen_catalog.py --recordings 100000 --out DIR   ->  DIR/catalog.json, DIR/catalog.csv

Same shape as bench/gate/registry_gen.cpp, smaller: labels, publishers, songwriters and
artists; about two recordings per work; a few catalog licenses to one product.
"""
import argparse
import csv
import json
import os
import random


def build(n_recordings, seed):
    rng = random.Random(seed)
    n_works = max(1, n_recordings // 2)
    labels = [f"lab{i}" for i in range(max(1, n_recordings // 500))]
    publishers = [f"pub{i}" for i in range(max(1, n_recordings // 500))]
    writers = [f"wri{i}" for i in range(max(2, n_recordings // 100))]
    artists = [f"art{i}" for i in range(max(1, n_recordings // 100))]
    records = []
    for kind, ids in (("label", labels), ("publisher", publishers),
                      ("songwriter", writers), ("artist", artists)):
        for pid in ids:
            records.append({"type": "party", "id": pid, "kind": kind, "name": "Party " + pid})
    records.append({"type": "party", "id": "prod0", "kind": "product", "name": "Muse AI"})
    for w in range(n_works):
        writer, pub = rng.choice(writers), rng.choice(publishers)
        shares = ([{"party": writer, "percent": "50"}, {"party": pub, "percent": "50"}]
                  if rng.random() < 0.7 else [{"party": pub, "percent": "100"}])
        records.append({"type": "work", "id": f"W{w}", "title": f"Work {w}", "shares": shares})
    for r in range(n_recordings):
        records.append({"type": "recording", "id": f"R{r}", "title": f"Recording {r}",
                        "work": f"W{r * n_works // n_recordings}",
                        "artists": [rng.choice(artists)],
                        "shares": [{"party": rng.choice(labels), "percent": "100"}]})
    for i, holder in enumerate(labels + publishers + writers):
        records.append({"type": "license", "id": f"L{i}", "licensor": holder,
                        "licensee": "prod0", "uses": "train,reference",
                        "territories": "WORLD", "from": "2026-01-01", "catalog": True})
    return records


CSV_COLUMNS = ["type", "id", "kind", "name", "title", "work", "artists", "shares",
               "licensor", "licensee", "uses", "territories", "from", "catalog"]


def csv_row(rec):
    row = dict(rec)
    if "shares" in row:
        row["shares"] = ";".join(f"{s['party']}={s['percent']}" for s in rec["shares"])
    if "artists" in row:
        row["artists"] = ";".join(rec["artists"])
    if "catalog" in row:
        row["catalog"] = "true" if rec["catalog"] else "false"
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--recordings", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20260601)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    records = build(args.recordings, args.seed)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "catalog.json"), "w") as f:
        json.dump(records, f, separators=(",", ":"))
    with open(os.path.join(args.out, "catalog.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_COLUMNS, restval="")
        w.writeheader()
        for rec in records:
            w.writerow(csv_row(rec))
    print(f"{len(records)} records ({args.recordings} recordings) in {args.out}")


if __name__ == "__main__":
    main()
