#!/bin/sh
# test-end-to-end.sh ROSTER: a keyboard-only session with the real `roster`
# binary (xdotool keystrokes under Xvfb, a private session bus): add a user
# and tasks, tag one, mark one done, delete one and undo, find, rename,
# reorder, add a second user, move a task to them, quit. After each step the
# file is checked with python3's sqlite3 module.
#
# Run by meson under `xvfb-run -a dbus-run-session --`; see tests/ui/meson.build.
set -eu

ROSTER=$1
WORK=$(mktemp -d)
PID=

cleanup () {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill "$PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail () {
  echo "FAIL: $*" >&2
  if [ -f "$WORK/log" ]; then
    echo "--- roster's output:" >&2
    cat "$WORK/log" >&2
  fi
  exit 1
}

export XDG_DATA_HOME="$WORK/data"
export XDG_CONFIG_HOME="$WORK/config"
export GDK_BACKEND=x11
export GSK_RENDERER=cairo
DB="$XDG_DATA_HOME/roster/roster.db"

# Queries the file; prints one row per line, columns separated by '|'.
query () {
  python3 - "$DB" "$1" <<'PY'
import sqlite3, sys
con = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
for row in con.execute(sys.argv[2]):
    print("|".join(str(c) for c in row))
PY
}

key () {
  xdotool key --clearmodifiers "$@"
  sleep 0.4
}

type_text () {
  xdotool type --delay 40 "$1"
  sleep 0.3
}

expect () {
  # expect DESCRIPTION SQL EXPECTED: polls for up to 5 s, for slow machines.
  i=0
  while :; do
    got=$(query "$2" 2>&1) || true
    [ "$got" = "$3" ] && break
    i=$((i + 1))
    [ $i -lt 25 ] || fail "$1: expected '$3', got '$got'"
    sleep 0.2
  done
  echo "ok - $1"
}

"$ROSTER" --version | grep -q '^roster [0-9]' || fail "roster --version"
echo "ok - roster --version"

"$ROSTER" >"$WORK/log" 2>&1 &
PID=$!

WID=$(timeout 30 xdotool search --sync --onlyvisible --pid "$PID" 2>/dev/null | head -n 1) || true
[ -n "$WID" ] || fail "no window appeared"
xdotool windowfocus --sync "$WID"
sleep 1
[ -f "$DB" ] || fail "the default file $DB was not created"
echo "ok - window shown, default file created"

# One instance per session: a second launch hands over to the first and exits.
timeout 20 "$ROSTER" >>"$WORK/log" 2>&1 || fail "a second launch failed"
n=$(xdotool search --onlyvisible --name '^Roster$' | wc -l)
[ "$n" = 1 ] || fail "a second launch left $n windows, expected 1"
kill -0 "$PID" 2>/dev/null || fail "the first instance is gone"
xdotool windowfocus --sync "$WID"
sleep 0.5
echo "ok - a second launch presents the same window"

# A user, three tasks: the add entry stays ready after each Enter. Titles
# with spaces show that Space does not fire "toggle done" in a text field.
key shift+ctrl+n
type_text "Alice"
key Return
type_text "Buy milk"
key Return
type_text "Walk the dog"
key Return
type_text "Pay rent"
key Return
expect "user added" "SELECT username FROM user" "Alice"
expect "tasks added in order" "SELECT title FROM task ORDER BY position, id" "Buy milk
Walk the dog
Pay rent"

# Escape leaves the add entry for the list: no task is selected yet, so the
# first one, which Space marks done (and again, not done).
key Escape
key space
expect "Escape in the add entry goes to the first task" "SELECT title FROM task WHERE done" "Buy milk"
key space
expect "Space again: not done" "SELECT count(*) FROM task WHERE done" "0"
key ctrl+n

# Into the list: the first task. Tag it with a new tag typed in the popover.
key Tab
key ctrl+t
type_text "Home"
key Return
key Escape
expect "task tagged" "SELECT t.title, c.name FROM taskcategorylink l JOIN task t ON t.id = l.task_id JOIN category c ON c.id = l.category_id" "Buy milk|Home"

