#!/bin/sh
# screenshot.sh: runs the real Roster window on a small demo file under Xvfb
# and writes a PNG of it (for the README).
#
#   build-aux/screenshot.sh BUILDDIR [OUTPUT.png] [WIDTH] [HEIGHT] [light|dark]
#
# Defaults: data/screenshots/main-window.png, 960x600, light. Needs xvfb-run,
# dbus-run-session, xdotool and ImageMagick's `import`. BUILDDIR is a meson
# build dir where `ninja` has built `roster` and `roster-demo-data`.
set -eu

if [ -z "${ROSTER_SCREENSHOT_INNER:-}" ]; then
  BUILDDIR=$(cd "${1:?usage: $0 BUILDDIR [OUTPUT.png] [WIDTH] [HEIGHT] [light|dark]}" && pwd)
  SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
  OUTPUT=${2:-$SRCDIR/data/screenshots/main-window.png}
  mkdir -p "$(dirname "$OUTPUT")"
  OUTPUT=$(cd "$(dirname "$OUTPUT")" && pwd)/$(basename "$OUTPUT")
  export ROSTER_SCREENSHOT_INNER=1
  exec timeout 120 xvfb-run -a -s "-screen 0 1600x1200x24" \
    dbus-run-session -- sh "$0" "$BUILDDIR" "$OUTPUT" "${3:-960}" "${4:-600}" "${5:-light}"
fi

BUILDDIR=$1
OUTPUT=$2
WIDTH=$3
HEIGHT=$4
SCHEME=$5

WORK=$(mktemp -d)
PID=
cleanup () {
  [ -z "$PID" ] || kill "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

export GDK_BACKEND=x11 GSK_RENDERER=cairo
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$BUILDDIR/data"
export XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config"
export LANG=C.UTF-8 LANGUAGE=C TZ=UTC
if [ "$SCHEME" = dark ]; then
  export ADW_DEBUG_COLOR_SCHEME=prefer-dark
else
  export ADW_DEBUG_COLOR_SCHEME=prefer-light
fi

"$BUILDDIR/tests/ui/roster-demo-data" "$WORK/demo.db"

# The window takes its size from GSettings (memory backend: set here).
gsettings set io.github.rosterapp.Roster window-width "$WIDTH" 2>/dev/null || true
gsettings set io.github.rosterapp.Roster window-height "$HEIGHT" 2>/dev/null || true

"$BUILDDIR/src/roster" --db "$WORK/demo.db" >"$WORK/log" 2>&1 &
PID=$!
WID=$(timeout 30 xdotool search --sync --onlyvisible --pid "$PID" | head -n 1)
xdotool windowsize --sync "$WID" "$WIDTH" "$HEIGHT" 2>/dev/null || xdotool windowsize "$WID" "$WIDTH" "$HEIGHT"
xdotool windowfocus --sync "$WID"
sleep 1
# From the add entry (focused at start) to the first task, so the picture
# shows a selection.
xdotool key --clearmodifiers Tab
sleep 1
import -window "$WID" "$OUTPUT"
echo "Wrote $OUTPUT"
