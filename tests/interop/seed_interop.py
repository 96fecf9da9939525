#!/usr/bin/env python3
"""seed_interop.py: Roster and the seed's own SQLModel classes share one file.

The interop test of issue 2, run by `meson test --suite interop`:

  1. the seed's classes create a file with `SQLModel.metadata.create_all` (its
     schema must be seed/seed-schema.sql exactly) and fill it through sessions;
  2. `roster-interop-tool edit` opens it with RosterStore (which migrates it),
     must list exactly what Python wrote, then edits it through the store;
  3. the seed's classes read every edit back through their relationships, and
     write again (a user, a task with categories, renames, unlinking, a delete);
  4. `roster-interop-tool dump` must list exactly what SQLModel wrote, and give
     Roster's added columns their defaults on the rows SQLModel inserted.

Then the other way round: a file Roster created (`roster-interop-tool create`)
survives the seed's `create_all` untouched, and SQLModel reads and writes it.

Usage: seed_interop.py PATH-TO-roster-interop-tool
Every difference is printed; the exit status is 1 if there was any.
"""

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple

from sqlmodel import Field, Relationship, Session, SQLModel, create_engine, select


# The seed's classes (seed/model-relationships.md), merged as seed/README.md
# says: one Task class carries both the owner and the categories.

class TaskCategoryLink(SQLModel, table=True):
    task_id: Optional[int] = Field(
        default=None, foreign_key="task.id", primary_key=True
    )
    category_id: Optional[int] = Field(
        default=None, foreign_key="category.id", primary_key=True
    )


class User(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True)

    tasks: List["Task"] = Relationship(back_populates="owner")


