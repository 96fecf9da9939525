"""clitest.py: what the command-line tests share: TAP lines, running the
built roster with no display and no session bus, reading a file through a
second connection and its checksum."""

import hashlib
import os
import sqlite3
import subprocess

failures = 0
number = 0


def check(condition, what, detail=""):
    global failures, number
    number += 1
    if condition:
        print(f"ok {number} - {what}")
    else:
        failures += 1
        print(f"not ok {number} - {what}")
        for line in str(detail).splitlines():
            print(f"#   {line}")


def skip(why):
    global number
    number += 1
    print(f"ok {number} - # SKIP {why}")


def finish():
    """Prints the plan; the exit status."""
    print(f"1..{number}")
    return 1 if failures else 0


def environment(home):
    """roster's environment in a test: no display, no bus, English, @home."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + os.path.join(home, "no-bus")
    env["XDG_DATA_HOME"] = os.path.join(home, "data")
    env["HOME"] = home
    env["LANGUAGE"] = "C"
    return env


def roster(executable, home, *args, input=None):
    """Runs roster with no display and no bus, in English; a subcommand must
    not wait for either. .out and .err are the decoded streams; @input (text)
    is its standard input."""
    r = subprocess.run([executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       input=input.encode() if input is not None else None,
                       env=environment(home), timeout=60)
    r.out, r.err = r.stdout.decode(), r.stderr.decode()
    return r


def schema_version():
    """ROSTER_SCHEMA_VERSION, read from src/model/roster-store.h: a new
    migration needs no edit in the tests."""
    header = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "model", "roster-store.h")
    with open(header, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#define ROSTER_SCHEMA_VERSION "):
                return int(line.split()[2])
    raise RuntimeError("no ROSTER_SCHEMA_VERSION in " + header)


def execute(path, *statements):
    """Another program's writes, straight into the file, in one transaction:
    each statement a tuple (SQL, parameters…)."""
    db = sqlite3.connect(path)
    try:
        for statement, *params in statements:
            db.execute(statement, params)
        db.commit()
    finally:
        db.close()


def rows(path, sql, *params):
    """Through a second connection, closed at once (no -wal left behind)."""
    db = sqlite3.connect(path)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def seed_file(path):
    """Two users, three tasks, two tags, written by the seed's classes (the
    caller has tests/interop on sys.path)."""
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


def digest(path):
    """The file's checksum, its write-ahead log included."""
    h = hashlib.sha256()
    for suffix in ("", "-wal"):
        if os.path.exists(path + suffix):
            with open(path + suffix, "rb") as f:
                h.update(f.read())
    return h.hexdigest()

