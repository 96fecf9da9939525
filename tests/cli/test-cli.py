#!/usr/bin/env python3
# `roster import` and `roster export` through the real binary, with no display
# and no session bus: the files it writes are checked with Python's sqlite3,
# and what it exports with python3-icalendar (a second reader, when installed)
# and the csv module.
#
#   test-cli.py ROSTER DATA-DIR    (DATA-DIR: tests/data/ical)

import csv
import io
import os
import sys
import tempfile

from clitest import check, digest, finish, rows, skip
import clitest

try:
    import icalendar
except ImportError:  # python3-icalendar (build-aux/install-deps)
    icalendar = None

ROSTER, DATA = sys.argv[1], sys.argv[2]


def data(name):
    return os.path.join(DATA, name)


def roster(home, *args):
    return clitest.roster(ROSTER, home, *args)


def tasks_by_uid(path, position=True):
    return rows(path,
                "SELECT i.uid, t.title, t.notes, t.done, t.due_date, " + ("t.position, " if position else "") +
                "(SELECT group_concat(name, ',') FROM (SELECT c.name AS name FROM taskcategorylink AS l "
                " JOIN category AS c ON c.id = l.category_id WHERE l.task_id = t.id ORDER BY c.name)) "
                "FROM task AS t JOIN roster_ical AS i ON i.task_id = t.id ORDER BY i.uid")


def vtodos(text):
    calendar = icalendar.Calendar.from_ical(text)
    return calendar, [c for c in calendar.walk() if c.name == "VTODO"]