class Task(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    title: str

    owner_id: int = Field(foreign_key="user.id")
    owner: User = Relationship(back_populates="tasks")

    categories: List["Category"] = Relationship(back_populates="tasks", link_model=TaskCategoryLink)


class Category(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True)

    tasks: List[Task] = Relationship(back_populates="categories", link_model=TaskCategoryLink)


# seed-schema.sql (tests/data/): what create_all writes for the classes above.
# Read in main() from the path meson passes.
SEED_SCHEMA = ""

# From src/model/roster-store.h.
ROSTER_SCHEMA_VERSION = 4
ROSTER_APPLICATION_ID = 0x526F7374
ROSTER_DEFAULT_COLOR = "#3584e4"

# What step 1 writes. roster-interop-tool's edit_seed_file() looks these names up.
SEED_USERS = ["alice", "bob", "carol", "Zoë", "dave"]
SEED_CATEGORIES = ["home", "work", "errands", "urgent", "travel"]
# (owner, title, categories), interleaved so no user's task ids are consecutive.
SEED_TASKS = [
    ("alice", "Buy milk", ["home", "errands"]),
    ("bob", "Fix bike", ["home"]),
    ("dave", "Water plants", ["home"]),
    ("alice", "Write report", ["work", "urgent"]),
    ("carol", "Plan trip", ["travel"]),
    ("bob", "Pay rent", ["home", "urgent"]),
    ("Zoë", "Café review", ["errands", "someday"]),
    ("alice", "Call mom", []),
    ("dave", "Old draft", ["work"]),
    ("carol", "Buy milk", []),
]
# What roster-interop-tool writes as the notes of "Write report".
REPORT_NOTES = 'Outline:\n- intro\n- "results" \u2713\tdone'


class Failed(Exception):
    """A step found differences; they have been printed already."""


def say(message: str) -> None:
    print(message, flush=True)


def require(differences: List[str], what: str) -> None:
    """Print the differences found while checking @what; stop if there are any."""
    if differences:
        say(f"FAIL: {what}:")
        for difference in differences:
            say(f"  - {difference}")
        raise Failed()
    say(f"ok - {what}")


# The expected state and what one side actually shows --------------------------

@dataclass
class TaskState:
    title: str
    owner_id: int
    categories: Set[int] = field(default_factory=set)
    done: bool = False
    notes: str = ""
    due: Optional[str] = None  # "YYYY-MM-DD"


@dataclass
class State:
    """What the file should hold: the seed's fields plus Roster's."""
    users: Dict[int, str] = field(default_factory=dict)
    tasks: Dict[int, TaskState] = field(default_factory=dict)
    categories: Dict[int, str] = field(default_factory=dict)
    colors: Dict[int, str] = field(default_factory=dict)

    def user_id(self, username: str) -> int:
        return next(i for i, name in self.users.items() if name == username)

    def category_id(self, name: str) -> int:
        return next(i for i, n in self.categories.items() if n == name)

    def task_id(self, owner: str, title: str) -> int:
        owner_id = self.user_id(owner)
        return next(i for i, t in self.tasks.items()
                    if t.owner_id == owner_id and t.title == title)

    def user_tasks(self, user_id: int) -> Set[int]:
        return {i for i, t in self.tasks.items() if t.owner_id == user_id}

    def category_tasks(self, category_id: int) -> Set[int]:
        return {i for i, t in self.tasks.items() if category_id in t.categories}


@dataclass
class View:
    """What one side shows through its relationships. The task, category and
    Roster-only fields are None where that side cannot see them."""
    users: Dict[int, str] = field(default_factory=dict)
    user_tasks: Dict[int, List[int]] = field(default_factory=dict)
    tasks: Dict[int, dict] = field(default_factory=dict)
    categories: Dict[int, dict] = field(default_factory=dict)
    category_tasks: Dict[int, List[int]] = field(default_factory=dict)
    problems: List[str] = field(default_factory=list)


def describe_ids(ids, names: Dict[int, str]) -> str:
    return "{" + ", ".join(f"{i} {names.get(i, '?')!r}" for i in sorted(ids)) + "}"


def compare(expected: State, view: View, roster_fields: bool) -> List[str]:
    """Every way @view differs from @expected, in words."""
    out: List[str] = []
    titles = {i: t.title for i, t in expected.tasks.items()}
    titles.update({i: t["title"] for i, t in view.tasks.items() if i not in titles})
    cat_names = dict(expected.categories)
    cat_names.update({i: c["name"] for i, c in view.categories.items() if i not in cat_names})

    # Users and their tasks.
    for user_id in sorted(set(expected.users) - set(view.users)):
        out.append(f"user {user_id} {expected.users[user_id]!r} is missing")
    for user_id in sorted(set(view.users) - set(expected.users)):
        out.append(f"unexpected user {user_id} {view.users[user_id]!r}")
    for user_id in sorted(set(expected.users) & set(view.users)):
        name = expected.users[user_id]
        if view.users[user_id] != name:
            out.append(f"user {user_id} is called {view.users[user_id]!r}, expected {name!r}")
        listed = view.user_tasks.get(user_id, [])
        if len(listed) != len(set(listed)):
            out.append(f"the tasks of user {user_id} {name!r} list a task twice: {listed}")
        want = expected.user_tasks(user_id)
        if set(listed) != want:
            out.append(f"the tasks of user {user_id} {name!r} are {describe_ids(listed, titles)}, "
                       f"expected {describe_ids(want, titles)}")

    # Tasks, reached through the users' lists.
    for task_id in sorted(set(expected.tasks) - set(view.tasks)):
        out.append(f"task {task_id} {expected.tasks[task_id].title!r} is missing")
    for task_id in sorted(set(view.tasks) - set(expected.tasks)):
        out.append(f"unexpected task {task_id} {view.tasks[task_id]['title']!r}")
    for task_id in sorted(set(expected.tasks) & set(view.tasks)):
        want = expected.tasks[task_id]
        got = view.tasks[task_id]
        label = f"task {task_id} {want.title!r}"
        if got["title"] != want.title:
            out.append(f"{label} is titled {got['title']!r}")
        if got["owner_id"] != want.owner_id:
            out.append(f"{label} belongs to user {got['owner_id']}, expected {want.owner_id} "
                       f"{expected.users.get(want.owner_id)!r}")
        if len(got["categories"]) != len(set(got["categories"])):
            out.append(f"{label} lists a category twice: {got['categories']}")
        if set(got["categories"]) != want.categories:
            out.append(f"the categories of {label} are {describe_ids(got['categories'], cat_names)}, "
                       f"expected {describe_ids(want.categories, cat_names)}")
        if roster_fields:
            if got["done"] != want.done:
                out.append(f"{label} has done={got['done']}, expected {want.done}")
            if got["notes"] != want.notes:
                out.append(f"{label} has notes {got['notes']!r}, expected {want.notes!r}")
            if got["due"] != want.due:
                out.append(f"{label} has due date {got['due']!r}, expected {want.due!r}")

    # Categories and their tasks.
    for category_id in sorted(set(expected.categories) - set(view.categories)):
        out.append(f"category {category_id} {expected.categories[category_id]!r} is missing")
    for category_id in sorted(set(view.categories) - set(expected.categories)):
        out.append(f"unexpected category {category_id} {view.categories[category_id]['name']!r}")
    for category_id in sorted(set(expected.categories) & set(view.categories)):
        name = expected.categories[category_id]
        got = view.categories[category_id]
        if got["name"] != name:
            out.append(f"category {category_id} is called {got['name']!r}, expected {name!r}")
        if roster_fields:
            want_color = expected.colors.get(category_id, ROSTER_DEFAULT_COLOR)
            if (got["color"] or "").lower() != want_color.lower():
                out.append(f"category {category_id} {name!r} has colour {got['color']!r}, "
                           f"expected {want_color!r}")
        listed = view.category_tasks.get(category_id, [])
        if len(listed) != len(set(listed)):
            out.append(f"the tasks of category {category_id} {name!r} list a task twice: {listed}")
        want = expected.category_tasks(category_id)
        if set(listed) != want:
            out.append(f"the tasks of category {category_id} {name!r} are "
                       f"{describe_ids(listed, titles)}, expected {describe_ids(want, titles)}")

    for problem in view.problems:
        out.append(f"the store reports a problem: {problem}")
    return out


def check_order(view: View, expected: State, order: Dict[str, list]) -> List[str]:
    """@order maps a username to the titles its list must show, in order; a
    set inside stands for titles that may come in any order."""
    out = []
    for username, groups in order.items():
        user_id = expected.user_id(username)
        listed = [view.tasks[i]["title"] for i in view.user_tasks.get(user_id, []) if i in view.tasks]
        at = 0
        for group in groups:
            titles = group if isinstance(group, set) else {group}
            chunk = listed[at:at + len(titles)]
            if set(chunk) != titles:
                out.append(f"the tasks of {username!r} are in the order {listed}, expected {groups}")
                break
            at += len(titles)
        else:
            if at != len(listed):
                out.append(f"the tasks of {username!r} are in the order {listed}, expected {groups}")
    return out


# The C side ---------------------------------------------------------------------

class ToolOutput:
    def __init__(self, lines: List[dict]):
        self.sections: Dict[str, View] = {}
        self.edits: List[dict] = []
        current: Optional[View] = None
        for line in lines:
            kind = line["kind"]
            if kind == "section":
                current = self.sections[line["name"]] = View()
            elif kind == "edit":
                self.edits.append(line)
            elif kind == "user":
                current.users[line["id"]] = line["username"]
                current.user_tasks[line["id"]] = line["tasks"]
            elif kind == "task":
                current.tasks[line["id"]] = line
            elif kind == "category":
                current.categories[line["id"]] = line
                current.category_tasks[line["id"]] = line["tasks"]
            elif kind == "problem":
                current.problems.append(line["text"])
            else:
                raise ValueError(f"unknown line kind {kind!r}")

    def created(self, op: str, key: str, value: str) -> int:
        """The id of what the edit @op named @value (in @key) created."""
        for edit in self.edits:
            if edit["op"] == op and edit.get(key) == value:
                return edit["id"]
        say(f"FAIL: roster-interop-tool printed no {op!r} edit with {key}={value!r}")
        raise Failed()


def run_tool(tool: str, command: str, path: str) -> ToolOutput:
    what = f"roster-interop-tool {command} {os.path.basename(path)}"
    result = subprocess.run([tool, command, path], capture_output=True, text=True,
                            encoding="utf-8", errors="replace", timeout=120)
    if result.returncode != 0:
        if result.returncode < 0:
            say(f"FAIL: {what} was killed by signal {-result.returncode} "
                f"({signal.Signals(-result.returncode).name})")
        else:
            say(f"FAIL: {what} exited with status {result.returncode}")
        for line in result.stderr.splitlines():
            say(f"  stderr: {line}")
        for line in result.stdout.splitlines()[-3:]:
            say(f"  last output: {line}")
        raise Failed()
    if result.stderr.strip():
        for line in result.stderr.splitlines():
            say(f"# {what} stderr: {line}")
    try:
        output = ToolOutput([json.loads(line) for line in result.stdout.splitlines() if line.strip()])
    except (ValueError, KeyError, AttributeError) as error:
        say(f"FAIL: {what} printed something unreadable ({error}):")
        say(result.stdout)
        raise Failed()
    say(f"ok - {what} ran")
    return output


# The file itself ---------------------------------------------------------------

@contextlib.contextmanager
def connect(path: str):
    """A plain sqlite3 connection, closed afterwards so it holds nothing open
    while the other side writes."""
    db = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
    try:
        yield db
    finally:
        db.close()


def schema_entries(path: str) -> List[tuple]:
    with connect(path) as db:
        return db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                          "ORDER BY rowid").fetchall()


