#!/usr/bin/env python3
# `roster sync` through the real binary against a real Radicale, with
# python3-caldav (Debian's) as the other device: the first upload of a file
# the seed's SQLModel classes wrote, receiving a task, both sides editing
# different fields of one task, the same field (the server's value stays),
# both marking one task done (no conflict),
# an expired sync token, a deletion that must not come back, one made there
# that must arrive, offline edits, users renamed and
# removed, deletions that must be asked for (deleted, or kept and sent
# again: tasks, and a whole list), a switched server, two syncs of
# one file started together, one refused while another is stuck, and the
# failures said in a sentence. Skipped
# without radicale, python3-caldav or python3-sqlmodel.
#
#   test-sync-cli.py ROSTER TESTS-DIR    (TESTS-DIR: tests/)

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
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


def todos(calendar):
    out = {}
    for todo in calendar.todos(include_completed=True):
        c = todo.icalendar_component
        out[str(c["SUMMARY"])] = todo
    return out


def tasks(home, db):
    r = roster(home, "list", "--db", db, "--all", "--json")
    return {t["title"]: t for t in json.loads(r.out)} if r.returncode == 0 else {}


# Another program's writes, straight into the file (the triggers must notice).
sql = clitest.execute


def plan_fields(path, title):
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT due_time, priority, recurrence FROM task WHERE title = ?", (title,)).fetchone()
    finally:
        db.close()


def delete_task_sql(path, title):
    sql(path, ("DELETE FROM taskcategorylink WHERE task_id IN (SELECT id FROM task WHERE title = ?)", title),
        ("DELETE FROM task WHERE title = ?", title))


def summaries(calendar):
    return sorted(todos(calendar))


