#!/usr/bin/env python3
# kill -9 of `roster sync` at random moments, then a sync that completes the
# job: nothing lost, nothing duplicated, on either side. The same for
# `roster sync --keep-deletions` after the server lost a whole list and
# most of another: every task goes back there, once. Against Radicale,
# checked with python3-caldav. ROSTER_RANDOM_SEED replays a run. Skipped
# without radicale or python3-caldav.
#
#   test-sync-kill.py ROSTER TESTS-DIR    (TESTS-DIR: tests/)

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

ROSTER, TESTS = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(TESTS, "cli"))
sys.path.insert(0, os.path.join(TESTS, "sync"))

from clitest import check, finish  # noqa: E402
import clitest  # noqa: E402
import radicale_fixture  # noqa: E402

PASSWORD = "pw-kill-8s"
USERS, TASKS = 4, 240


def make_file(path):
    with open(os.path.join(TESTS, "data", "seed-schema.sql")) as f:
        schema = f.read()
    db = sqlite3.connect(path)
    db.executescript(schema)
    db.executemany("INSERT INTO user (id, username) VALUES (?, ?)",
                   [(u, f"user{u}") for u in range(1, USERS + 1)])
    db.executemany("INSERT INTO category (id, name) VALUES (?, ?)", [(1, "home"), (2, "work")])
    db.executemany("INSERT INTO task (id, title, owner_id) VALUES (?, ?, ?)",
                   [(t, f"Task {t}", 1 + t % USERS) for t in range(1, TASKS + 1)])
    db.executemany("INSERT INTO taskcategorylink (task_id, category_id) VALUES (?, ?)",
                   [(t, 1 + t % 2) for t in range(1, TASKS + 1)])
    db.commit()
    db.close()


def local_state(path):
    """{username: sorted titles} of the file."""
    db = sqlite3.connect(path)
    try:
        out = {}
        for name, title in db.execute("SELECT u.username, t.title FROM task t JOIN user u ON u.id = t.owner_id"):
            out.setdefault(name, []).append(title)
        return {k: sorted(v) for k, v in out.items()}
    finally:
        db.close()


def server_state(server):
    """{list name: sorted summaries}, and the (list, UID) pairs seen twice."""
    out, seen, twice = {}, set(), []
    names = []
    for cal in server.client("kai").principal().calendars():
        names.append(cal.name)
        titles = []
        for todo in cal.todos(include_completed=True):
            c = todo.icalendar_component
            uid = str(c["UID"])
            if uid in seen:
                twice.append(uid)
            seen.add(uid)
            titles.append(str(c["SUMMARY"]))
        out[cal.name] = sorted(titles)
    return out, names, twice


def sync_args(db, server, first, *extra):
    args = [ROSTER, "sync", "--db", db, "--password-stdin", *extra]
    return args + (["--server", server.url, "--username", "kai"] if first else [])


def killed_sync(home, db, server, first, delay, *extra):
    p = subprocess.Popen(sync_args(db, server, first, *extra), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, env=clitest.environment(home))
    p.stdin.write((PASSWORD + "\n").encode())
    p.stdin.close()
    time.sleep(delay)
    p.send_signal(signal.SIGKILL)
    return p.wait(timeout=60)


def main():
    if radicale_fixture.skip_unless_available():
        return 77

    seed = int(os.environ.get("ROSTER_RANDOM_SEED", random.randrange(1 << 30)))
    print(f"# ROSTER_RANDOM_SEED={seed}")
    rng = random.Random(seed)
    home = tempfile.mkdtemp(prefix="roster-sync-kill-")
    db = os.path.join(home, "kill.db")
    try:
        make_file(db)
        expected = local_state(db)
        with radicale_fixture.Radicale({"kai": PASSWORD}) as server:
            # The first upload, killed again and again early on, until one
            # ends by itself (a sync that ends before its kill is not
            # counted as killed) or 30 were tried. Each names the account:
            # the first may be killed before it was written (the same
            # account again changes nothing).
            killed = 0
            for i in range(30):
                status = killed_sync(home, db, server, True, rng.uniform(0.02, 0.4))
                killed += status == -signal.SIGKILL
                if status == 0:
                    break
            # Edits, and more kills while they go out.
            conn = sqlite3.connect(db)
            for t in rng.sample(range(1, TASKS + 1), 20):
                conn.execute("UPDATE task SET title = title || ' (edited)' WHERE id = ?", (t,))
            conn.commit()
            conn.close()
            expected = local_state(db)
            for i in range(4):
                killed += killed_sync(home, db, server, False, rng.uniform(0.02, 0.3)) == -signal.SIGKILL
            check(killed >= 4, "the syncs were killed while they worked", f"{killed} killed")

            r = clitest.roster(ROSTER, home, *sync_args(db, server, False)[1:], input=PASSWORD + "\n")
            check(r.returncode == 0, "a sync after the kills completes", r.out + r.err)
            print(f"# the completing sync: {r.out.strip()}")
            check(local_state(db) == expected, "nothing lost or duplicated here")
            there, names, twice = server_state(server)
            check(sorted(names) == sorted(expected), "one list per user there, none twice", names)
            check(not twice, "no task twice there", twice)
            check(there == expected, "the server has every task as it is here",
                  {k: (len(there.get(k, [])), len(v)) for k, v in expected.items()})
            r = clitest.roster(ROSTER, home, *sync_args(db, server, False)[1:], input=PASSWORD + "\n")
            check(r.out.strip() == "0 sent, 0 received, 0 conflicts", "and then there is nothing to do",
                  r.out + r.err)

            # The server loses user1's list and all of user2's tasks; kept,
            # with kills while they go back.
            cals = {c.name: c for c in server.client("kai").principal().calendars()}
            cals["user1"].delete()
            for todo in cals["user2"].todos(include_completed=True):
                todo.delete()
            killed = 0
            for i in range(4):
                killed += killed_sync(home, db, server, False, rng.uniform(0.02, 0.3),
                                      "--keep-deletions") == -signal.SIGKILL
            check(killed >= 1, "the syncs that keep were killed while they worked", f"{killed} killed")
            r = clitest.roster(ROSTER, home, *sync_args(db, server, False, "--keep-deletions")[1:],
                               input=PASSWORD + "\n")
            check(r.returncode == 0, "a sync that keeps completes after the kills", r.out + r.err)
            print(f"# {killed} killed; the completing sync: {r.out.strip()}; {r.err.strip()}")
            check(local_state(db) == expected, "nothing lost or duplicated here after keeping")
            there, names, twice = server_state(server)
            check(sorted(names) == sorted(expected) and not twice and there == expected,
                  "the kept tasks are all back there, once",
                  (names, twice, {k: (len(there.get(k, [])), len(v)) for k, v in expected.items()}))
            r = clitest.roster(ROSTER, home, *sync_args(db, server, False)[1:], input=PASSWORD + "\n")
            check(r.out.strip() == "0 sent, 0 received, 0 conflicts", "and then there is nothing to do again",
                  r.out + r.err)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