def pragma(path: str, name: str):
    with connect(path) as db:
        return db.execute(f"PRAGMA {name}").fetchone()[0]


def check_seed_schema(path: str) -> List[str]:
    """The statements in sqlite_master must be SEED_SCHEMA's, one for one."""
    want = [s.strip() for s in SEED_SCHEMA.split(";\n") if s.strip()]
    got = [sql for (_, _, _, sql) in schema_entries(path) if sql is not None]
    out = []
    for statement in want:
        if statement not in got:
            out.append(f"the file lacks this statement of seed-schema.sql:\n{statement}")
    for statement in got:
        if statement not in want:
            out.append(f"the file has a statement seed-schema.sql does not:\n{statement}")
    if not out and got != want:
        out.append(f"the statements come in another order than seed-schema.sql's: {got}")
    return out


# (column, declared type, not null, primary key position) as the seed writes them.
SEED_COLUMNS = {
    "user": [("id", "INTEGER", 1, 1), ("username", "VARCHAR", 1, 0)],
    "task": [("id", "INTEGER", 1, 1), ("title", "VARCHAR", 1, 0), ("owner_id", "INTEGER", 1, 0)],
    "category": [("id", "INTEGER", 1, 1), ("name", "VARCHAR", 1, 0)],
    "taskcategorylink": [("task_id", "INTEGER", 1, 1), ("category_id", "INTEGER", 1, 2)],
}
ROSTER_COLUMNS = {"task": ["done", "notes", "due_date", "position"], "category": ["color"]}


