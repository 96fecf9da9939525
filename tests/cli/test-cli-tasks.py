#!/usr/bin/env python3
# `roster add`, `list`, `done`, `undone`, `users` and `tags` through the real
# binary, with no display and no session bus, on a file the seed's SQLModel
# classes made (tests/interop/seed_interop.py) and on one Roster made: the
# output is checked as text and, for --json, with Python's json module, the
# file with Python's sqlite3, and every error leaves the file unchanged to
# the byte.
#
#   test-cli-tasks.py ROSTER INTEROP-DIR    (INTEROP-DIR: tests/interop)

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

from clitest import check, digest, finish, rows, skip
import clitest

ROSTER, INTEROP = sys.argv[1], sys.argv[2]
sys.path.insert(0, INTEROP)
from sqlmodel import Session, create_engine  # noqa: E402
from seed_interop import Task  # noqa: E402


def roster(home, *args):
    return clitest.roster(ROSTER, home, *args)


def write(path, *statements):
    db = sqlite3.connect(path)
    try:
        for sql in statements:
            db.execute(sql)
        db.commit()
    finally:
        db.close()


def lines(text):
    return [line.split("\t") for line in text.splitlines()]


def test_seed_file(home):
    db = os.path.join(home, "seed.db")
    clitest.seed_file(db)

    r = roster(home, "users", "--db", db)
    check(r.returncode == 0 and lines(r.out) == [["1", "alice", "2", "2"], ["2", "bob", "1", "1"]],
          "users on a seed file: id, name, tasks, open", r.out + r.err)
    r = roster(home, "tags", "--db", db, "--json")
    check(r.returncode == 0 and json.loads(r.out) == [
        {"id": 2, "name": "home", "color": "#3584e4", "tasks": 2},
        {"id": 1, "name": "work", "color": "#3584e4", "tasks": 2}], "tags --json", r.out + r.err)

    r = roster(home, "list", "--db", db)
    check(r.returncode == 0 and lines(r.out) == [
        ["1", "[ ]", "Buy milk", "alice", "home", ""],
        ["2", "[ ]", "Write report", "alice", "work", ""],
        ["3", "[ ]", "Fix bike", "bob", "home, work", ""]],
        "list: every open task, by user, tab-separated", r.out + r.err)

    # add: to a named user, with new and existing tags, a due date and notes.
    r = roster(home, "add", "--db", db, "--user", "bob", "--tag", "work", "--tag", "garden",
               "--due", "2026-03-15", "--notes", "Two bags\tof soil", "  Plant roses  ")
    check(r.returncode == 0 and lines(r.out) == [["4", "[ ]", "Plant roses", "bob", "garden, work", "2026-03-15"]],
          "add prints the new task's line", r.out + r.err)
    check(rows(db, "SELECT t.title, u.username, t.notes, substr(t.due_date, 1, 10) FROM task AS t "
                   "JOIN user AS u ON u.id = t.owner_id WHERE t.id = 4")
          == [("Plant roses", "bob", "Two bags\tof soil", "2026-03-15")], "...and the file has it, title trimmed")
    check(rows(db, "SELECT c.name FROM taskcategorylink AS l JOIN category AS c ON c.id = l.category_id "
                   "WHERE l.task_id = 4 ORDER BY c.name") == [("garden",), ("work",)],
          "...tagged, the missing tag created")
    check(rows(db, "SELECT count(*) FROM category") == [(3,)], "...and only that tag")

    # done / undone, several at once.
    r = roster(home, "done", "--db", db, "1", "4")
    check(r.returncode == 0 and r.out == "" and r.err == "", "done 1 4", r.err)
    check(rows(db, "SELECT id FROM task WHERE done ORDER BY id") == [(1,), (4,)], "...marks both done in the file")
    r = roster(home, "list", "--db", db, "--done")
    check([line[0] for line in lines(r.out)] == ["1", "4"] and lines(r.out)[0][1] == "[x]",
          "list --done: only the done ones, marked [x]", r.out)
    r = roster(home, "list", "--db", db, "--user", "alice", "--all", "--json")
    tasks = json.loads(r.out) if r.returncode == 0 else None
    check(tasks == [
        {"id": 1, "title": "Buy milk", "owner": "alice", "done": True, "due": None, "due_time": None,
         "priority": None, "repeat": None, "tags": ["home"], "notes": ""},
        {"id": 2, "title": "Write report", "owner": "alice", "done": False, "due": None, "due_time": None,
         "priority": None, "repeat": None, "tags": ["work"], "notes": ""}],
          "list --user --all --json: stable keys, parsed by json", r.out + r.err)
    r = roster(home, "undone", "--db", db, "1")
    check(r.returncode == 0 and rows(db, "SELECT id FROM task WHERE done") == [(4,)], "undone 1", r.err)
    r = roster(home, "list", "--db", db, "--tag", "work", "--json")
    check(r.returncode == 0 and [t["id"] for t in json.loads(r.out)] == [2, 3], "list --tag: the tag's open tasks",
          r.out + r.err)

    # The seed's classes still read the file.
    engine = create_engine("sqlite:///" + db)
    with Session(engine) as session:
        task = session.get(Task, 4)
        check(task is not None and task.owner.username == "bob"
              and sorted(c.name for c in task.categories) == ["garden", "work"],
              "the seed's classes read the added task back")
    engine.dispose()
    return db


