#!/usr/bin/env python3
# A randomized two-sided run of `roster sync` against a real Radicale: in
# rounds, this side edits the file (through `roster add/done/undone` and
# through direct SQL writes, as the seed's classes make them, which the
# triggers must notice) while python3-caldav edits the users' lists on the
# server, then `roster sync` runs. A reference model applies every edit as
# it is made and, at each sync, the rules HACKING.md and the issue state:
#
# - a field changed on one side only since the last sync: that side's value;
#   changed on both sides: the server's value;
# - tags, value by value: the server's set, plus the tags added here, minus
#   the tags removed here;
# - a task deleted here stays deleted (even when the server edited it);
# - a task deleted on the server goes here too, unless it was edited here
#   since the last sync: then it is sent again, as it is here;
# - a task is in its owner's list; moved to another list on one side, it
#   is in that one (moved on both, this side's move stays, as the engine
#   says: a move made here waits to be sent).
#
# After every sync (and one more at the end) the file and the server are
# compared with the model: the same UIDs, none twice, the same fields, and a
# diff printed when they differ. ROSTER_RANDOM_SEED replays a run;
# ROSTER_RANDOM_ROUNDS and ROSTER_RANDOM_EDITS (per round and side) change
# its size; ROSTER_RANDOM_MOVES (the share of the other device's edits that
# move a task to another person's list, 0.05 by default) too. A failure
# prints, for each task that differs, what happened to it on each side.
# Skipped without radicale or python3-caldav.
#
#   test-sync-random.py ROSTER TESTS-DIR    (TESTS-DIR: tests/)

import datetime
import os
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid

ROSTER, TESTS = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(TESTS, "cli"))
sys.path.insert(0, os.path.join(TESTS, "sync"))

from clitest import check, finish  # noqa: E402
import clitest  # noqa: E402
import radicale_fixture  # noqa: E402

PASSWORD = "pw-random-4k"
ACCOUNT = "ria"
USERS = ["ann", "ben", "cleo"]
TAGS = ["home", "work", "call", "errand", "later", "deep"]
FIRST_TASKS = 60
ROUNDS = int(os.environ.get("ROSTER_RANDOM_ROUNDS", 12))
EDITS = int(os.environ.get("ROSTER_RANDOM_EDITS", 45))  # per round and side
FIELDS = ("title", "notes", "done", "due", "priority")
MOVES = float(os.environ.get("ROSTER_RANDOM_MOVES", 0.05))   # the other device moving tasks
CASES = ("different fields on both sides", "the same field on both sides", "deleted here, edited there",
         "deleted there", "deleted there, edited here", "moved here, edited there")
SUMMARY = re.compile(r"^(\d+) sent, (\d+) received, (\d+) conflicts$")


class Task:
    """What one task (by UID) is expected to be on one side."""

    def __init__(self, title, owner, notes="", done=False, due=None, priority=0, tags=()):
        self.title, self.owner, self.notes, self.done = title, owner, notes, done
        self.due, self.priority, self.tags = due, priority, frozenset(tags)

    def copy(self):
        return Task(self.title, self.owner, self.notes, self.done, self.due, self.priority, self.tags)

    def as_tuple(self):
        return (self.title, self.owner, self.notes, self.done, self.due, self.priority, tuple(sorted(self.tags)))

    def __repr__(self):
        return repr(self.as_tuple())