def check_roster_file(path: str) -> List[str]:
    """A file Roster has opened: versioned, consistent, and still the seed's
    tables underneath, so the seed's classes can read and write it."""
    out = []
    version = pragma(path, "user_version")
    if version != ROSTER_SCHEMA_VERSION:
        out.append(f"PRAGMA user_version is {version}, expected {ROSTER_SCHEMA_VERSION}")
    application_id = pragma(path, "application_id") & 0xFFFFFFFF
    if application_id != ROSTER_APPLICATION_ID:
        out.append(f"PRAGMA application_id is {application_id:#x}, expected {ROSTER_APPLICATION_ID:#x}")
    integrity = pragma(path, "integrity_check")
    if integrity != "ok":
        out.append(f"PRAGMA integrity_check says {integrity!r}")
    with connect(path) as db:
        broken = db.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            out.append(f"PRAGMA foreign_key_check finds rows breaking a foreign key: {broken}")

        for table, seed_columns in SEED_COLUMNS.items():
            info = {row[1]: row for row in db.execute(f"PRAGMA table_info({table})")}
            if not info:
                out.append(f"table {table} is gone")
                continue
            for name, type_, notnull, pk in seed_columns:
                row = info.get(name)
                if row is None:
                    out.append(f"column {table}.{name} is gone")
                elif (row[2].upper(), row[3], row[5]) != (type_, notnull, pk):
                    out.append(f"column {table}.{name} is now {row[2]} notnull={row[3]} pk={row[5]}, "
                               f"the seed has {type_} notnull={notnull} pk={pk}")
            for name in ROSTER_COLUMNS.get(table, []):
                if name not in info:
                    out.append(f"Roster's column {table}.{name} is missing")
            seed_names = {c[0] for c in seed_columns}
            for name, row in info.items():
                # A row the seed's classes insert names only the seed's columns.
                if name not in seed_names and row[3] and row[4] is None:
                    out.append(f"column {table}.{name} is NOT NULL without a default: "
                               f"the seed's classes cannot insert into {table}")

        # Roster's counts and Find entries are kept by triggers, so they must
        # be right after anybody's writes, the seed's classes' included.
        for user_id, kept, kept_open, real, real_open in db.execute(
                "SELECT u.id, coalesce(c.n_tasks, 0), coalesce(c.n_open, 0), "
                "(SELECT count(*) FROM task WHERE owner_id = u.id), "
                "(SELECT count(*) FROM task WHERE owner_id = u.id AND done = 0) "
                "FROM user AS u LEFT JOIN roster_user_count AS c ON c.user_id = u.id"):
            if (kept, kept_open) != (real, real_open):
                out.append(f"roster_user_count says user {user_id} has {kept} tasks ({kept_open} open), "
                           f"the task table {real} ({real_open} open)")
        for category_id, kept, real in db.execute(
                "SELECT g.id, coalesce(c.n_tasks, 0), "
                "(SELECT count(*) FROM taskcategorylink WHERE category_id = g.id) "
                "FROM category AS g LEFT JOIN roster_category_count AS c ON c.category_id = g.id"):
            if kept != real:
                out.append(f"roster_category_count says category {category_id} has {kept} tasks, "
                           f"the link table {real}")
        unfindable = db.execute(
            "SELECT id FROM task WHERE id NOT IN (SELECT task_id FROM roster_find_stale) "
            "AND id NOT IN (SELECT rowid FROM roster_find)").fetchall()
        if unfindable:
            out.append(f"tasks neither in Find's index nor waiting for it: {unfindable}")

        # Every task keeps a UID for good (roster_ical, kept by triggers), the
        # seed's classes' tasks too, and no row outlives its task.
        without_uid = db.execute(
            "SELECT id FROM task WHERE id NOT IN (SELECT task_id FROM roster_ical)").fetchall()
        if without_uid:
            out.append(f"tasks without a UID in roster_ical: {without_uid}")
        dangling = db.execute(
            "SELECT task_id FROM roster_ical WHERE task_id NOT IN (SELECT id FROM task)").fetchall()
        if dangling:
            out.append(f"roster_ical rows of tasks that are gone: {dangling}")
        not_random = db.execute(
            "SELECT task_id, uid FROM roster_ical WHERE vtodo IS NULL AND "
            "(length(uid) != 32 OR uid GLOB '*[^0-9a-f]*')").fetchall()
        if not_random:
            out.append(f"UIDs Roster made that are not 128 random bits in hex: {not_random}")

        def indexed(table: str, column: str, unique: bool) -> bool:
            for index in db.execute(f"PRAGMA index_list({table})").fetchall():
                name, is_unique = index[1], index[2]
                columns = [r[2] for r in db.execute(f"PRAGMA index_info({name!r})")]
                if columns and columns[0] == column and (not unique or (is_unique and columns == [column])):
                    return True
            return False

        for table, column, unique in [("user", "username", True), ("category", "name", True),
                                      ("task", "owner_id", False),
                                      ("taskcategorylink", "category_id", False)]:
            if not indexed(table, column, unique):
                out.append(f"no {'unique ' if unique else ''}index on {table}({column})")
    return out


