#!/usr/bin/python3
# The window's first upload against `roster sync`'s (issue 16): the same
# number of tasks in one list, each uploaded to a fresh local Radicale,
# alternately, in the same run. Prints the medians and Radicale's own time
# for the PUTs.
#
#   roster-window-upload-bench.py BUILDDIR SOURCE-DIR [--tasks 1000] [--users 1] [--runs 3]
#
# The window's side is tests/ui/test-window-sync's /window/sync/first-upload
# (run by `meson test`, under Xvfb with a keyring of its own), which times
# the first sync after signing in; `roster sync`'s side is
# roster-sync-bench.py's file (the seed's schema, no tags) synced with
# --server, timed from start to exit. --users deals the command line's tasks
# out to that many lists (the window's test keeps one).

import argparse
import importlib.util
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile


def load_sync_bench(source):
    spec = importlib.util.spec_from_file_location(
        "roster_sync_bench", os.path.join(source, "bench", "roster-sync-bench.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def put_seconds(log_path):
    with open(log_path) as f:
        return sum(float(x) for x in re.findall(r"PUT response status for .* in ([0-9.]+) seconds", f.read()))


def window_run(build, n_tasks):
    env = dict(os.environ, ROSTER_SYNC_UPLOAD_TASKS=str(n_tasks))
    r = subprocess.run(["meson", "test", "-C", build, "--no-rebuild", "ui-window-sync",
                        "--test-args", "-p /window/sync/first-upload", "-v"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, timeout=3600)
    out = r.stdout.decode(errors="replace")
    m = re.search(r"first upload of \d+ tasks from the window: ([0-9.]+) s; Radicale's answers to "
                  r"its PUTs took ([0-9.]+) s", out)
    if r.returncode != 0 or m is None:
        sys.exit("the window's test failed:\n" + "\n".join(out.splitlines()[-30:]))
    return float(m.group(1)), float(m.group(2))


def cli_run(bench, radicale_fixture, build, source, n_tasks, n_users):
    home = tempfile.mkdtemp(prefix="roster-window-upload-bench-")
    try:
        db = os.path.join(home, "bench.db")
        bench.make_file(db, os.path.join(source, "tests", "data", "seed-schema.sql"), n_tasks, n_users, 0)
        with radicale_fixture.Radicale({"roster": bench.PASSWORD}) as server:
            elapsed, _ = bench.roster(os.path.join(build, "src", "roster"), home, "sync", "--db", db,
                                      "--password-stdin", "--server", server.url, "--username", "roster",
                                      password=bench.PASSWORD)
            return elapsed, put_seconds(server.log_path)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("build")
    p.add_argument("source")
    p.add_argument("--tasks", type=int, default=1000)
    p.add_argument("--users", type=int, default=1)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    sys.path.insert(0, os.path.join(args.source, "tests", "sync"))
    import radicale_fixture
    if not radicale_fixture.available():
        sys.exit("needs radicale and python3-caldav (build-aux/install-deps)")
    bench = load_sync_bench(args.source)

    window, cli = [], []
    for _ in range(args.runs):
        window.append(window_run(args.build, args.tasks))
        cli.append(cli_run(bench, radicale_fixture, args.build, args.source, args.tasks, args.users))
    med = lambda runs, i: statistics.median(r[i] for r in runs)  # noqa: E731
    print(f"{args.tasks} tasks; median of {args.runs} runs, alternately")
    print("| first upload | time | Radicale's time in PUTs (added up over connections) |")
    print("|---|---|---|")
    print(f"| the window, one list | {med(window, 0):.1f} s | {med(window, 1):.1f} s |")
    print(f"| roster sync, {args.users} list(s) | {med(cli, 0):.1f} s | {med(cli, 1):.1f} s |")


if __name__ == "__main__":
    main()