def edits_and_deletions(home, server, password):
    """Conflicts, deletions that stay, offline edits, users renamed and
    removed, deletions that must be asked for, and a switched server."""
    db = os.path.join(home, "edits.db")
    clitest.seed_file(db)

    def sync(*extra, pw=password):
        return roster(home, "sync", "--db", db, "--password-stdin", *extra, password=pw)

    r = roster(home, "sync", "--db", db, "--server", server.url, "--username", "rae",
               "--password-stdin", password=password)
    check(counts(r) is not None, "a second file syncs with its own account", r.out + r.err)
    lists = server.calendars("rae")

    # The same field on both sides: the server's value stays, and it is said.
    milk = todos(lists["alice"])["Buy milk"]
    milk.icalendar_component["SUMMARY"] = "Milk (there)"
    milk.save()
    sql(db, ("UPDATE task SET title = 'Milk (here)' WHERE title = 'Buy milk'",))
    r = sync()
    check(counts(r) is not None and counts(r)[2] == 1
          and r.err.startswith("“Milk (there)”: SUMMARY was changed on both sides")
          and "“Milk (here)”" in r.err,
          "the same field changed on both sides is one conflict, said with the task and both values",
          r.out + r.err)
    check("Milk (there)" in tasks(home, db) and summaries(lists["alice"]).count("Milk (there)") == 1,
          "the server's title stays on both sides", (sorted(tasks(home, db)), summaries(lists["alice"])))

    # The plan fields travel both ways: a due time, a priority, a repeat rule.
    sql(db, ("UPDATE task SET due_date = '2026-12-07', due_time = '09:30', priority = 3, "
             "recurrence = 'FREQ=WEEKLY;BYDAY=MO' WHERE title = 'Fix bike'",))
    r = sync()
    bike = todos(lists["bob"])["Fix bike"]
    c = bike.icalendar_component
    check(counts(r) is not None and int(c.get("PRIORITY", 0)) == 1
          and c["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=MO"
          and (c["DUE"].dt.hour, c["DUE"].dt.minute) == (9, 30),
          "a due time, a high priority and a weekly rule reach the server as DUE, PRIORITY and RRULE",
          (r.out + r.err, c.to_ical().decode()))
    c["PRIORITY"] = 9
    bike.save()
    r = sync()
    check(counts(r) is not None and plan_fields(db, "Fix bike") == ("09:30", 1, "FREQ=WEEKLY;BYDAY=MO"),
          "a priority changed on the server arrives, the time and the rule stay",
          (r.out + r.err, plan_fields(db, "Fix bike")))

    # A token the server no longer knows: the list is compared whole, and
    # what the other device added meanwhile still arrives.
    sql(db, ("UPDATE roster_sync_list SET sync_token = 'http://radicale.org/ns/sync/0000' "
             "WHERE display_name = 'alice'",))
    lists["alice"].save_todo("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//peer//EN\r\n"
                             "BEGIN:VTODO\r\nUID:peer-token\r\nDTSTAMP:20260101T000000Z\r\n"
                             "SUMMARY:Water the plants\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
    r = sync()
    check(counts(r) == (0, 1, 0) and tasks(home, db).get("Water the plants", {}).get("owner") == "alice",
          "an expired token falls back to the whole list", r.out + r.err)
    r = sync()
    check(counts(r) == (0, 0, 0), "and the token is good again", r.out + r.err)

    # Deleted here (by another program) while edited there: it stays deleted.
    report = todos(lists["alice"])["Write report"]
    report.icalendar_component["SUMMARY"] = "Write report v2"
    report.save()
    delete_task_sql(db, "Write report")
    r = sync()
    r2 = sync()
    check(counts(r) is not None and counts(r2) == (0, 0, 0), "the deletion is sent, once", r.out + r.err + r2.out)
    check("Write report v2" not in summaries(lists["alice"]) and "Write report" not in summaries(lists["alice"])
          and not any(t.startswith("Write report") for t in tasks(home, db)),
          "a task deleted here does not come back", (summaries(lists["alice"]), sorted(tasks(home, db))))

    # Offline: edits made while the server is away are sent when it is back.
    server.pause()
    sql(db, ("UPDATE task SET title = 'Fix bike chain' WHERE title = 'Fix bike'",))
    r = sync()
    check(r.returncode == 1 and "cannot be reached" in r.err, "an away server is said so", r.out + r.err)
    server.start()
    r = sync()
    check(counts(r) is not None and counts(r)[0] == 1 and summaries(server.calendars("rae")["bob"]) == ["Fix bike chain"],
          "the offline edit is sent later", r.out + r.err)

    # A user renamed here renames the list; a user removed removes it.
    sql(db, ("UPDATE user SET username = 'robert' WHERE username = 'bob'",))
    r = sync()
    check(counts(r) is not None and sorted(server.calendars("rae")) == ["alice", "robert"],
          "a renamed user renames the list", (r.out + r.err, sorted(server.calendars("rae"))))
    sql(db, ("DELETE FROM taskcategorylink WHERE task_id IN (SELECT t.id FROM task t JOIN user u ON u.id = t.owner_id "
             "WHERE u.username = 'robert')",),
        ("DELETE FROM task WHERE owner_id = (SELECT id FROM user WHERE username = 'robert')",),
        ("DELETE FROM user WHERE username = 'robert'",))
    r = sync()
    check(counts(r) is not None and sorted(server.calendars("rae")) == ["alice"],
          "a removed user removes the list", (r.out + r.err, sorted(server.calendars("rae"))))

    # A task made here, then deleted by the other device: the list's CTag is
    # back to what it was before the task (Radicale's is a digest of what the
    # list holds), yet the deletion arrives.
    alice = server.calendars("rae")["alice"]
    roster(home, "add", "--db", db, "--user", "alice", "Return the book")
    r = sync()
    todos(alice)["Return the book"].delete()
    r = sync()
    check(counts(r) is not None and counts(r)[1] == 1 and "Return the book" not in tasks(home, db),
          "a task made here and deleted there goes here too", (r.out + r.err, sorted(tasks(home, db))))

    # A sync killed after a PUT arrived, before the file noted the answer:
    # the task has no synced row, its outbox row waits, and what the PUT
    # carried is noted as sent (roster_sync_state_will_send()). An edit made
    # here since is kept, not lost to a "conflict" with ourselves; a task
    # deleted here since is not brought back, and goes from the server.
    def as_if_killed_after_put(title):
        sql(db, ("INSERT INTO roster_sync_sent (task_id, uid, href, list_href, ical) "
                 "SELECT s.task_id, s.uid, s.href, s.list_href, s.base FROM roster_sync_task AS s "
                 "JOIN task AS t ON t.id = s.task_id WHERE t.title = ?", title),
            ("INSERT OR IGNORE INTO roster_sync_outbox (kind, object_id) SELECT 0, id FROM task WHERE title = ?", title),
            ("DELETE FROM roster_sync_task WHERE task_id = (SELECT id FROM task WHERE title = ?)", title))

    for title in ("Pack lunch", "Buy stamps"):
        roster(home, "add", "--db", db, "--user", "alice", title)
    r = sync()
    as_if_killed_after_put("Pack lunch")
    as_if_killed_after_put("Buy stamps")
    sql(db, ("UPDATE task SET title = 'Pack lunch and water' WHERE title = 'Pack lunch'",))
    delete_task_sql(db, "Buy stamps")
    r = sync()
    on_server = summaries(server.calendars("rae")["alice"])
    check(counts(r) is not None and counts(r)[2] == 0 and "Pack lunch and water" in tasks(home, db)
          and "Pack lunch and water" in on_server and "Pack lunch" not in on_server,
          "an edit made after a PUT whose answer was lost is kept", (r.out + r.err, on_server))
    check("Buy stamps" not in tasks(home, db) and "Buy stamps" not in on_server,
          "a task deleted after a PUT whose answer was lost stays deleted, there too",
          (sorted(tasks(home, db)), on_server))
    r = sync()
    check(counts(r) == (0, 0, 0) and "Buy stamps" not in tasks(home, db),
          "and the next sync has nothing to do", r.out + r.err)

    # The server drops most of a list at once: asked first, nothing deleted.
    # One of them was deleted here meanwhile: kept or not, it stays deleted.
    alice = server.calendars("rae")["alice"]
    for n in range(5):
        roster(home, "add", "--db", db, "--user", "alice", f"Chore {n}")
    r = sync()
    delete_task_sql(db, "Chore 0")
    before = sorted(tasks(home, db))
    kept = [f"Chore {n}" for n in range(1, 5)]

    def drop_chores():
        for title, todo in todos(server.calendars("rae")["alice"]).items():
            if title.startswith("Chore"):
                todo.delete()

    drop_chores()
    r = sync()
    check(r.returncode == 1 and "Nothing was deleted" in r.err and sorted(tasks(home, db)) == before
          and "--accept-deletions" in r.err and "--keep-deletions" in r.err,
          "more than half of a list going at once is refused, naming both answers", r.out + r.err)
    r = sync("--accept-deletions", "--keep-deletions")
    check(r.returncode == 2 and "not both" in r.err and sorted(tasks(home, db)) == before,
          "--accept-deletions and --keep-deletions together are refused", r.out + r.err)

    # Kept: the tasks stay here and are on the server again; the one deleted
    # here is not brought back; the next sync has nothing to do.
    r = sync("--keep-deletions")
    on_server = summaries(server.calendars("rae")["alice"])
    check(counts(r) is not None and counts(r)[0] >= len(kept) and "4 tasks" in r.err
          and sorted(tasks(home, db)) == before,
          "--keep-deletions keeps them here and sends them again", (r.out + r.err, sorted(tasks(home, db))))
    check([t for t in on_server if t.startswith("Chore")] == kept,
          "the kept tasks are on the server again, the one deleted here is not", on_server)
    r = sync()
    check(counts(r) == (0, 0, 0), "a sync after keeping has nothing to do", r.out + r.err)

    drop_chores()
    r = sync()
    check(r.returncode == 1 and "Nothing was deleted" in r.err, "dropped again: asked again", r.out + r.err)
    r = sync("--accept-deletions")
    check(counts(r) is not None and not any(t.startswith("Chore") for t in tasks(home, db)),
          "--accept-deletions lets them go", r.out + r.err)

    # The whole list vanishes on the server: asked first; kept, it is made
    # again under the user's name with the user's tasks, but not the one
    # deleted here before.
    roster(home, "add", "--db", db, "--user", "alice", "Plant tulips")
    r = sync()
    delete_task_sql(db, "Water the plants")
    before = sorted(tasks(home, db))
    server.calendars("rae")["alice"].delete()
    r = sync()
    check(r.returncode == 1 and "is gone from the server" in r.err and "--keep-deletions" in r.err
          and sorted(tasks(home, db)) == before,
          "a vanished list is asked about, nothing deleted", r.out + r.err)
    r = sync("--keep-deletions")
    lists = server.calendars("rae")
    alice_tasks = sorted(t for t, v in tasks(home, db).items() if v["owner"] == "alice")
    check(counts(r) is not None and sorted(tasks(home, db)) == before and "alice" in lists
          and summaries(lists["alice"]) == alice_tasks and "Water the plants" not in alice_tasks,
          "kept, the vanished list is made again with the user's tasks",
          (r.out + r.err, sorted(lists), alice_tasks, summaries(lists["alice"]) if "alice" in lists else None))
    r = sync()
    check(counts(r) == (0, 0, 0), "a sync after keeping the list has nothing to do", r.out + r.err)

    # Another server: everything is uploaded there, nothing deleted here.
    before = sorted(tasks(home, db))
    with radicale_fixture.Radicale({"rae": password}) as other:
        r = roster(home, "sync", "--db", db, "--server", other.url, "--username", "rae",
                   "--password-stdin", password=password)
        check(counts(r) is not None and sorted(tasks(home, db)) == before
              and sorted(other.calendars("rae")) == ["alice"]
              and summaries(other.calendars("rae")["alice"]) == [t for t in before],
              "a switched server gets everything and deletes nothing",
              (r.out + r.err, before, sorted(other.calendars("rae"))))


def two_at_once(home, server, password):
    """Two `roster sync` of one file started together (cron and a script, or
    a window): one is refused as busy, or they run one after the other; the
    server then has each task exactly once."""
    db = os.path.join(home, "twice.db")
    clitest.seed_file(db)
    # Made a Roster file first: two first opens at once are not what is tested.
    roster(home, "list", "--db", db)
    # Enough to send that the first is still at it when the second starts.
    sql(db, *[("INSERT INTO task (title, owner_id) SELECT ?, id FROM user WHERE username = 'alice'",
               f"Batch {n}") for n in range(150)])
    args = [ROSTER, "sync", "--db", db, "--server", server.url, "--username", "kai", "--password-stdin"]
    runs = [subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=clitest.environment(home)) for _ in range(2)]
    outs = [p.communicate(input=(password + "\n").encode(), timeout=120) for p in runs]
    said = [(p.returncode, out.decode().strip(), err.decode().strip()) for p, (out, err) in zip(runs, outs)]
    busy = [s for s in said if s[0] != 0]
    check(all(SUMMARY.match(s[1]) for s in said if s[0] == 0) and len(busy) < 2
          and all(s[2] == "Another sync of this file is running." and not s[1] for s in busy),
          "two syncs at once: one is refused as busy, or both finish one after the other", said)
    print(f"# {len(busy)} of the two syncs found the other running")

    there = [str(t.icalendar_component["SUMMARY"]) for c in server.calendars("kai").values()
             for t in c.todos(include_completed=True)]
    check(len(there) == 153 and len(set(there)) == 153,
          "the server has each task exactly once", (len(there), len(set(there))))
    r = roster(home, "sync", "--db", db, "--password-stdin", password=password)
    check(counts(r) == (0, 0, 0) and len(tasks(home, db)) == 153,
          "and a sync after them finds nothing left to do", (r.out + r.err, len(tasks(home, db))))


def busy_while_another_runs(home, password):
    """A sync stuck on a server that never answers holds the file: another
    `roster sync` of it is refused at once, in words; once the stuck one is
    killed (kill -9), the next is not held up by it."""
    db = os.path.join(home, "stuck.db")
    clitest.seed_file(db)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(30)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    stuck = subprocess.Popen([ROSTER, "sync", "--db", db, "--server", url, "--username", "kai",
                              "--password-stdin"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=clitest.environment(home))
    connection = None
    try:
        stuck.stdin.write((password + "\n").encode())
        stuck.stdin.close()
        # Connected: it is past taking the lease, waiting for an answer.
        connection, _ = listener.accept()
        r = roster(home, "sync", "--db", db, "--password-stdin", password=password)
        check(r.returncode == 1 and r.err.strip() == "Another sync of this file is running." and not r.out,
              "a sync while another runs is refused at once, in words", (r.returncode, r.out + r.err))
    finally:
        stuck.kill()
        stuck.wait(timeout=30)
    if connection is not None:
        connection.close()
    listener.close()
    r = roster(home, "sync", "--db", db, "--password-stdin", password=password)
    check(r.returncode == 1 and "Another sync" not in r.err and "cannot be reached" in r.err,
          "after a kill -9 of that one, the next sync runs (here, to a server gone)", r.out + r.err)


def main():
    if radicale_fixture.skip_unless_available("sqlmodel"):
        return 77

    home = tempfile.mkdtemp(prefix="roster-sync-cli-")
    db = os.path.join(home, "tasks.db")
    password = "pw-sync-Qx7"
    try:
        with radicale_fixture.Radicale({"sam": password, "rae": password, "kai": password}) as server:
            clitest.seed_file(db)

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
            # third on, the one PROPFIND of the home is all (the password goes
            # with it to this loopback server: no challenge first).
            r = roster(home, "sync", "--db", db, "--password-stdin", password=password)
            check(counts(r) == (0, 0, 0), "a second sync finds nothing to do", r.out + r.err)
            before = server.count_requests()
            r = roster(home, "sync", "--db", db, "--password-stdin", password=password)
            made = server.count_requests() - before
            check(counts(r) == (0, 0, 0) and made == 1 and server.count_requests("PROPFIND") > 0,
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

            # Done on both sides: they agree, whenever each marked it. No
            # conflict, the task is done on both, and nothing is left to send.
            plumber = todos(server.calendars("sam")["alice"])["Call the plumber"]
            plumber.complete()
            r = roster(home, "done", "--db", db, str(tasks(home, db).get("Call the plumber", {}).get("id", 0)))
            check(r.returncode == 0, "marked done here too", r.err)
            r = roster(home, "sync", "--db", db, "--password-stdin", password=password)
            r2 = roster(home, "sync", "--db", db, "--password-stdin", password=password)
            there = todos(server.calendars("sam")["alice"])["Call the plumber"].icalendar_component
            check(counts(r) is not None and counts(r)[2] == 0 and not r.err and counts(r2) == (0, 0, 0)
                  and tasks(home, db).get("Call the plumber", {}).get("done") is True
                  and str(there.get("STATUS")) == "COMPLETED",
                  "done on both sides is no conflict: done here and there, nothing left to send",
                  (r.out + r.err, r2.out + r2.err, str(there.get("STATUS"))))

            # Failures are sentences, with a non-zero status.
            r = roster(home, "sync", "--db", db, "--password-stdin", password="wrong")
            check(r.returncode == 1 and "username or the password" in r.err and not r.out,
                  "a wrong password is said so", r.out + r.err)
            r = roster(home, "sync", "--db", db)
            check(r.returncode != 0 and r.err.strip() != "", "no password anywhere is said so",
                  r.out + r.err)

            edits_and_deletions(home, server, password)
            two_at_once(home, server, password)
            busy_while_another_runs(home, password)
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