def check_roster_columns(path: str, expected: State) -> List[str]:
    """Roster's own columns, read with plain SQL since the seed's classes do not
    know them: they must have survived whatever SQLModel did."""
    out = []
    with connect(path) as db:
        for task_id, done, notes, due in db.execute("SELECT id, done, notes, due_date FROM task"):
            want = expected.tasks.get(task_id)
            if want is None:
                continue
            if bool(done) != want.done:
                out.append(f"task.done of task {task_id} {want.title!r} is {done!r}, expected {want.done}")
            if notes != want.notes:
                out.append(f"task.notes of task {task_id} {want.title!r} is {notes!r}, "
                           f"expected {want.notes!r}")
            if (due is not None) != (want.due is not None):
                out.append(f"task.due_date of task {task_id} {want.title!r} is {due!r}, "
                           f"expected {'a date' if want.due else 'NULL'}")
        for category_id, color in db.execute("SELECT id, color FROM category"):
            want_color = expected.colors.get(category_id, ROSTER_DEFAULT_COLOR)
            if category_id in expected.categories and (color or "").lower() != want_color:
                out.append(f"category.color of category {category_id} "
                           f"{expected.categories[category_id]!r} is {color!r}, expected {want_color!r}")
    return out


# The seed's side ---------------------------------------------------------------

def engine_for(path: str):
    return create_engine(f"sqlite:///{path}")


def sqlmodel_view(path: str) -> Tuple[View, List[str]]:
    """Everything reachable through the seed's relationships, and every way the
    two sides of a relationship disagree."""
    view = View()
    out: List[str] = []
    engine = engine_for(path)
    try:
        with Session(engine) as session:
            for user in session.exec(select(User)).all():
                view.users[user.id] = user.username
                view.user_tasks[user.id] = [t.id for t in user.tasks]
                for task in user.tasks:
                    if task.owner is not user or task.owner_id != user.id:
                        out.append(f"task {task.id} {task.title!r} is in user {user.id}'s tasks, "
                                   f"but its owner is {task.owner_id}")
                    view.tasks[task.id] = {"title": task.title, "owner_id": task.owner_id,
                                           "categories": [c.id for c in task.categories]}
            for task in session.exec(select(Task)).all():
                if task.id not in view.tasks:
                    out.append(f"task {task.id} {task.title!r} (owner_id {task.owner_id}) "
                               f"is in no user's tasks")
            for category in session.exec(select(Category)).all():
                view.categories[category.id] = {"name": category.name}
                view.category_tasks[category.id] = [t.id for t in category.tasks]
                for task in category.tasks:
                    if not any(c is category for c in task.categories):
                        out.append(f"task {task.id} is in category {category.id}'s tasks, "
                                   f"but the category is not in the task's categories")
    finally:
        engine.dispose()
    return view, out