class Model:
    """Per UID: the state both sides agreed on at the last sync (the merge
    base), the state here and the state there (None: not on that side), and
    whether this side edited it since the last sync."""

    def __init__(self):
        self.base, self.local, self.server, self.dirty = {}, {}, {}, set()
        self.conflicts = 0   # fields both sides changed to different values
        self.cases = dict.fromkeys(CASES, 0)   # how often each rule was met
        self.history, self.round = {}, 0   # uid -> what happened to it, for a failure's diff
        self.order = {}      # uid -> when the test first met it: Roster's UIDs are random,
        #                      so the edits pick tasks in this order for a seed to replay a run

    def log(self, uid, what):
        self.history.setdefault(uid, []).append(f"round {self.round}: {what}")

    def meet(self, uid):
        self.order.setdefault(uid, len(self.order))

    def uids(self, side):
        return sorted(side, key=self.order.__getitem__)

    def sync(self):
        """What a sync makes of the edits of both sides."""
        conflicts = 0
        for uid in set(self.local) | set(self.server) | set(self.base):
            base, here, there = self.base.get(uid), self.local.get(uid), self.server.get(uid)
            if base is None:
                result = here if here is not None else there   # new on one side
            elif here is None:
                result = None                                   # deleted here: stays deleted
                self.cases["deleted here, edited there"] += there is not None and there.as_tuple() != base.as_tuple()
            elif there is None:
                result = here if uid in self.dirty else None    # deleted there: sent again if edited here
                self.cases["deleted there, edited here" if uid in self.dirty else "deleted there"] += 1
            else:
                result = here.copy()
                for f in FIELDS:
                    b, h, t = getattr(base, f), getattr(here, f), getattr(there, f)
                    if t != b:
                        if h != b and h != t:
                            conflicts += 1
                        setattr(result, f, t)
                    elif h != b and there.as_tuple() != base.as_tuple():
                        self.cases["different fields on both sides"] += 1
                result.tags = (there.tags | (here.tags - base.tags)) - (base.tags - here.tags)
                if there.owner != base.owner and here.owner == base.owner:
                    result.owner = there.owner   # moved there only: the server's list
                self.cases["moved here, edited there"] += here.owner != base.owner and there.as_tuple() != base.as_tuple()
            for side in (self.base, self.local, self.server):
                if result is None:
                    side.pop(uid, None)
                else:
                    side[uid] = result.copy()
        self.dirty.clear()
        self.conflicts += conflicts
        self.cases["the same field on both sides"] += conflicts
        return conflicts


# ---------------------------------------------------------------------------
# Reading both sides

def roster(home, *args, password=None):
    return clitest.roster(ROSTER, home, *args, input=password + "\n" if password else "")


def local_tasks(path):
    """{uid: Task} of the file, and the UIDs seen twice."""
    db = sqlite3.connect(path)
    try:
        tags = {}
        for task_id, name in db.execute("SELECT l.task_id, c.name FROM taskcategorylink l "
                                        "JOIN category c ON c.id = l.category_id"):
            tags.setdefault(task_id, set()).add(name)
        out, twice = {}, []
        for task_id, uid, title, notes, done, due, priority, owner in db.execute(
                "SELECT t.id, i.uid, t.title, t.notes, t.done, t.due_date, t.priority, u.username "
                "FROM task t JOIN user u ON u.id = t.owner_id LEFT JOIN roster_ical i ON i.task_id = t.id"):
            if uid in out:
                twice.append(uid)
            out[uid] = Task(title, owner, notes, bool(done), due, priority, tags.get(task_id, ()))
        return out, twice
    finally:
        db.close()


def local_ids(path):
    """{uid: task id} of the file."""
    db = sqlite3.connect(path)
    try:
        return dict(db.execute("SELECT uid, task_id FROM roster_ical"))
    finally:
        db.close()


def read_priority(c):
    value = int(c.get("PRIORITY", 0))
    return 3 if 1 <= value <= 4 else 2 if value == 5 else 1 if 6 <= value <= 9 else 0


def read_categories(c):
    prop = c.get("CATEGORIES")
    if prop is None:
        return frozenset()
    props = prop if isinstance(prop, list) else [prop]
    return frozenset(str(v) for p in props for v in p.cats)


def read_vtodo(c, owner):
    due = c.get("DUE")
    done = (str(c.get("STATUS", "")) == "COMPLETED" or c.get("COMPLETED") is not None
            or int(c.get("PERCENT-COMPLETE", 0)) == 100)
    return Task(str(c.get("SUMMARY", "")), owner, str(c.get("DESCRIPTION", "")), done,
                due.dt.strftime("%Y-%m-%d") if due is not None else None,
                read_priority(c), read_categories(c))


def server_tasks(server):
    """{uid: Task} of the server, {uid: (list name, todo)} to edit them,
    and the UIDs seen twice."""
    out, objects, twice = {}, {}, []
    for cal in server.client(ACCOUNT).principal().calendars():
        for todo in cal.todos(include_completed=True):
            c = todo.icalendar_component
            uid = str(c["UID"])
            if uid in out:
                twice.append(uid)
            out[uid] = read_vtodo(c, cal.name)
            objects[uid] = (cal.name, todo)
    return out, objects, twice