def test_errors(home, db):
    saved = digest(db)
    for args, status, words in (
            (["add", "--user", "nobody", "A task"], 1, "There is no user called “nobody”."),
            (["add", "A task"], 1, "--user NAME"),
            (["add", "--user", "bob", "   "], 1, "Type a title for the task."),
            (["add", "--user", "bob", "--tag", " ", "A task"], 1, "Type a name for the tag."),
            (["add", "--user", "bob", "--due", "2026-02-30", "A task"], 2, "“2026-02-30” is not a date"),
            (["add", "--user", "bob", "--due", "15.3.2026", "A task"], 2, "YYYY-MM-DD"),
            (["add", "--user", "bob"], 2, "Give the task’s title"),
            (["add", "--user", "bob", "two", "titles"], 2, "Give the task’s title"),
            (["add", "--colour", "red", "A task"], 2, "Unknown option"),
            (["list", "--user", "nobody"], 1, "There is no user called “nobody”."),
            (["list", "--tag", "nothing"], 1, "There is no tag called “nothing”."),
            (["list", "--user", "bob", "--tag", "home"], 2, "not both"),
            (["list", "--all", "--done"], 2, "not both"),
            (["list", "--today", "--upcoming"], 2, "one of --user, --tag, --today and --upcoming"),
            (["list", "--user", "bob", "--today"], 2, "one of --user, --tag, --today and --upcoming"),
            (["list", "--upcoming", "--all"], 2, "open tasks only"),
            (["done", "1", "99"], 1, "There is no task with the id “99”."),
            (["done", "x"], 1, "There is no task with the id “x”."),
            (["undone", "0"], 1, "There is no task with the id “0”."),
            (["done"], 2, "at least one task")):
        r = roster(home, *args[:1], "--db", db, *args[1:])
        check(r.returncode == status and words in r.err and r.out == ""
              and r.err.count("\n") == (2 if status == 2 else 1),
              f"{' '.join(args)}: status {status} and a sentence", f"status {r.returncode}: {r.err}{r.out}")
        check(digest(db) == saved, f"{' '.join(args)}: the file is unchanged")
    check(rows(db, "SELECT id FROM task WHERE done") == [(4,)], "done 1 99 marked none of them")

    # Files Roster refuses.
    newer = os.path.join(home, "newer.db")
    shutil.copy(db, newer)
    write(newer, "PRAGMA user_version = 99")
    junk = os.path.join(home, "junk.db")
    with open(junk, "wb") as f:
        f.write(b"not a database, not at all" * 100)
    missing = os.path.join(home, "missing.db")
    for path, words in ((newer, "newer version of Roster"), (junk, "damaged or not a database"),
                        (missing, "does not exist")):
        for args in (["add", "--user", "bob", "A task"], ["done", "2"], ["list"], ["users"], ["tags"]):
            before = digest(path) if os.path.exists(path) else None
            r = roster(home, args[0], "--db", path, *args[1:])
            after = digest(path) if os.path.exists(path) else None
            check(r.returncode == 1 and words in r.err and r.err.count("\n") == 1 and before == after,
                  f"{args[0]} on {os.path.basename(path)}: refused, the file unchanged", r.err)

    # A damaged page in the middle of a Roster file: refused before any write.
    damaged = os.path.join(home, "damaged.db")
    r = roster(home, "import", "--db", damaged, "--user", "bob",
               os.path.join(INTEROP, "..", "data", "ical", "thunderbird.ics"))
    write(damaged, "PRAGMA journal_mode = DELETE",
          "INSERT INTO task (title, owner_id) SELECT printf('%.500c', 'x'), 1 FROM "
          "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) SELECT i FROM n)")
    size = os.path.getsize(damaged)
    with open(damaged, "r+b") as f:
        f.seek(size // 2 // 4096 * 4096)
        f.write(b"\xff" * 4096)
    before = digest(damaged)
    r = roster(home, "done", "--db", damaged, "1")
    check(r.returncode == 1 and "damaged" in r.err and r.err.count("\n") == 1 and digest(damaged) == before,
          "done on a damaged file: refused with a sentence, the file unchanged", f"{r.returncode} {r.err}")


def test_roster_file(home):
    db = os.path.join(home, "roster.db")
    r = roster(home, "import", "--db", db, "--user", "Zoë",
               os.path.join(INTEROP, "..", "data", "ical", "thunderbird.ics"))
    check(r.returncode == 0, "a file made by Roster", r.err)
    r = roster(home, "add", "--db", db, "Call the plumber")
    check(r.returncode == 0 and lines(r.out)[0][2:4] == ["Call the plumber", "Zoë"],
          "add with no --user: the only user", r.out + r.err)
    r = roster(home, "users", "--db", db, "--json")
    users = json.loads(r.out) if r.returncode == 0 else None
    check(users == [{"id": 1, "username": "Zoë", "tasks": 3, "open": 2}], "users --json", r.out + r.err)
    r = roster(home, "list", "--db", db, "--all")
    check(r.returncode == 0 and len(lines(r.out)) == 3 and all(len(line) == 6 for line in lines(r.out)),
          "list --all: three lines of six fields", r.out)

    # The default file, as the window opens it.
    default = os.path.join(home, "data", "roster", "roster.db")
    os.makedirs(os.path.dirname(default))
    shutil.copy(db, default)
    r = roster(home, "add", "Without --db")
    check(r.returncode == 0 and rows(default, "SELECT count(*) FROM task WHERE title = 'Without --db'") == [(1,)],
          "without --db: the default file", r.err)


def test_plan(home):
    """list --today and --upcoming: every user's open tasks by due date, from
    the local date (the tests run with TZ=UTC)."""
    db = os.path.join(home, "plan.db")
    today = datetime.date.today()

    def add(user, title, offset):
        due = (today + datetime.timedelta(days=offset)).isoformat()
        r = roster(home, "add", "--db", db, "--user", user, "--due", due, title)
        check(r.returncode == 0, f"add {title}", r.err)
        return lines(r.out)[0][0]

    # A file with users: ann from an import (whose tasks lose their dates), ben.
    r = roster(home, "import", "--db", db, "--user", "ann",
               os.path.join(INTEROP, "..", "data", "ical", "due-dates.ics"))
    check(r.returncode == 0, "a file with a user", r.err)
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO user (username) VALUES ('ben')")
        conn.execute("UPDATE task SET due_date = NULL")
    add("ben", "Today ben", 0)
    late = add("ann", "Late ann", -3)
    add("ann", "Tomorrow ann", 1)
    add("ben", "Far ben", 14)
    done = add("ann", "Done today", 0)
    add("ann", "Last day ann", 13)
    r = roster(home, "done", "--db", db, done)
    check(r.returncode == 0, "done", r.err)

    r = roster(home, "list", "--db", db, "--today")
    got = [(line[2], line[3]) for line in lines(r.out)]
    check(r.returncode == 0 and got == [("Late ann", "ann"), ("Today ben", "ben")],
          "list --today: every user's, overdue first, no done task", r.out + r.err)
    r = roster(home, "list", "--db", db, "--upcoming", "--json")
    got = [(t["title"], t["due"]) for t in json.loads(r.out)] if r.returncode == 0 else None
    check(got == [("Today ben", today.isoformat()),
                  ("Tomorrow ann", (today + datetime.timedelta(days=1)).isoformat()),
                  ("Last day ann", (today + datetime.timedelta(days=13)).isoformat())],
          "list --upcoming --json: the 14 days from today, by day", r.out + r.err)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE task SET due_time = '09:30', priority = 3, recurrence = 'FREQ=WEEKLY;BYDAY=MO' "
                     "WHERE title = 'Tomorrow ann'")
    r = roster(home, "list", "--db", db, "--upcoming", "--json")
    got = [(t["due_time"], t["priority"], t["repeat"]) for t in json.loads(r.out) if t["title"] == "Tomorrow ann"]
    check(got == [("09:30", "high", "FREQ=WEEKLY;BYDAY=MO")],
          "list --json: the due time, the priority as a word, the repeat rule", r.out + r.err)
    check(late != done, "the ids differ")