def check_with_sqlmodel(path: str, expected: State, what: str) -> None:
    view, out = sqlmodel_view(path)
    require(out + compare(expected, view, roster_fields=False),
            f"{what}: the seed's classes see it through user.tasks, task.owner, "
            f"task.categories and category.tasks")


def fill_with_sqlmodel(path: str) -> State:
    """Step 1: create and fill a file as a SQLModel user would."""
    engine = engine_for(path)
    try:
        SQLModel.metadata.create_all(engine)
        with Session(engine) as session:
            session.add_all([User(username=name) for name in SEED_USERS])
            session.add_all([Category(name=name) for name in SEED_CATEGORIES])
            session.commit()

        with Session(engine) as session:
            users = {u.username: u for u in session.exec(select(User)).all()}
            categories = {c.name: c for c in session.exec(select(Category)).all()}
            for number, (owner, title, names) in enumerate(SEED_TASKS):
                task = Task(title=title)
                for name in names:
                    if name not in categories:  # made on the fly, through the link
                        categories[name] = Category(name=name)
                # Both sides of each relationship, the ways the seed's users do it.
                if number % 2 == 0:
                    task.owner = users[owner]
                else:
                    users[owner].tasks.append(task)
                for name in names:
                    if number % 3 == 0:
                        categories[name].tasks.append(task)
                    else:
                        task.categories.append(categories[name])
                session.add(task)
            session.add(Category(name="empty"))  # a category with no tasks
            session.commit()

        expected = State()
        with Session(engine) as session:
            for user in session.exec(select(User)).all():
                expected.users[user.id] = user.username
            for category in session.exec(select(Category)).all():
                expected.categories[category.id] = category.name
        for owner, title, names in SEED_TASKS:
            with Session(engine) as session:
                task = session.exec(select(Task).join(User)
                                    .where(User.username == owner, Task.title == title)).one()
                expected.tasks[task.id] = TaskState(title, task.owner_id,
                                                    {expected.category_id(n) for n in names})
    finally:
        engine.dispose()
    return expected


def id_order(expected: State) -> Dict[str, list]:
    """Tasks the seed inserted: Roster lists them in id order."""
    return {name: [expected.tasks[i].title for i in sorted(expected.user_tasks(user_id))]
            for user_id, name in expected.users.items()}


def apply_roster_edits(expected: State, output: ToolOutput) -> None:
    """What edit_seed_file() in roster-interop-tool.c does, done to @expected."""
    e = expected
    bob, carol, dave = (e.user_id(n) for n in ["bob", "carol", "dave"])
    buy_milk = e.task_id("alice", "Buy milk")
    report = e.task_id("alice", "Write report")
    call_mom = e.task_id("alice", "Call mom")
    pay_rent = e.task_id("bob", "Pay rent")
    plan_trip = e.task_id("carol", "Plan trip")

    e.users[bob] = "robert"
    erin = output.created("create-user", "username", "erin")
    e.users[erin] = "erin"
    first = output.created("create-task", "title", "Erin's first task")
    e.tasks[first] = TaskState("Erin's first task", erin)
    flights = output.created("create-task", "title", "Book flights")
    e.tasks[flights] = TaskState("Book flights", carol)
    e.tasks[buy_milk].done = True
    e.tasks[report].notes = REPORT_NOTES
    e.tasks[report].due = "2026-12-01"
    e.tasks[flights].due = "2027-01-15"
    e.tasks[call_mom].owner_id = erin
    e.tasks[plan_trip].categories.add(e.category_id("urgent"))
    e.tasks[buy_milk].categories.discard(e.category_id("errands"))
    e.tasks[flights].categories.add(e.category_id("travel"))
    garden = output.created("create-category", "name", "garden")
    e.categories[garden] = "garden"
    e.colors[garden] = "#26a269"
    e.colors[e.category_id("home")] = "#e01b24"
    e.tasks[first].categories.add(garden)
    del e.tasks[pay_rent]
    for task in e.tasks.values():
        if task.owner_id == dave:
            task.owner_id = carol
    del e.users[dave]


