#!/bin/sh
# Runs a test program with a keyring of its own: a private session bus
# (dbus-run-session, which ends the daemon with the test), HOME and
# XDG_RUNTIME_DIR in a temporary folder, and an unlocked "login" keyring from
# gnome-keyring-daemon (its password must not be empty: an empty one starts a
# prompter that needs a display). Exits 77 (skipped) without the tools.
#
#   with-keyring.sh PROGRAM [ARGS...]
set -eu

if [ "${ROSTER_IN_KEYRING:-}" != 1 ]; then
  for tool in dbus-run-session gnome-keyring-daemon secret-tool; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "1..0 # SKIP $tool is not installed"
      exit 77
    fi
  done
  ROSTER_IN_KEYRING=1 exec dbus-run-session -- "$0" "$@"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/roster-keyring-XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir -m 0700 "$dir/run"
export HOME="$dir" XDG_RUNTIME_DIR="$dir/run" XDG_DATA_HOME="$dir/data"
printf 'test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
"$@"
