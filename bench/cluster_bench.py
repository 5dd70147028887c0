#!/usr/bin/env python3
"""Cluster benchmark (issue 12): one digest to N readers, sent by SQLite with one instance and by
PostgreSQL with one, two and three instances sharing the database, against one smtp-sink, in
alternating runs. On a 2-core machine the wall time says little about more instances; what this
measures is the cost of a message: CPU of the service processes and of PostgreSQL, and database
statements per delivery.

usage: python3 bench/cluster_bench.py [--runs 3] [--subscribers 20000] [--connections 4]
       [--configs sqlite-1,postgres-1,postgres-2,postgres-3] [--durable]
Needs bench/tools/postfix (bench/setup.sh) and a Release build (dotnet build -c Release src/Newsletter.Api).
Starts its own PostgreSQL 15 (initdb in a temporary folder, as the postgres user when run as root, a
free port, pg_stat_statements loaded) and stops it at the end. Raw results go to bench/work/.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time, urllib.request
from send_bench import ADMIN_KEY, SERVICE_DLL, ROOT, cpu_seconds, free_port, start_sink

PG_BIN = "/usr/lib/postgresql/15/bin"
AS_POSTGRES = os.geteuid() == 0
SEED_DATE = "2026-05-20"


def as_postgres(command):
    return ["runuser", "-u", "postgres", "--"] + command if AS_POSTGRES else command


class Postgres:
    """A throwaway server: trust authentication on 127.0.0.1, statements counted by pg_stat_statements."""

    def __init__(self, durable):
        self.folder = tempfile.mkdtemp(prefix="pg-bench-", dir="/tmp")
        self.data = os.path.join(self.folder, "data")
        self.port = free_port()
        if AS_POSTGRES:
            shutil.chown(self.folder, "postgres", "postgres")
        subprocess.run(as_postgres([f"{PG_BIN}/initdb", "-D", self.data, "-U", "bench", "-A", "trust", "-E", "UTF8",
                                    "--locale=C.UTF-8"]), check=True, stdout=subprocess.DEVNULL, cwd=self.folder)
        # synchronous_commit off unless --durable: the same promise as the service's SQLite (WAL,
        # synchronous=NORMAL): a crash may lose the last commits, never corrupt.
        with open(os.path.join(self.data, "postgresql.conf"), "a") as conf:
            conf.write(f"\nlisten_addresses = '127.0.0.1'\nport = {self.port}\nunix_socket_directories = '{self.folder}'\n"
                       f"max_connections = 400\nshared_buffers = 256MB\nshared_preload_libraries = 'pg_stat_statements'\n"
                       f"pg_stat_statements.track = all\nsynchronous_commit = {'on' if durable else 'off'}\n")
        subprocess.run(as_postgres([f"{PG_BIN}/pg_ctl", "start", "-D", self.data, "-l", os.path.join(self.folder, "log"), "-w"]),
                       check=True, stdout=subprocess.DEVNULL, cwd=self.folder)
        self.sql("postgres", "CREATE EXTENSION pg_stat_statements")

    def sql(self, database, statement):
        out = subprocess.run([f"{PG_BIN}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "bench", "-d", database,
                              "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", statement], check=True, capture_output=True, text=True)
        return out.stdout.strip()

    def connection_string(self, database):
        return f"Host=127.0.0.1;Port={self.port};Username=bench;Database={database};Maximum Pool Size=50"

    def cpu_seconds(self):
        """The server's CPU: the postmaster, its live children, and (cutime/cstime) the children it has reaped."""
        with open(os.path.join(self.data, "postmaster.pid")) as pid_file:
            postmaster = int(pid_file.readline())
        total = 0.0
        for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
            try:
                with open(f"/proc/{pid}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            if int(pid) == postmaster:
                total += own + (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")
            elif int(fields[1]) == postmaster:
                total += own
        return total

    def stop(self):
        subprocess.run(as_postgres([f"{PG_BIN}/pg_ctl", "stop", "-D", self.data, "-m", "fast", "-w"]),
                       stdout=subprocess.DEVNULL, cwd=self.folder)
        shutil.rmtree(self.folder, ignore_errors=True)


def request(base, method, path, body=None, content_type="application/json"):
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Authorization": f"Bearer {ADMIN_KEY}", "Content-Type": content_type})
    with urllib.request.urlopen(req, timeout=600) as response:
        return json.loads(response.read() or b"null")


def start_instance(database_env, smtp_port, connections):
    work = tempfile.mkdtemp(prefix="newsletter-cluster-bench-")
    http_port = free_port()
    env = dict(os.environ, Newsletter__AdminApiKey=ADMIN_KEY, Smtp__Host="127.0.0.1", Smtp__Port=str(smtp_port),
               Smtp__Security="None", Smtp__MaxConnections=str(connections), PaperSources__HuggingFace__Enabled="false",
               Digest__Cron="0 0 8 1 1 ? 2099", Logging__LogLevel__Default="Warning", **database_env(work))
    proc = subprocess.Popen(["dotnet", SERVICE_DLL, "--urls", f"http://127.0.0.1:{http_port}"], cwd=work, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{http_port}", work


def wait_healthy(proc, base):
    for _ in range(600):
        if proc.poll() is not None:
            raise RuntimeError(f"an instance exited with {proc.returncode}")
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("an instance did not become healthy")


def run_config(config, pg, smtp_port, connections, subscribers, seq):
    engine, count = config.split("-")
    count = int(count)
    database = f"bench_{seq}"
    if engine == "postgres":
        pg.sql("postgres", f"CREATE DATABASE {database}")
        database_env = lambda work: {"Database__Provider": "Postgres", "ConnectionStrings__Newsletter": pg.connection_string(database)}
    else:
        database_env = lambda work: {"ConnectionStrings__Newsletter": f"Data Source={os.path.join(work, 'newsletter.db')}"}
    instances = []
    try:
        # The first alone (it migrates and imports the seed papers), then the others together.
        instances.append(start_instance(database_env, smtp_port, connections))
        wait_healthy(instances[0][0], instances[0][1])
        instances += [start_instance(database_env, smtp_port, connections) for _ in range(count - 1)]
        for proc, base, _ in instances[1:]:
            wait_healthy(proc, base)
        first = instances[0][1]
        csv = "email\n" + "".join(f"reader{i:06d}@example.org\n" for i in range(subscribers))
        assert request(first, "POST", "/api/admin/subscribers/import", csv, "text/csv")["imported"] == subscribers
        if engine == "postgres":
            time.sleep(1.5)  # the import's statistics reach pg_stat_database within a second
            pg.sql("postgres", "SELECT pg_stat_statements_reset()")
            commits_before = int(pg.sql(database, f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{database}'"))
            pg_cpu_before = pg.cpu_seconds()
        cpu_before = sum(cpu_seconds(proc.pid) for proc, _, _ in instances)

        started = time.perf_counter()
        digest = request(first, "POST", "/api/admin/digests", json.dumps({"date": SEED_DATE}))
        while True:
            status = request(first, "GET", f"/api/admin/digests/{digest['id']}")
            if status["status"] in ("sent", "failed"):
                break
            # Not faster: on PostgreSQL each status counts the whole ledger, which would show in
            # the database's CPU and statements per delivery as if the send cost it.
            time.sleep(0.25)
        seconds = time.perf_counter() - started
        assert status["status"] == "sent" and status["sent"] == subscribers, status
        result = {"config": config, "seconds": seconds, "rate": subscribers / seconds,
                  "service_cpu": sum(cpu_seconds(proc.pid) for proc, _, _ in instances) - cpu_before,
                  "shares": [part["sent"] for part in status.get("instances") or []]}
        if engine == "postgres":
            result["pg_cpu"] = pg.cpu_seconds() - pg_cpu_before
            result["statements"] = int(pg.sql("postgres", "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements"
                                                        f" WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '{database}')"))
            time.sleep(1.5)
            result["commits"] = int(pg.sql(database, f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{database}'")) - commits_before
        return result
    finally:
        for proc, _, work in instances:
            proc.terminate()
        for proc, _, work in instances:
            proc.wait()
            shutil.rmtree(work, ignore_errors=True)
        if engine == "postgres":
            pg.sql("postgres", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def describe(r, subscribers):
    total_cpu = r["service_cpu"] + r.get("pg_cpu", 0)
    text = (f"{r['config']:11} {r['seconds']:6.2f} s {r['rate']:6.0f} msg/s  service CPU {r['service_cpu']:6.2f} s")
    if "pg_cpu" in r:
        text += (f"  postgres CPU {r['pg_cpu']:6.2f} s  {total_cpu * 1000 / subscribers:.3f} ms CPU/msg"
                 f"  {r['statements'] / subscribers:.3f} statements/msg  {r['commits'] / subscribers:.3f} commits/msg")
    else:
        text += f"  {'':21}  {total_cpu * 1000 / subscribers:.3f} ms CPU/msg"
    return text + (f"  shares {r['shares']}" if r["shares"] else "")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--subscribers", type=int, default=20_000)
    parser.add_argument("--connections", type=int, default=4, help="Smtp__MaxConnections of each instance")
    parser.add_argument("--configs", default="sqlite-1,postgres-1,postgres-2,postgres-3")
    parser.add_argument("--durable", action="store_true", help="PostgreSQL with synchronous_commit on")
    args = parser.parse_args()
    if not os.path.exists(SERVICE_DLL):
        sys.exit(f"{SERVICE_DLL} is missing: dotnet build -c Release src/Newsletter.Api")

    configs = args.configs.split(",")
    results = {c: [] for c in configs}
    pg = Postgres(args.durable)
    sink, port = start_sink()
    seq = 0
    try:
        for run in range(args.runs):
            for config in configs if run % 2 == 0 else list(reversed(configs)):
                seq += 1
                r = run_config(config, pg, port, args.connections, args.subscribers, seq)
                results[config].append(r)
                print(f"run {run + 1} " + describe(r, args.subscribers), flush=True)
    finally:
        sink.terminate()
        pg.stop()

    print(f"\n{args.subscribers} readers, the seed day's digest, {args.connections} connections per instance,"
          f" medians of {args.runs} alternating runs (synchronous_commit {'on' if args.durable else 'off'})")
    for config, rs in results.items():
        median = {key: statistics.median(r[key] for r in rs) for key in rs[0] if key not in ("config", "shares")}
        print(describe(dict(median, config=config, shares=[]), args.subscribers))
    out = os.path.join(ROOT, "bench", "work", f"cluster-{args.subscribers}-{int(time.time())}.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    json.dump({"subscribers": args.subscribers, "connections": args.connections, "results": results}, open(out, "w"), indent=1)
    print(f"raw results: {out}")


if __name__ == "__main__":
    sys.exit(main())