def write_again_with_sqlmodel(path: str, expected: State) -> None:
    """Step 3: the seed's classes write to the file Roster edited."""
    engine = engine_for(path)
    try:
        with Session(engine) as session:
            def user(name):
                return session.exec(select(User).where(User.username == name)).one()

            def category(name):
                return session.exec(select(Category).where(Category.name == name)).one()

            def task(owner, title):
                return next(t for t in user(owner).tasks if t.title == title)

            # Look everything up first: a query autoflushes what changed.
            alice, carol = user("alice"), user("carol")
            work, garden, home = category("work"), category("garden"), category("home")
            plan_trip, flights = task("carol", "Plan trip"), task("carol", "Book flights")
            report, erins = task("alice", "Write report"), task("erin", "Erin's first task")

            frank = User(username="frank")
            franks = Task(title="Frank's task", owner=frank, categories=[work, garden])
            session.add(franks)
            fence = Task(title="Fence quote")
            alice.tasks.append(fence)
            hobby = Category(name="hobby")
            plan_trip.categories.append(hobby)

            carol.username = "Caroline"
            report.title = "Write the report"
            home.name = "house"

            report.categories.remove(work)
            garden.tasks.remove(erins)
            session.delete(flights)  # Roster made it, with a due date and a tag
            session.commit()
            ids = {"frank": frank.id, "franks": franks.id, "fence": fence.id, "hobby": hobby.id}
    finally:
        engine.dispose()

    e = expected
    e.users[ids["frank"]] = "frank"
    e.tasks[ids["franks"]] = TaskState("Frank's task", ids["frank"],
                                       {e.category_id("work"), e.category_id("garden")})
    e.tasks[ids["fence"]] = TaskState("Fence quote", e.user_id("alice"))
    e.categories[ids["hobby"]] = "hobby"
    e.tasks[e.task_id("carol", "Plan trip")].categories.add(ids["hobby"])
    carol = e.user_id("carol")
    e.users[carol] = "Caroline"
    report = e.task_id("alice", "Write report")
    e.tasks[report].title = "Write the report"
    e.categories[e.category_id("home")] = "house"
    e.tasks[report].categories.discard(e.category_id("work"))
    e.tasks[e.task_id("erin", "Erin's first task")].categories.discard(e.category_id("garden"))
    del e.tasks[e.task_id("Caroline", "Book flights")]


# The two scenarios -------------------------------------------------------------

def seed_made_file(tool: str, directory: str) -> None:
    say("# A file made by the seed's classes, edited by Roster, and back")
    path = os.path.join(directory, "seed-made.db")

    # 1. SQLModel creates and fills the file.
    expected = fill_with_sqlmodel(path)
    require(check_seed_schema(path), "create_all wrote exactly seed-schema.sql")
    check_with_sqlmodel(path, expected, "what SQLModel wrote")

    # 2. Roster migrates, checks and edits it.
    output = run_tool(tool, "edit", path)
    before = output.sections["before"]
    require(compare(expected, before, roster_fields=True) + check_order(before, expected, id_order(expected)),
            "Roster's lists show exactly what SQLModel wrote (Roster's columns at their defaults)")
    apply_roster_edits(expected, output)
    after = output.sections["after"]
    order = {"alice": ["Buy milk", "Write report"],
             "erin": ["Erin's first task", "Call mom"],
             "carol": ["Plan trip", "Buy milk", "Book flights", {"Water plants", "Old draft"}]}
    require(compare(expected, after, roster_fields=True) + check_order(after, expected, order),
            "Roster's lists show its own edits")
    require(check_roster_file(path), "the migrated file is a Roster file on the seed's tables")
    reopened = run_tool(tool, "dump", path).sections["dump"]
    require(compare(expected, reopened, roster_fields=True) + check_order(reopened, expected, order),
            "Roster, reopening the file, shows the same")

    # 3. SQLModel reads Roster's edits, and writes again.
    check_with_sqlmodel(path, expected, "Roster's edits")
    require(check_roster_columns(path, expected), "Roster's columns hold its edits")
    write_again_with_sqlmodel(path, expected)
    check_with_sqlmodel(path, expected, "SQLModel's second writes")

    # 4. Roster reads SQLModel's second writes.
    final = run_tool(tool, "dump", path).sections["dump"]
    require(compare(expected, final, roster_fields=True),
            "Roster shows SQLModel's second writes (its columns at their defaults on new rows)")
    require(check_roster_file(path), "the file is still a sound Roster file")
    require(check_roster_columns(path, expected), "Roster's columns survived SQLModel's writes")


