#!/usr/bin/env python3
# `roster sync` through the real binary against a real Radicale, with
# python3-caldav (Debian's) as the other device: the first upload of a file
# the seed's SQLModel classes wrote, receiving a task, both sides editing
# different fields of one task, and the failures said in a sentence. Skipped
# without radicale, python3-caldav or python3-sqlmodel.
#
#   test-sync-cli.py ROSTER TESTS-DIR    (TESTS-DIR: tests/)

import json
import os
import re
import shutil
import sys
import tempfile

ROSTER, TESTS = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(TESTS, "cli"))
sys.path.insert(0, os.path.join(TESTS, "sync"))
sys.path.insert(0, os.path.join(TESTS, "interop"))

from clitest import check, finish, skip  # noqa: E402
import clitest  # noqa: E402
import radicale_fixture  # noqa: E402

SUMMARY = re.compile(r"^(\d+) sent, (\d+) received, (\d+) conflicts$")


def roster(home, *args, password=None):
    """roster with the password on standard input when given."""
    return clitest.roster(ROSTER, home, *args, input=password + "\n" if password else "")


def counts(r):
    m = SUMMARY.match(r.out.strip())
    return tuple(int(x) for x in m.groups()) if m and r.returncode == 0 else None


def seed_file(path):
    from sqlmodel import Session, SQLModel, create_engine
    from seed_interop import Category, Task, User
    engine = create_engine("sqlite:///" + path)
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        alice, bob = User(username="alice"), User(username="bob")
        home, work = Category(name="home"), Category(name="work")
        session.add_all([
            Task(title="Buy milk", owner=alice, categories=[home]),
            Task(title="Fix bike", owner=bob, categories=[home, work]),
            Task(title="Write report", owner=alice, categories=[work]),
        ])
        session.commit()
    engine.dispose()


def todos(calendar):
    out = {}
    for todo in calendar.todos(include_completed=True):
        c = todo.icalendar_component
        out[str(c["SUMMARY"])] = todo
    return out


def tasks(home, db):
    r = roster(home, "list", "--db", db, "--all", "--json")
    return {t["title"]: t for t in json.loads(r.out)} if r.returncode == 0 else {}


def main():
    try:
        import sqlmodel  # noqa: F401
    except ImportError:
        print("1..0 # SKIP python3-sqlmodel is missing")
        return 77
    if not radicale_fixture.available():
        print("1..0 # SKIP radicale or python3-caldav is missing")
        return 77

    home = tempfile.mkdtemp(prefix="roster-sync-cli-")
    db = os.path.join(home, "tasks.db")
    password = "pw-sync-Qx7"
    try:
        with radicale_fixture.Radicale({"sam": password}) as server:
            seed_file(db)

            # The first upload: every user a list, every task a VTODO in it.
            r = roster(home, "sync", "--db", db, "--server", server.url, "--username", "sam",
                       "--password-stdin", password=password)
            check(counts(r) is not None and counts(r)[0] >= 5 and counts(r)[2] == 0,
                  "the first sync sends the lists and the tasks", r.out + r.err)
            lists = server.calendars("sam")
            check(sorted(lists) == ["alice", "bob"], "the server has a list per user", sorted(lists))
            alice = todos(lists["alice"]) if "alice" in lists else {}
            bob = todos(lists["bob"]) if "bob" in lists else {}
            check(sorted(alice) == ["Buy milk", "Write report"] and sorted(bob) == ["Fix bike"],
                  "each task is in its owner's list", (sorted(alice), sorted(bob)))
            cats = [str(c) for c in bob["Fix bike"].icalendar_component.get("CATEGORIES").cats] \
                if "Fix bike" in bob else []
            check(sorted(cats) == ["home", "work"], "tags travel as CATEGORIES", cats)
            check(password not in open(db, "rb").read().decode("latin-1"),
                  "the password is not in the file")

            # Nothing changed: nothing sent, nothing received. The second sync
            # still reads the tokens of the lists the first one made; from the
            # third on, the one PROPFIND of the home is all (Radicale logs the
            # authentication challenge before it as a request of its own).
            r = roster(home, "sync", "--db", db, "--password-stdin", password=password)
            check(counts(r) == (0, 0, 0), "a second sync finds nothing to do", r.out + r.err)
            before = server.count_requests()
            r = roster(home, "sync", "--db", db, "--password-stdin", password=password)
            made = server.count_requests() - before
            check(counts(r) == (0, 0, 0) and made == 2 and server.count_requests("PROPFIND") > 0,
                  "a sync with nothing changed is one PROPFIND", f"{made} requests")

            # Receiving: a task added on the other device.
            lists["alice"].save_todo("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//peer//EN\r\n"
                                     "BEGIN:VTODO\r\nUID:peer-1\r\nDTSTAMP:20260101T000000Z\r\n"
                                     "SUMMARY:Call the plumber\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
            r = roster(home, "sync", "--db", db, "--password-stdin", password=password)
            check(counts(r) == (0, 1, 0), "the other device's task is received", r.out + r.err)
            here = tasks(home, db)
            check(here.get("Call the plumber", {}).get("owner") == "alice",
                  "it is alice's task here", here.get("Call the plumber"))

            # Both sides edit one task, different fields: both kept.
            milk = todos(lists["alice"])["Buy milk"]
            milk.icalendar_component["SUMMARY"] = "Buy oat milk"
            milk.save()
            task_id = str(here["Buy milk"]["id"]) if "Buy milk" in here else "0"
            r = roster(home, "done", "--db", db, task_id)
            check(r.returncode == 0, "marked done here", r.err)
            r = roster(home, "sync", "--db", db, "--password-stdin", password=password)
            check(counts(r) is not None and counts(r)[2] == 0, "different fields: no conflict",
                  r.out + r.err)
            here = tasks(home, db)
            check(here.get("Buy oat milk", {}).get("done") is True,
                  "here: the server's title and the local done", here.get("Buy oat milk"))
            there = todos(server.calendars("sam")["alice"])
            status = str(there["Buy oat milk"].icalendar_component.get("STATUS", "")) \
                if "Buy oat milk" in there else None
            check(status == "COMPLETED", "there: the new title and COMPLETED", (sorted(there), status))

            # Failures are sentences, with a non-zero status.
            r = roster(home, "sync", "--db", db, "--password-stdin", password="wrong")
            check(r.returncode == 1 and "username or the password" in r.err and not r.out,
                  "a wrong password is said so", r.out + r.err)
            r = roster(home, "sync", "--db", db)
            check(r.returncode != 0 and r.err.strip() != "", "no password anywhere is said so",
                  r.out + r.err)
        closed = radicale_fixture.free_port()
        r = roster(home, "sync", "--db", db, "--server", f"http://127.0.0.1:{closed}/",
                   "--username", "sam", "--password-stdin", password=password)
        check(r.returncode == 1 and "cannot be reached" in r.err, "an unreachable server is said so",
              r.out + r.err)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