def test_help(home):
    r = roster(home, "--help")
    check(r.returncode == 0 and all(f"  {c} " in r.out for c in ("add", "list", "done", "users", "tags",
                                                                 "import", "export", "sync")),
          "roster --help lists the subcommands", r.out)
    for command, words in (("add", "TITLE"), ("list", "--json"), ("done", "TASK-ID"), ("undone", "not done"),
                           ("users", "users"), ("tags", "tags")):
        r = roster(home, command, "--help")
        check(r.returncode == 0 and f"roster {command}" in r.out and words in r.out,
              f"roster {command} --help says what it does", r.out + r.err)


COMPLETION = os.path.join(INTEROP, "..", "..", "data", "roster.bash-completion")


def complete(home, line):
    """What data/roster.bash-completion offers for @line, with the built roster first on PATH."""
    script = ("source /usr/share/bash-completion/bash_completion\n"
              f"source {COMPLETION!r}\n"
              "COMP_LINE=$1; COMP_POINT=${#1}; read -ra COMP_WORDS <<< \"$1\"\n"
              "[[ $1 == *' ' ]] && COMP_WORDS+=('')\n"
              "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
              "_roster; printf '%s\\n' \"${COMPREPLY[@]}\"\n")
    env = dict(os.environ, PATH=os.path.dirname(os.path.abspath(ROSTER)) + ":" + os.environ["PATH"],
               XDG_DATA_HOME=os.path.join(home, "data"), HOME=home)
    env.pop("DISPLAY", None)
    r = subprocess.run(["bash", "-c", script, "complete", line], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env, timeout=60)
    return sorted(x for x in r.stdout.decode().splitlines() if x)


def test_completion(home, db):
    if not os.path.exists("/usr/share/bash-completion/bash_completion"):
        skip("bash-completion is not installed")
        return
    check(complete(home, "roster ") == ["add", "done", "export", "import", "list", "sync", "tags", "undone",
                                        "users"],
          "completion: the subcommands", complete(home, "roster "))
    check(complete(home, "roster list --a") == ["--all"], "completion: a subcommand's options")
    check(complete(home, "roster sync --p") == ["--password-stdin"], "completion: sync's options",
          complete(home, "roster sync --p"))
    check(complete(home, f"roster add --db {db} --user ") == ["alice", "bob"],
          "completion: user names from `roster users`", complete(home, f"roster add --db {db} --user "))
    check(complete(home, f"roster list --db {db} --tag g") == ["garden"],
          "completion: tag names from `roster tags`", complete(home, f"roster list --db {db} --tag g"))


def main():
    with tempfile.TemporaryDirectory(prefix="roster-cli-tasks-") as home:
        db = test_seed_file(home)
        test_errors(home, db)
        test_completion(home, db)
        test_roster_file(home)
        test_plan(home)
        test_help(home)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