def diff(expected, actual, history):
    """Lines saying how @actual ({uid: Task}) differs from @expected, with
    what happened to the task."""
    lines = ["(title, owner, notes, done, due, priority, tags)"]
    for uid in sorted(set(expected) | set(actual)):
        e, a = expected.get(uid), actual.get(uid)
        if e is None:
            lines.append(f"{uid}: not expected, found {a}")
        elif a is None:
            lines.append(f"{uid}: missing, expected {e}")
        elif e.as_tuple() != a.as_tuple():
            lines.append(f"{uid}: expected {e}")
            lines.append(f"{' ' * len(uid)}  found    {a}")
        if e is None or a is None or e.as_tuple() != a.as_tuple():
            lines += ["    " + h for h in history.get(uid, [])]
    return lines[1:] and lines


def compare(model, db, server, when):
    here, twice_here = local_tasks(db)
    there, objects, twice_there = server_tasks(server)
    d = diff(model.local, here, model.history)
    check(not d and not twice_here, f"{when}: the file is as the model says ({len(model.local)} tasks)",
          "\n".join(d[:40] + [f"twice here: {twice_here}"] * bool(twice_here)))
    d = diff(model.server, there, model.history)
    check(not d and not twice_there, f"{when}: the server is as the model says ({len(model.server)} tasks)",
          "\n".join(d[:40] + [f"twice there: {twice_there}"] * bool(twice_there)))
    return objects, not (d or twice_here or twice_there)


# ---------------------------------------------------------------------------
# The edits of this side

class LocalSide:
    def __init__(self, rng, home, db, model):
        self.rng, self.home, self.db, self.model = rng, home, db, model
        self.counter = 0

    def word(self, what):
        self.counter += 1
        return awkward(self.rng, f"{what} L{self.counter}", what == "note")

    def other(self, values, current):
        return self.rng.choice([v for v in values if v != current])

    def sql(self, *statements):
        clitest.execute(self.db, *statements)

    def task_id(self, uid):
        return local_ids(self.db)[uid]

    def add_cli(self):
        owner = self.rng.choice(USERS)
        t = Task(self.word("Task"), owner, self.word("note") if self.rng.random() < 0.5 else "",
                 due=random_date(self.rng) if self.rng.random() < 0.5 else None,
                 tags=self.rng.sample(TAGS, self.rng.randrange(3)))
        args = ["add", "--db", self.db, "--user", owner, t.title]
        for tag in sorted(t.tags):
            args += ["--tag", tag]
        if t.due:
            args += ["--due", t.due]
        if t.notes:
            args += ["--notes", t.notes]
        r = roster(self.home, *args)
        if r.returncode != 0:
            raise RuntimeError("roster add failed: " + r.err)
        task_id = int(r.out.split("\t")[0])
        uid = {v: k for k, v in local_ids(self.db).items()}[task_id]
        self.model.meet(uid)
        self.model.local[uid] = t
        self.model.dirty.add(uid)
        self.model.log(uid, f"added here (roster add) {t}")

    def add_sql(self):
        owner = self.rng.choice(USERS)
        t = Task(self.word("Task"), owner, tags=self.rng.sample(TAGS, self.rng.randrange(3)))
        conn = sqlite3.connect(self.db)
        try:
            cur = conn.execute("INSERT INTO task (title, owner_id) VALUES (?, (SELECT id FROM user WHERE username = ?))",
                               (t.title, owner))
            task_id = cur.lastrowid
            for tag in t.tags:
                conn.execute("INSERT OR IGNORE INTO category (name) VALUES (?)", (tag,))
                conn.execute("INSERT INTO taskcategorylink (task_id, category_id) "
                             "VALUES (?, (SELECT id FROM category WHERE name = ?))", (task_id, tag))
            conn.commit()
            uid = conn.execute("SELECT uid FROM roster_ical WHERE task_id = ?", (task_id,)).fetchone()[0]
        finally:
            conn.close()
        self.model.meet(uid)
        self.model.local[uid] = t
        self.model.dirty.add(uid)
        self.model.log(uid, f"added here (SQL) {t}")

    def edit(self, uid):
        """One edit of one field of the task @uid."""
        t = self.model.local[uid]
        task_id = self.task_id(uid)
        kind = self.rng.choice(["title", "title", "notes", "done", "due", "priority", "tags", "tags", "owner"])
        if kind == "title":
            t.title = self.word("Title")
            self.sql(("UPDATE task SET title = ? WHERE id = ?", t.title, task_id))
        elif kind == "notes":
            t.notes = self.word("note") if self.rng.random() < 0.7 or not t.notes else ""
            self.sql(("UPDATE task SET notes = ? WHERE id = ?", t.notes, task_id))
        elif kind == "done":
            t.done = not t.done
            if self.rng.random() < 0.5:
                r = roster(self.home, "done" if t.done else "undone", "--db", self.db, str(task_id))
                if r.returncode != 0:
                    raise RuntimeError("roster done/undone failed: " + r.err)
            else:
                self.sql(("UPDATE task SET done = ? WHERE id = ?", int(t.done), task_id))
        elif kind == "due":
            t.due = None if t.due and self.rng.random() < 0.3 else random_date(self.rng)
            self.sql(("UPDATE task SET due_date = ? WHERE id = ?", t.due, task_id))
        elif kind == "priority":
            t.priority = self.other(range(4), t.priority)
            self.sql(("UPDATE task SET priority = ? WHERE id = ?", t.priority, task_id))
        elif kind == "tags":
            tag = self.rng.choice(TAGS)
            if tag in t.tags:
                t.tags = t.tags - {tag}
                self.sql(("DELETE FROM taskcategorylink WHERE task_id = ? AND category_id = "
                          "(SELECT id FROM category WHERE name = ?)", task_id, tag))
            else:
                t.tags = t.tags | {tag}
                self.sql(("INSERT OR IGNORE INTO category (name) VALUES (?)", tag),
                         ("INSERT INTO taskcategorylink (task_id, category_id) "
                          "VALUES (?, (SELECT id FROM category WHERE name = ?))", task_id, tag))
        else:
            t.owner = self.other(USERS, t.owner)
            self.sql(("UPDATE task SET owner_id = (SELECT id FROM user WHERE username = ?) WHERE id = ?",
                      t.owner, task_id))
        self.model.dirty.add(uid)
        self.model.log(uid, f"here: {kind} -> {getattr(t, kind)!r}")

    def delete(self, uid):
        task_id = self.task_id(uid)
        self.sql(("DELETE FROM taskcategorylink WHERE task_id = ?", task_id),
                 ("DELETE FROM task WHERE id = ?", task_id))
        del self.model.local[uid]
        self.model.log(uid, "deleted here")
        self.model.dirty.discard(uid)

    def one_edit(self):
        r = self.rng.random()
        uids = self.model.uids(self.model.local)
        if r < 0.08 or not uids:
            self.add_cli()
        elif r < 0.16:
            self.add_sql()
        elif r < 0.24:
            self.delete(self.rng.choice(uids))
        else:
            self.edit(self.rng.choice(uids))