# Whatever the keyboard opens for a row gives the keyboard back to it when it
# closes: Space after Ctrl+T and Escape marks the task done (the tags button
# kept the focus, and Space opened the popover again); so after the context
# menu (Menu, Escape) and after Move to… (Ctrl+M, Escape).
key ctrl+t
key Escape
key space
expect "Space after the tags popover marks the task done" "SELECT title FROM task WHERE done" "Buy milk"
key Menu
key Escape
key space
expect "Space after the context menu marks it not done" "SELECT count(*) FROM task WHERE done" "0"

# The second task done with Space.
key Down
key space
expect "task done" "SELECT title FROM task WHERE done ORDER BY id" "Walk the dog"

# The third deleted, then brought back with Ctrl+Z.
key Down
key Delete
expect "task deleted" "SELECT count(*) FROM task WHERE title = 'Pay rent'" "0"
key ctrl+z
expect "deletion undone" "SELECT count(*) FROM task WHERE title = 'Pay rent'" "1"

# Ctrl+N back to the add entry while a task is still selected in the list:
# the Space typed in the title must stay a space (it toggles "done" only
# outside text fields).
key ctrl+n
type_text "Call plumber"
key Return
expect "space typed in a text field" "SELECT title, done FROM task WHERE title LIKE 'Call%'" "Call plumber|0"

# Find it (Ctrl+F searches every user's tasks as you type; Enter goes to
# the first result, selected in its owner's list), rename it in place (F2,
# type, Enter), move it up (Shift+Ctrl+Up). Then Find again and leave it
# with Escape: the keys that follow act on the list again.
key ctrl+f
type_text "plumber"
key Return
key F2
type_text "Call the plumber"
key Return
expect "renamed with F2" "SELECT count(*) FROM task WHERE title = 'Call the plumber'" "1"
key shift+ctrl+Up
expect "moved up with Shift+Ctrl+Up" "SELECT title FROM task ORDER BY position, id" "Buy milk
Walk the dog
Call the plumber
Pay rent"
key ctrl+f
key Escape

# A second user; Alt+Up goes back to Alice, Ctrl+M gives her selected task
# to Bob (the only other user: Enter chooses him).
key shift+ctrl+n
type_text "Bob"
key Return
key alt+Up
key Tab
key ctrl+m
key Escape
key space
expect "Space after Move to… is cancelled marks the task done" "SELECT title FROM task WHERE done ORDER BY id" "Buy milk
Walk the dog"
key space
expect "and not done again" "SELECT title FROM task WHERE done ORDER BY id" "Walk the dog"
key ctrl+m
key Return
expect "moved to Bob with Ctrl+M" "SELECT t.title FROM task t JOIN user u ON u.id = t.owner_id WHERE u.username = 'Bob'" "Buy milk"

# The sidebar from the keyboard: Escape leaves the new-user field for the
# selected user's row (Alice); the arrows go down the users and on into the
# tags; F2 there renames the tag.
key shift+ctrl+n
key Escape
# Delete there acts on Alice (who owns tasks: a question, cancelled with
# Escape), not on the task still selected in her list.
key Delete
key Escape
expect "Delete after Escape in the new-user field deletes no task" "SELECT count(*) FROM task" "4"
key Down
key Down
key F2
type_text "House"
key Return
expect "tag renamed from the sidebar's keyboard" "SELECT name FROM category" "House"

key ctrl+q
i=0
while kill -0 "$PID" 2>/dev/null; do
  i=$((i + 1))
  [ $i -lt 50 ] || fail "roster did not quit on Ctrl+Q"
  sleep 0.2
done
wait "$PID" || fail "roster exited with an error"
PID=
echo "ok - quit with Ctrl+Q"

expect "final tasks" "SELECT title, done FROM task ORDER BY id" "Buy milk|0
Walk the dog|1
Pay rent|0
Call the plumber|0"
expect "integrity" "PRAGMA integrity_check" "ok"

if grep -E "CRITICAL|WARNING" "$WORK/log" >/dev/null; then
  fail "roster logged warnings"
fi
echo "ok - no warnings"
