#!/usr/bin/env python3
"""Memory benchmark (issue 9): the service's resident memory through a send, under named variants of
its environment, alternating on one smtp-sink. For each run: VmRSS and VmHWM (peak) of the process
when started, after the import and after the send, and the send's speed.

usage: python3 bench/memory_bench.py [--runs 3] [--count 20000] [--connections 8]
           [--variant NAME=KEY:VALUE,KEY:VALUE ...]     (no --variant: just "default")
e.g.   --variant default= --variant conserve=DOTNET_GCConserveMemory:5
Run bench/setup.sh first. Raw results go to bench/work/.
"""
import argparse, json, os, statistics, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from send_bench import ROOT, service, start_sink  # noqa: E402


def status_kb(pid):
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                values[key] = int(rest.split()[0]) // 1024
    return values


def parse_variant(text):
    name, _, pairs = text.partition("=")
    env = dict(pair.split(":", 1) for pair in pairs.split(",") if pair)
    return name, env


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--variant", action="append", default=[])
    args = parser.parse_args()
    variants = dict(parse_variant(v) for v in args.variant) or {"default": {}}

    results = {name: [] for name in variants}
    sink, port = start_sink()
    try:
        for run in range(args.runs):
            order = list(variants) if run % 2 == 0 else list(reversed(variants))
            for name in order:
                seen = {}
                r = service(port, args.connections, args.count, extra_env=variants[name],
                            marks=lambda pid, moment: seen.__setitem__(moment, status_kb(pid)))
                r.update(marks=seen, rate=args.count / r["seconds"])
                results[name].append(r)
                print(f"run {run + 1} {name:12} {r['seconds']:6.2f} s {r['rate']:6.0f} msg/s  RSS started "
                      f"{seen['started']['VmRSS']} imported {seen['imported']['VmRSS']} sent {seen['sent']['VmRSS']} MB,"
                      f" (anon {seen['sent']['RssAnon']}, files {seen['sent']['RssFile']}), peak {seen['sent']['VmHWM']} MB", flush=True)
    finally:
        sink.terminate()

    print(f"\n{args.count} messages, {args.connections} connections, medians of {args.runs} alternating runs")
    first = next(iter(variants))
    speed = lambda name: statistics.median(r["rate"] for r in results[name])
    for name, rs in results.items():
        peak = statistics.median(r["marks"]["sent"]["VmHWM"] for r in rs)
        print(f"{name:12} peak {peak:5.0f} MB  {speed(name):6.0f} msg/s  speed vs {first}: {speed(name) / speed(first):.2f}x")
    out = os.path.join(ROOT, "bench", "work", f"memory-{args.count}-{int(time.time())}.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    json.dump({"count": args.count, "variants": variants, "results": results}, open(out, "w"), indent=1)
    print(f"raw results: {out}")


if __name__ == "__main__":
    sys.exit(main())