# ---------------------------------------------------------------------------
# The edits of the other device

# What iCalendar escapes or folds, and what is not ASCII: a text must come
# back as it was written, on both sides.
AWKWARD = [", with a comma", "; a semicolon", " a \\ backslash", ": a colon", " “quoted” café",
           " " + "long " * 20 + "end"]


def awkward(rng, text, lines):
    """@text, sometimes with something hard for iCalendar after it; a
    second line when @lines."""
    if rng.random() < 0.25:
        text += rng.choice(AWKWARD)
    if lines and rng.random() < 0.25:
        text += "\nand a second line"
    return text

def random_date(rng):
    return (datetime.date(2027, 1, 1) + datetime.timedelta(days=rng.randrange(365))).isoformat()


class ServerSide:
    def __init__(self, rng, server, model):
        self.rng, self.server, self.model = rng, server, model
        self.counter = 0
        self.objects = {}      # uid -> (list name, todo), read after each sync
        self.calendars = {}

    def word(self, what):
        self.counter += 1
        return awkward(self.rng, f"{what} S{self.counter}", what == "peer note")

    def start_round(self, objects):
        self.objects = dict(objects)
        self.calendars = self.server.calendars(ACCOUNT)
        # Deleting more than half of a list at once is refused (rightly):
        # the other device deletes at most a fifth of a list's synced tasks a round.
        self.may_delete = {}
        for uid, (name, _) in self.objects.items():
            self.may_delete[name] = self.may_delete.get(name, 0) + 1
        self.may_delete = {name: n // 5 for name, n in self.may_delete.items()}

    def create(self):
        import icalendar
        owner = self.rng.choice(USERS)
        uid = f"peer-{uuid.UUID(int=self.rng.getrandbits(128))}"
        t = Task(self.word("Peer task"), owner, self.word("peer note") if self.rng.random() < 0.5 else "",
                 due=random_date(self.rng) if self.rng.random() < 0.5 else None,
                 priority=self.rng.randrange(4), tags=self.rng.sample(TAGS, self.rng.randrange(3)))
        calendar, c = icalendar.Calendar(), icalendar.Todo()
        calendar.add("VERSION", "2.0")
        calendar.add("PRODID", "-//peer//random//EN")
        c.add("UID", uid)
        c.add("DTSTAMP", datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))
        c.add("SUMMARY", t.title)
        if t.notes:
            c.add("DESCRIPTION", t.notes)
        if t.due:
            c.add("DUE", datetime.date.fromisoformat(t.due))
        if t.priority:
            c.add("PRIORITY", [0, 9, 5, 1][t.priority])
        if t.tags:
            c.add("CATEGORIES", sorted(t.tags))
        calendar.add_component(c)
        todo = self.calendars[owner].save_todo(calendar.to_ical().decode())
        self.objects[uid] = (owner, todo)
        self.model.meet(uid)
        self.model.server[uid] = t
        self.model.log(uid, f"added there {t}")

    def edit(self, uid):
        name, todo = self.objects[uid]
        t = self.model.server[uid]
        c = todo.icalendar_component
        kind = self.rng.choice(["title", "title", "notes", "done", "due", "priority", "tags"])
        if kind == "title":
            t.title = self.word("Peer title")
            c.pop("SUMMARY", None)
            c.add("SUMMARY", t.title)
        elif kind == "notes":
            t.notes = self.word("peer note") if self.rng.random() < 0.7 or not t.notes else ""
            c.pop("DESCRIPTION", None)
            if t.notes:
                c.add("DESCRIPTION", t.notes)
        elif kind == "done":
            t.done = not t.done
            for p in ("STATUS", "COMPLETED", "PERCENT-COMPLETE"):
                c.pop(p, None)
            c.add("STATUS", "COMPLETED" if t.done else "NEEDS-ACTION")
            if t.done:
                c.add("COMPLETED", datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0))
        elif kind == "due":
            t.due = None if t.due and self.rng.random() < 0.3 else random_date(self.rng)
            c.pop("DUE", None)
            if t.due:
                c.add("DUE", datetime.date.fromisoformat(t.due))
        elif kind == "priority":
            t.priority = self.rng.choice([p for p in range(4) if p != t.priority])
            c.pop("PRIORITY", None)
            if t.priority:
                c.add("PRIORITY", [0, 9, 5, 1][t.priority])
        else:
            tags = set(t.tags)
            tags ^= {self.rng.choice(TAGS)}
            t.tags = frozenset(tags)
            c.pop("CATEGORIES", None)
            if tags:
                c.add("CATEGORIES", sorted(tags))
        todo.save()
        self.model.log(uid, f"there: {kind} -> {getattr(t, kind)!r}")

    def move(self, uid):
        """To another person's list, as a peer moves one: PUT there, then
        DELETE here (the old list loses one, as with a deletion)."""
        name, todo = self.objects[uid]
        t = self.model.server[uid]
        t.owner = self.rng.choice([u for u in USERS if u != name])
        moved = self.calendars[t.owner].save_todo(todo.data)
        todo.delete()
        self.may_delete[name] -= 1
        self.objects[uid] = (t.owner, moved)
        self.model.log(uid, f"moved there from {name} to {t.owner}")

    def delete(self, uid):
        name, todo = self.objects.pop(uid)
        todo.delete()
        self.may_delete[name] -= 1
        del self.model.server[uid]
        self.model.log(uid, "deleted there")

    def one_edit(self):
        r = self.rng.random()
        uids = self.model.uids(self.objects)
        deletable = [u for u in uids if self.may_delete.get(self.objects[u][0], 0) > 0
                     and self.model.base.get(u) is not None]
        if r < 0.12 or not uids:
            self.create()
        elif r < 0.22 and deletable:
            self.delete(self.rng.choice(deletable))
        elif r < 0.22 + MOVES and deletable:
            self.move(self.rng.choice(deletable))
        else:
            self.edit(self.rng.choice(uids))


