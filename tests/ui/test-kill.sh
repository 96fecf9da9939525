#!/bin/sh
# test-kill.sh ROSTER: the real application killed (SIGKILL) while a keyboard
# session is typing tasks, again and again. After each kill, and a restart:
# the file is sound (integrity_check), every task whose Enter was typed well
# before the kill is in it, and the tasks in it are exactly the ones typed, in
# order: none half-saved, none lost in between.
#
# Run by meson under `xvfb-run -a dbus-run-session --`; see tests/ui/meson.build.
set -eu

ROSTER=$1
ROUNDS=${ROSTER_KILL_ROUNDS:-8}
WORK=$(mktemp -d)
PID=

cleanup () {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill -9 "$PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail () {
  echo "FAIL: $*" >&2
  exit 1
}

export XDG_DATA_HOME="$WORK/data"
export XDG_CONFIG_HOME="$WORK/config"
export GDK_BACKEND=x11
export GSK_RENDERER=cairo
DB="$WORK/tasks.db"
: >"$WORK/before"    # the file's tasks after the previous round

query () {
  python3 - "$DB" "$1" <<'PY'
import sqlite3, sys
con = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
for row in con.execute(sys.argv[2]):
    print("|".join(str(c) for c in row))
PY
}

now () {
  python3 -c 'import time; print("%.3f" % time.time())'
}

start () {
  "$ROSTER" --db "$DB" >>"$WORK/log" 2>&1 &
  PID=$!
  WID=$(timeout 30 xdotool search --sync --onlyvisible --pid "$PID" 2>/dev/null | head -n 1) || true
  [ -n "$WID" ] || fail "no window appeared (round $1)"
  xdotool windowfocus --sync "$WID"
  sleep 0.8
}

# Round 0 makes the person the tasks belong to.
start 0
xdotool key --clearmodifiers shift+ctrl+n; sleep 0.4
xdotool type --delay 30 'Kim'; xdotool key Return; sleep 0.6
[ "$(query 'SELECT username FROM user')" = "Kim" ] || fail "the user was not added"
kill "$PID"; wait "$PID" 2>/dev/null || true

round=1
while [ $round -le "$ROUNDS" ]; do
  start $round
  xdotool key --clearmodifiers ctrl+n; sleep 0.3
  : >"$WORK/typed"     # "TITLE TIME" for each task whose Enter was sent this round

  # The killer: after a random 1–3 s, SIGKILL, and note when.
  delay=$(python3 -c "import random; print(round(random.uniform(1.0, 3.0), 2))")
  ( sleep "$delay"; now >"$WORK/killed"; kill -9 "$PID" 2>/dev/null ) &
  killer=$!

  i=1
  while kill -0 "$PID" 2>/dev/null; do
    title="round $round task $i"
    xdotool type --delay 15 "$title" 2>/dev/null || break
    xdotool key Return 2>/dev/null || break
    echo "$title $(now)" >>"$WORK/typed"
    i=$((i + 1))
  done
  wait "$killer" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  PID=
  killed=$(cat "$WORK/killed")

  # The file is sound, and holds exactly a prefix of what was typed, which
  # includes everything typed more than half a second before the kill.
  [ "$(query 'PRAGMA integrity_check')" = "ok" ] || fail "round $round: integrity_check failed"
  query 'SELECT title FROM task ORDER BY id' >"$WORK/saved"
  python3 - "$WORK/before" "$WORK/typed" "$WORK/saved" "$killed" "$round" <<'PY' || fail "round $round: see above"
import sys
before = open(sys.argv[1]).read().splitlines()
typed = [line.rsplit(" ", 1) for line in open(sys.argv[2]).read().splitlines()]
saved = open(sys.argv[3]).read().splitlines()
killed = float(sys.argv[4])
if saved[:len(before)] != before:
    print("tasks saved in earlier rounds are gone or changed")
    sys.exit(1)
new = saved[len(before):]
titles = [t for t, _ in typed]
if new != titles[:len(new)]:
    print("this round's tasks in the file are not the typed ones, in order:", new, "vs", titles)
    sys.exit(1)
must = [t for t, when in typed if float(when) < killed - 0.5]
missing = [t for t in must if t not in new]
if missing:
    print("typed well before the kill but not in the file:", missing)
    sys.exit(1)
print("ok - round %s: killed after %d typed tasks; %d in the file, none half-saved"
      % (sys.argv[5], len(titles), len(new)))
PY
  cp "$WORK/saved" "$WORK/before"
  round=$((round + 1))
done

# Roster itself opens the file after all that.
start last
kill "$PID"; wait "$PID" 2>/dev/null || true
PID=
grep -q "Cannot open" "$WORK/log" && fail "roster could not open the file after the kills"
echo "ok - $ROUNDS kills of roster while typing; the file stayed sound and complete"