def main():
    with tempfile.TemporaryDirectory(prefix="roster-cli-") as home:
        db = os.path.join(home, "tasks.db")

        # Import: two producers' files at once, one step.
        r = roster(home, "import", "--db", db, data("thunderbird.ics"), data("apple-reminders.ics"))
        check(r.returncode == 0, "import exits 0", r.stderr.decode())
        check(r.stdout.decode() == "Imported 5 tasks; 1 event was skipped\n",
              "import says what it did", r.stdout.decode())
        check(rows(db, "PRAGMA user_version") == [(clitest.schema_version(),)],
              "the new file is a Roster file of this version (ROSTER_SCHEMA_VERSION)")
        check(rows(db, "SELECT count(*) FROM task") == [(5,)], "five tasks in the file")
        check(sorted(rows(db, "SELECT username FROM user")) == [("Groceries",), ("Imported",)],
              "owners: the calendar's name, else “Imported”")
        check(rows(db, "SELECT t.title, t.done, t.due_date FROM task AS t JOIN roster_ical AS i "
                       "ON i.task_id = t.id WHERE i.uid = '3f0c6d0e-5b1f-4c8e-9a0b-2d4f6e8a1c3b'")
              == [("Renew passport", 0, "2024-03-15")], "a task keeps the UID it came with")
        before = tasks_by_uid(db)

        # Again: nothing new.
        r = roster(home, "import", "--db", db, data("thunderbird.ics"), data("apple-reminders.ics"))
        check(r.returncode == 0 and rows(db, "SELECT count(*) FROM task") == [(5,)],
              "importing the same files again makes no duplicates", r.stdout.decode() + r.stderr.decode())
        check(tasks_by_uid(db) == before, "...and changes nothing")

        # Damaged components: skipped and named, the rest imported.
        r = roster(home, "import", "--db", db, "--user", "Zoe", data("damaged.ics"))
        err = r.stderr.decode()
        check(r.returncode == 0, "a file with damaged components is imported", err)
        check("“A bad due date”, to-do 2 of “damaged.ics”, could not be read" in err
              and "To-do 3 of “damaged.ics” could not be read" in err, "the damaged ones are named", err)
        check(rows(db, "SELECT count(*) FROM task AS t JOIN user AS u ON u.id = t.owner_id "
                       "WHERE u.username = 'Zoe'") == [(2,)], "--user names the owner, created when missing")

        # Refused files: a sentence, status 1, the file untouched to the byte.
        saved = digest(db)
        for name, words in (("not-utf8.ics", "is not UTF-8 text"),
                            ("not-icalendar.vcf", "is not an iCalendar file"),
                            ("cut-short.ics", "is damaged")):
            r = roster(home, "import", "--db", db, data("thunderbird.ics"), data(name))
            err = r.stderr.decode()
            check(r.returncode == 1 and words in err and err.count("\n") == 1,
                  f"{name} is refused with a sentence", f"status {r.returncode}: {err}")
            check(digest(db) == saved, f"{name}: the Roster file is unchanged, byte for byte")
        missing = os.path.join(home, "never.db")
        r = roster(home, "import", "--db", missing, data("not-icalendar.vcf"))
        check(r.returncode == 1 and not os.path.exists(missing), "a refused import creates no Roster file")
        r = roster(home, "import", "--db", db)
        check(r.returncode == 2 and "Name at least one file" in r.stderr.decode(), "no file: a usage error",
              r.stderr.decode())

        # The default file, as the window opens it.
        r = roster(home, "import", data("tasks-org.ics"))
        default = os.path.join(home, "data", "roster", "roster.db")
        check(r.returncode == 0 and os.path.exists(default)
              and rows(default, "SELECT count(*) FROM task") == [(3,)],
              "without --db: the default Roster file", r.stderr.decode())

        # Export a user's tasks, to a file and to stdout.
        out = os.path.join(home, "groceries.ics")
        r = roster(home, "export", "--db", db, "--user", "Groceries", "--output", out)
        check(r.returncode == 0 and os.path.exists(out), "export --user --output FILE", r.stderr.decode())
        with open(out, "rb") as f:
            exported = f.read()
        r = roster(home, "export", "--db", db, "--user", "Groceries", "--format", "ics", "--output", "-")
        check(r.returncode == 0 and r.stdout == exported, "--output - writes the same to the standard output")
        check(exported.startswith(b"BEGIN:VCALENDAR\r\n") and exported.endswith(b"END:VCALENDAR\r\n"),
              "one VCALENDAR, CRLF line ends")
        if icalendar is not None:
            calendar, todos = vtodos(exported)
            check(str(calendar.get("X-WR-CALNAME")) == "Groceries"
                  and sorted(str(t.get("SUMMARY")) for t in todos) == ["Bread", "Oat milk", "Pick up the cake"],
                  "python3-icalendar reads the user's three to-dos")
        else:
            skip("python3-icalendar is not installed")

        # Everything: what Roster does not know survives.
        r = roster(home, "export", "--db", db, "-o", "-")
        check(r.returncode == 0, "export everything", r.stderr.decode())
        everything = r.stdout
        if icalendar is not None:
            calendar, todos = vtodos(everything)
            passport = [t for t in todos if str(t.get("UID")) == "3f0c6d0e-5b1f-4c8e-9a0b-2d4f6e8a1c3b"]
            check(len(todos) == 7, "seven to-dos", len(todos))
            check(len(passport) == 1 and int(passport[0].get("PRIORITY")) == 1
                  and str(passport[0].get("X-MOZ-GENERATION")) == "2"
                  and [c.name for c in passport[0].subcomponents] == ["VALARM"]
                  and passport[0].get("DUE").params.get("TZID") == "Europe/Berlin",
                  "Thunderbird's PRIORITY, VALARM, X-MOZ-GENERATION and DUE;TZID survive")
            check([c.get("TZID") for c in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"],
                  "the VTIMEZONE a to-do names goes with it")

        # ...and into another file: the same tasks, the same UIDs.
        with open(os.path.join(home, "everything.ics"), "wb") as f:
            f.write(everything)
        copy = os.path.join(home, "copy.db")
        r = roster(home, "import", "--db", copy, os.path.join(home, "everything.ics"))
        # (All for one user there: a to-do with no X-APPLE-SORT-ORDER goes to
        # the end of that list, so positions are not compared.)
        check(r.returncode == 0 and tasks_by_uid(copy, False) == tasks_by_uid(db, False),
              "an export imported elsewhere gives the same tasks and UIDs", r.stderr.decode())

        # CSV.
        r = roster(home, "export", "--db", db, "--tag", "Admin", "--format", "csv", "-o", "-")
        table = list(csv.reader(io.StringIO(r.stdout.decode(), newline="")))
        check(r.returncode == 0 and table == [
            ["title", "owner", "done", "due", "due_time", "priority", "repeat", "tags", "notes"],
            ["Renew passport", "Imported", "no", "2024-03-15", "16:00", "high", "", "Admin",
             "Bring two photos.\nThe form is on the desk, under the lamp."],
            ["Pay the electricity bill", "Imported", "yes", "2024-03-01", "", "", "", "Admin, Money", ""],
        ], "export --tag --format csv: RFC 4180 that the csv module reads back", table)

        # Export errors.
        for args, status, words in (
                (["--user", "Zoe", "--tag", "Admin", "-o", "-"], 2, "not both"),
                (["--format", "xml", "-o", "-"], 2, "not a format"),
                ([], 2, "--output"),
                (["--user", "Nobody", "-o", "-"], 1, "no user called “Nobody”"),
                (["--tag", "Nothing", "-o", "-"], 1, "no tag called “Nothing”")):
            r = roster(home, "export", "--db", db, *args)
            err = r.stderr.decode()
            check(r.returncode == status and words in err and r.stdout == b"",
                  f"export {' '.join(args)}: status {status} and a sentence", f"status {r.returncode}: {err}")
        r = roster(home, "export", "--db", missing, "-o", "-")
        check(r.returncode == 1 and "does not exist" in r.stderr.decode() and not os.path.exists(missing),
              "export from a file that does not exist creates none", r.stderr.decode())

    return finish()


if __name__ == "__main__":
    sys.exit(main())