# ---------------------------------------------------------------------------

def make_file(path, rng, model):
    with open(os.path.join(TESTS, "data", "seed-schema.sql")) as f:
        schema = f.read()
    db = sqlite3.connect(path)
    db.executescript(schema)
    db.executemany("INSERT INTO user (id, username) VALUES (?, ?)", [(i + 1, u) for i, u in enumerate(USERS)])
    db.executemany("INSERT INTO category (id, name) VALUES (?, ?)", [(i + 1, t) for i, t in enumerate(TAGS)])
    for n in range(1, FIRST_TASKS + 1):
        owner = rng.randrange(len(USERS))
        db.execute("INSERT INTO task (id, title, owner_id) VALUES (?, ?, ?)", (n, f"First {n}", owner + 1))
        for tag in rng.sample(range(len(TAGS)), rng.randrange(3)):
            db.execute("INSERT INTO taskcategorylink (task_id, category_id) VALUES (?, ?)", (n, tag + 1))
    db.commit()
    db.close()


def main():
    if radicale_fixture.skip_unless_available():
        return 77

    seed = int(os.environ.get("ROSTER_RANDOM_SEED", random.randrange(1 << 30)))
    print(f"# ROSTER_RANDOM_SEED={seed} (rounds {ROUNDS}, edits per round and side {EDITS})")
    rng = random.Random(seed)
    home = tempfile.mkdtemp(prefix="roster-sync-random-")
    db = os.path.join(home, "random.db")
    model = Model()
    started = time.monotonic()
    try:
        make_file(db, rng, model)
        with radicale_fixture.Radicale({ACCOUNT: PASSWORD}) as server:
            def sync(first=False):
                args = ["sync", "--db", db, "--password-stdin"]
                if first:
                    args += ["--server", server.url, "--username", ACCOUNT]
                r = roster(home, *args, password=PASSWORD)
                m = SUMMARY.match(r.out.strip())
                return r, m

            r, m = sync(first=True)
            check(m is not None and r.returncode == 0, "the first sync uploads the file", r.out + r.err)
            # The file got its UIDs when roster first opened it.
            model.local = local_tasks(db)[0]
            for uid, _ in sorted(local_ids(db).items(), key=lambda item: item[1]):
                model.meet(uid)
            model.server = {uid: t.copy() for uid, t in model.local.items()}
            model.base = {uid: t.copy() for uid, t in model.local.items()}
            objects, good = compare(model, db, server, "after the first upload")

            local = LocalSide(rng, home, db, model)
            other = ServerSide(rng, server, model)
            edits, stopped = 0, False   # a run stops at its first mismatch
            for n in range(1, ROUNDS + 1):
                model.round = n
                other.start_round(objects)
                # The two sides take turns at random, so edits of one task
                # on both sides meet in the same round.
                sides = [local] * EDITS + [other] * EDITS
                rng.shuffle(sides)
                for side in sides:
                    side.one_edit()
                edits += len(sides)
                r, m = sync()
                check(m is not None and r.returncode == 0, f"round {n}: roster sync succeeds",
                      r.out + r.err)
                if m is None:
                    stopped = True
                    break
                print(f"# round {n}: {r.out.strip()}")
                expected = model.sync()
                check(int(m.group(3)) >= expected,
                      f"round {n}: each field changed on both sides is said as a conflict",
                      f"{m.group(3)} said, {expected} expected at least")
                objects, good = compare(model, db, server, f"round {n}")
                if not good:
                    stopped = True
                    break

            r, m = sync()
            check(m is not None and m.group(1) == "0" and m.group(3) == "0",
                  "one more sync sends nothing and finds no conflict", r.out + r.err)
            compare(model, db, server, "at the end")
            print("# " + ", ".join(f"{what}: {n}" for what, n in model.cases.items()))
            if not stopped and ROUNDS * EDITS * 2 >= 1000:
                check(edits >= 1000, f"{edits} edits were made", edits)
                check(all(model.cases.values()), "the run met every rule at least once", model.cases)
            print(f"# {edits} edits, {model.conflicts} conflicting fields, "
                  f"{len(model.local)} tasks at the end, {time.monotonic() - started:.1f} s")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(f"# ROSTER_RANDOM_SEED={seed}")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
