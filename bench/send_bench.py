#!/usr/bin/env python3
"""Send benchmark: the service against Postfix's smtp-sink, with smtp-source and nodemailer as
baselines on the same sink, connections, message size and count, in alternating runs.

usage: python3 bench/send_bench.py [--runs 5] [--count 100000] [--connections 8] [--sides service,...] [--rate 14]
       [--baseline path/to/an/older/build/Newsletter.Api.dll]   (adds the side "baseline": that build, same run)
       [--mixed]   (issue 9's readers: 30% topics, 10% weekly with the day's weekly digest, 20% with votes)
       [--dkim rsa,ed25519]   (adds the sides "service+dkim-rsa"/"service+dkim-ed25519": the same service
                               signing every message with a new key of that kind, made by dkim-keygen)
Run bench/setup.sh first. Prints a table of medians and ratios; raw results go to bench/work/.
"""
import argparse, json, os, socket, sqlite3, statistics, subprocess, sys, tempfile, time, urllib.request
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = os.path.join(ROOT, "bench", "tools")
POSTFIX = os.path.join(TOOLS, "postfix", "usr", "sbin")
ENV_POSTFIX = dict(os.environ, LD_LIBRARY_PATH=os.path.join(TOOLS, "postfix", "usr", "lib", "postfix"))
SERVICE_DLL = os.path.join(ROOT, "src", "Newsletter.Api", "bin", "Release", "net10.0", "Newsletter.Api.dll")
ADMIN_KEY = "bench-admin-key-0123456789"  # at least 16 characters, as the service requires
DKIM_DOMAIN = "bench.example.org"
# With --dkim every service side sends from the signing domain, so signed and unsigned mail differ only by the signature.
DKIM_FROM = {"Newsletter__From": f"Daily Papers <papers@{DKIM_DOMAIN}>"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_sink():
    port = free_port()
    sink = subprocess.Popen([os.path.join(POSTFIX, "smtp-sink"), "-u", "nobody", "-c", f"127.0.0.1:{port}", "1000"],
                            env=ENV_POSTFIX, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return sink, port
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("smtp-sink did not start")


def smtp_source(port, connections, count, size):
    started = time.perf_counter()
    subprocess.run([os.path.join(POSTFIX, "smtp-source"), "-s", str(connections), "-l", str(size), "-m", str(count),
                    f"127.0.0.1:{port}"], env=ENV_POSTFIX, check=True, stdout=subprocess.DEVNULL)
    return {"seconds": time.perf_counter() - started}


def nodemailer(port, connections, count, message):
    out = subprocess.run(["node", os.path.join(ROOT, "bench", "nodemailer-send.mjs"), str(port), str(connections), str(count), message],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def request(base, method, path, body=None, content_type="application/json"):
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Authorization": f"Bearer {ADMIN_KEY}", "Content-Type": content_type})
    with urllib.request.urlopen(req, timeout=600) as response:
        return json.loads(response.read() or b"null")


def peak_rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])


# Research topics that the seed day's titles and abstracts use often: a reader with two or three
# of them still gets a full mail most days, so messages stay the size smtp-source is given.
TOPICS = ["language", "vision", "attention", "image", "inference", "transformer", "generation", "tokens",
          "visual", "reasoning", "training", "video"]


def shape_readers(db, count):
    """The issue's mix, written straight into the fresh database after the import: 30% with topics,
    10% weekly, 20% with five votes (on the seed day's papers)."""
    import random
    rnd = random.Random(9)
    with sqlite3.connect(db, timeout=60) as conn:
        papers = [row[0] for row in conn.execute("SELECT id FROM papers")]
        ids = [row[0] for row in conn.execute("SELECT id FROM subscribers ORDER BY id")]
        conn.executemany("UPDATE subscribers SET topics = ? WHERE id = ?",
                         [(json.dumps(rnd.sample(TOPICS, rnd.randint(2, 3))), i) for i in ids if i % 10 in (0, 1, 2)])
        conn.executemany("UPDATE subscribers SET frequency = 'weekly' WHERE id = ?", [(i,) for i in ids if i % 10 == 3])
        conn.executemany("INSERT INTO votes (subscriber_id, paper_id, vote, at) VALUES (?, ?, ?, '2026-05-19T00:00:00Z')",
                         [(i, paper, rnd.choice((1, 1, -1))) for i in ids if i % 5 == 4 for paper in rnd.sample(papers, 5)])
    return len(ids)


def cpu_seconds(pid):
    """User + system CPU the process has used: on a shared machine a steadier measure than the wall clock."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reset_peak_rss(pid):
    """From here VmHWM is the peak of what follows (Linux: 5 to clear_refs resets it)."""
    with open(f"/proc/{pid}/clear_refs", "w") as refs:
        refs.write("5")


def service(port, connections, count, rate=0, dll=SERVICE_DLL, extra_env=None, marks=None, mixed=False):
    """Fresh database, N imported subscribers, the seed day's digest: trigger to last ledger row.
    mixed: readers shaped as in issue 9, and the weekly digest of the day for the weekly ones too.
    extra_env: more environment for the service; marks(pid, moment): called at started, imported, sent."""
    marks = marks or (lambda pid, moment: None)
    work = tempfile.mkdtemp(prefix="newsletter-bench-")
    db = os.path.join(work, "newsletter.db")
    http_port = free_port()
    env = dict(os.environ,
               ConnectionStrings__Newsletter=f"Data Source={db}", Newsletter__AdminApiKey=ADMIN_KEY,
               Smtp__Host="127.0.0.1", Smtp__Port=str(port), Smtp__Security="None", Smtp__MaxConnections=str(connections),
               Smtp__MessagesPerSecond=str(rate),
               PaperSources__HuggingFace__Enabled="false", Logging__LogLevel__Default="Warning", **(extra_env or {}))
    proc = subprocess.Popen(["dotnet", dll, "--urls", f"http://127.0.0.1:{http_port}"], cwd=work, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        marks(proc.pid, "started")
        csv = "email\n" + "".join(f"reader{i:06d}@example.org\n" for i in range(count))
        t = time.perf_counter()
        imported = request(base, "POST", "/api/admin/subscribers/import", csv, "text/csv")
        import_seconds = time.perf_counter() - t
        assert imported["imported"] == count, imported
        if mixed:
            shape_readers(db, count)
        marks(proc.pid, "imported")
        process_peak_before = peak_rss_kb(proc.pid)
        reset_peak_rss(proc.pid)
        cpu_before = cpu_seconds(proc.pid)

        editions = ["daily", "weekly"] if mixed else ["daily"]
        digests = [request(base, "POST", "/api/admin/digests", json.dumps({"date": "2026-05-20", "edition": e})) for e in editions]
        done = []
        for digest in digests:
            while True:
                status = request(base, "GET", f"/api/admin/digests/{digest['id']}")
                if status["status"] in ("sent", "failed"):
                    break
                time.sleep(0.05)
            assert status["status"] == "sent", status
            done.append(status)
        assert sum(s["sent"] + s["skipped"] for s in done) == count, done
        cpu = cpu_seconds(proc.pid) - cpu_before
        marks(proc.pid, "sent")
        rss = peak_rss_kb(proc.pid)
        process_rss = max(rss, process_peak_before)
    finally:
        proc.terminate()
        proc.wait()
    with sqlite3.connect(db) as conn:
        created, first, last = conn.execute(
            "SELECT min(d.created_at), min(l.finished_at), max(l.finished_at) FROM digests d JOIN deliveries l ON l.digest_id = d.id").fetchone()
        columns = [row[1] for row in conn.execute("PRAGMA table_info(deliveries)")]
        if "papers" in columns:
            sent, papers = conn.execute("SELECT count(*), coalesce(sum(length(papers) - length(replace(papers, ',', '')) + 1), 0)"
                                        " FROM deliveries WHERE status = 'sent'").fetchone()
        else:  # a build from before readers chose: everyone got the whole digest
            sent = conn.execute("SELECT count(*) FROM deliveries WHERE status = 'sent'").fetchone()[0]
            papers = sent * conn.execute("SELECT count(*) FROM digest_papers").fetchone()[0]
    at = lambda text: datetime.fromisoformat(text.replace("Z", "+00:00"))
    seconds = (at(last) - at(created)).total_seconds()
    # The rate the relay saw: messages after the first, over the time from the first to the last.
    sending_rate = (count - 1) / max((at(last) - at(first)).total_seconds(), 1e-9)
    return {"seconds": seconds, "import_seconds": import_seconds, "peak_rss_mb": rss / 1024, "process_peak_rss_mb": process_rss / 1024,
            "sending_rate": sending_rate, "sent": sent, "papers_per_mail": papers / max(sent, 1), "cpu_us_per_mail": cpu * 1e6 / max(sent, 1)}


def dkim_sides(algorithms, dll):
    """One new key per algorithm from the service's own dkim-keygen, in a temporary folder: side name -> environment."""
    keys = tempfile.mkdtemp(prefix="newsletter-bench-dkim-")
    sides = {}
    for algorithm in algorithms:
        printed = subprocess.run(["dotnet", dll, "dkim-keygen", "--domain", DKIM_DOMAIN, "--selector", "bench", "--algorithm", algorithm],
                                 check=True, capture_output=True, text=True).stdout
        end = "-----END PRIVATE KEY-----"
        path = os.path.join(keys, f"{algorithm}.pem")
        with open(path, "w") as key:
            key.write(printed[printed.index("-----BEGIN PRIVATE KEY-----"):printed.index(end) + len(end)] + "\n")
        sides[f"service+dkim-{algorithm}"] = dict(DKIM_FROM, Dkim__Domain=DKIM_DOMAIN, Dkim__Selector="bench", Dkim__PrivateKeyPath=path)
    return sides


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--sides", default="service,smtp-source,nodemailer")
    parser.add_argument("--rate", type=float, default=0, help="Smtp__MessagesPerSecond for the service (0: no cap)")
    parser.add_argument("--baseline", help="an older build's Newsletter.Api.dll, run as the side 'baseline' in the same runs")
    parser.add_argument("--mixed", action="store_true", help="issue 9's readers: 30%% topics, 10%% weekly, 20%% with votes")
    parser.add_argument("--dkim", help="rsa, ed25519 or rsa,ed25519: adds a side 'service+dkim-ALG' per algorithm, the service"
                                       " DKIM-signing every message (RSA 2048 bits); its speed is reported against 'service'")
    args = parser.parse_args()

    work = os.path.join(ROOT, "bench", "work")
    os.makedirs(work, exist_ok=True)
    message = os.path.join(work, "digest-2026-05-20.eml")
    subprocess.run(["dotnet", "run", "-c", "Release", "--no-build", "--project", os.path.join(ROOT, "bench", "Newsletter.Bench"),
                    "--", "render", "100", message], check=True, stdout=subprocess.DEVNULL)
    size = os.path.getsize(message)
    dkim = dkim_sides(args.dkim.split(","), SERVICE_DLL) if args.dkim else {}
    sides = args.sides.split(",") + (["baseline"] if args.baseline else []) + list(dkim)
    results = {side: [] for side in sides}
    sink, port = start_sink()
    try:
        for run in range(args.runs):
            order = sides if run % 2 == 0 else list(reversed(sides))
            for side in order:
                if side == "service":
                    r = service(port, args.connections, args.count, args.rate, extra_env=DKIM_FROM if dkim else None, mixed=args.mixed)
                elif side in dkim:
                    r = service(port, args.connections, args.count, args.rate, extra_env=dkim[side], mixed=args.mixed)
                elif side == "baseline":
                    # The same readers as the service side: a baseline older than issue 9 (no preferences)
                    # must be run without --mixed, or its import refuses the readers' settings.
                    r = service(port, args.connections, args.count, args.rate, args.baseline, mixed=args.mixed)
                elif side == "smtp-source":
                    r = smtp_source(port, args.connections, args.count, size)
                else:
                    r = nodemailer(port, args.connections, args.count, message)
                r["rate"] = args.count / r["seconds"]
                results[side].append(r)
                print(f"run {run + 1} {side:12} {r['seconds']:7.2f} s  {r['rate']:7.0f} msg/s" +
                      (f"  import {r['import_seconds']:.2f} s  peak RSS in the send {r['peak_rss_mb']:.0f} MB (process {r['process_peak_rss_mb']:.0f} MB)"
                       f"  relay saw {r['sending_rate']:.2f} msg/s  sent {r['sent']}, {r['papers_per_mail']:.1f} papers a mail"
                       f"  CPU {r['cpu_us_per_mail']:.0f} us a mail"
                       if side in ("service", "baseline") or side in dkim else ""),
                      flush=True)
    finally:
        sink.terminate()

    print(f"\n{args.count} messages of {size} bytes, {args.connections} connection(s), median of {args.runs} alternating runs")
    med = {side: statistics.median(r["seconds"] for r in rs) for side, rs in results.items()}
    for side, seconds in med.items():
        print(f"{side:12} median {seconds:7.2f} s  {args.count / seconds:7.0f} msg/s")
    if "service" in med:
        for side in (s for s in med if s != "service" and s not in dkim):
            print(f"service vs {side}: {med[side] / med['service']:.2f}x")
        cpu = lambda side: statistics.median(r["cpu_us_per_mail"] for r in results[side])
        for side in (s for s in med if s in dkim):
            print(f"{side} speed / service speed: {med['service'] / med[side]:.2f}x;"
                  f" CPU a mail {cpu(side):.0f} us against {cpu('service'):.0f} us (+{cpu(side) - cpu('service'):.0f} us for signing)")
        if "baseline" in results:
            rss = lambda side: statistics.median(r["peak_rss_mb"] for r in results[side])
            print(f"peak RSS service / baseline: {rss('service') / rss('baseline'):.2f}x")
        print(f"service import median {statistics.median(r['import_seconds'] for r in results['service']):.2f} s,"
              f" peak RSS in the send median {statistics.median(r['peak_rss_mb'] for r in results['service']):.0f} MB,"
              f" whole process {statistics.median(r['process_peak_rss_mb'] for r in results['service']):.0f} MB")
    out = os.path.join(work, f"send-{args.count}-{args.connections}-{int(time.time())}.json")
    json.dump({"count": args.count, "connections": args.connections, "size": size, "results": results}, open(out, "w"), indent=1)
    print(f"raw results: {out}")


if __name__ == "__main__":
    sys.exit(main())