def roster_made_file(tool: str, directory: str) -> None:
    say("# A file made by Roster, opened by the seed's classes")
    path = os.path.join(directory, "roster-made.db")

    output = run_tool(tool, "create", path)
    e = State()
    ada = output.created("create-user", "username", "ada")
    grace = output.created("create-user", "username", "grace")
    e.users.update({ada: "ada", grace: "grace"})
    compilers = output.created("create-category", "name", "compilers")
    navy = output.created("create-category", "name", "navy")
    e.categories.update({compilers: "compilers", navy: "navy"})
    e.colors[compilers] = "#9141ac"
    notes = output.created("create-task", "title", "Analytical engine notes")
    bug = output.created("create-task", "title", "Find the bug")
    cobol = output.created("create-task", "title", "COBOL draft")
    e.tasks[notes] = TaskState("Analytical engine notes", ada, done=True, notes="Note G")
    e.tasks[bug] = TaskState("Find the bug", grace, {compilers, navy}, due="1947-09-09")
    e.tasks[cobol] = TaskState("COBOL draft", grace, {compilers})
    order = {"ada": ["Analytical engine notes"], "grace": ["Find the bug", "COBOL draft"]}
    created = output.sections["created"]
    require(compare(e, created, roster_fields=True) + check_order(created, e, order),
            "Roster's lists show what it created")
    require(check_roster_file(path), "Roster's new file is a Roster file on the seed's tables")

    schema = schema_entries(path)
    versions = (pragma(path, "user_version"), pragma(path, "application_id"))
    engine = engine_for(path)
    try:
        SQLModel.metadata.create_all(engine)
    finally:
        engine.dispose()
    changes = []
    new_schema = schema_entries(path)
    for entry in schema:
        if entry not in new_schema:
            changes.append(f"create_all removed or changed {entry}")
    for entry in new_schema:
        if entry not in schema:
            changes.append(f"create_all added {entry}")
    new_versions = (pragma(path, "user_version"), pragma(path, "application_id"))
    if new_versions != versions:
        changes.append(f"create_all changed (user_version, application_id) from {versions} to {new_versions}")
    require(changes, "the seed's create_all leaves Roster's file alone")

    check_with_sqlmodel(path, e, "Roster's new file")
    require(check_roster_columns(path, e), "Roster's columns, read with plain SQL")

    engine = engine_for(path)
    try:
        with Session(engine) as session:
            ada_user, grace_user = session.get(User, ada), session.get(User, grace)
            compilers_category, navy_category = session.get(Category, compilers), session.get(Category, navy)
            bug_task = session.get(Task, bug)

            linus = User(username="linus")
            os_category = Category(name="os")
            kernel = Task(title="Kernel", owner=linus, categories=[compilers_category, os_category])
            session.add(kernel)
            bernoulli = Task(title="Bernoulli numbers")
            ada_user.tasks.append(bernoulli)
            grace_user.username = "Grace Hopper"
            bug_task.categories.remove(navy_category)
            session.commit()
            new = {"linus": linus.id, "kernel": kernel.id, "bernoulli": bernoulli.id,
                   "os": os_category.id}
    finally:
        engine.dispose()
    e.users[new["linus"]] = "linus"
    e.categories[new["os"]] = "os"
    e.tasks[new["kernel"]] = TaskState("Kernel", new["linus"], {compilers, new["os"]})
    e.tasks[new["bernoulli"]] = TaskState("Bernoulli numbers", ada)
    e.users[grace] = "Grace Hopper"
    e.tasks[bug].categories.discard(navy)
    check_with_sqlmodel(path, e, "SQLModel's writes to Roster's file")

    final = run_tool(tool, "dump", path).sections["dump"]
    require(compare(e, final, roster_fields=True),
            "Roster shows SQLModel's writes to its file (its columns at their defaults on new rows)")
    require(check_roster_file(path), "the file is still a sound Roster file")


def main() -> int:
    global SEED_SCHEMA
    if len(sys.argv) != 3:
        print(f"Usage: {sys.argv[0]} PATH-TO-roster-interop-tool PATH-TO-seed-schema.sql",
              file=sys.stderr)
        return 2
    tool = os.path.abspath(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        SEED_SCHEMA = f.read()
    with tempfile.TemporaryDirectory(prefix="roster-interop-") as directory:
        try:
            seed_made_file(tool, directory)
            roster_made_file(tool, directory)
        except Failed:
            say("FAIL: the seed's classes and Roster disagree (see above)")
            return 1
    say("ok - Roster and the seed's classes read and write each other's files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
