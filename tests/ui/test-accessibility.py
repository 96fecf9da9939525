#!/usr/bin/python3
"""test-accessibility.py ROSTER DEMO-DATA: every control of the real window has
an accessible name, and a task row exposes its title and whether it is done.

Runs under `xvfb-run -a dbus-run-session --` (see tests/ui/meson.build), reads
the window through the accessibility bus (pyatspi), exits non-zero on failure.
"""
import os
import subprocess
import sys
import tempfile
import time

import pyatspi

from rosterui import walk

roster, demo_data = sys.argv[1], sys.argv[2]

# Without this, the accessibility bus cannot reach the display.
subprocess.run(["dbus-update-activation-environment", "DISPLAY"], check=False)

# Start the accessibility bus and registry before the application, so that
# the application finds them when it starts (otherwise it may never register).
pyatspi.Registry.getDesktop(0)
time.sleep(0.5)

work = tempfile.mkdtemp()
db = os.path.join(work, "demo.db")
subprocess.run([demo_data, db], check=True)
env = dict(os.environ, XDG_DATA_HOME=os.path.join(work, "data"))
env.pop("GTK_A11Y", None)
env.pop("NO_AT_BRIDGE", None)
app_process = subprocess.Popen([roster, "--db", db], env=env)

failures = []


def find_app():
    # The accessibility bus starts with the first application that asks for
    # it; give it time, and retry reads that fail while it settles.
    for _ in range(300):
        try:
            desktop = pyatspi.Registry.getDesktop(0)
            for app in desktop:
                if app is not None and app.name == "roster":
                    for child in app:
                        if child is not None and child.getRoleName() == "frame":
                            return app
        except Exception:
            pass
        time.sleep(0.2)
    return None


# Roles a person operates; each needs a name a screen reader can read.
CONTROLS = {"push button", "toggle button", "check box", "text", "entry",
            "combo box", "list", "list item", "radio button", "menu item",
            "spin button", "slider"}




rows = {}


def visit(obj):
    role = obj.getRoleName()
    name = obj.name or ""
    if role in CONTROLS:
        # GTK names a widget without a label after its class.
        if not name or name.startswith("Gtk") or name.startswith("Adw"):
            parent = obj.parent
            failures.append("%s without an accessible name (%r, in %s %r)"
                            % (role, name, parent.getRoleName() if parent else None,
                               parent.name if parent else None))
    if role == "list item" and name:
        rows[name] = obj.getState().contains(pyatspi.STATE_CHECKED)


try:
    app = find_app()
    if app is None:
        failures.append("the application never appeared on the accessibility bus")
    else:
        time.sleep(1)
        walk(app, visit)
        expected = {
            "Buy milk and bread, not done": False,
            "Book the dentist, done": True,
        }
        for label, checked in expected.items():
            if label not in rows:
                failures.append("no task row named %r (rows: %r)" % (label, sorted(rows)))
            elif rows[label] != checked:
                failures.append("row %r: checked state %r, expected %r" % (label, rows[label], checked))
finally:
    app_process.terminate()
    try:
        app_process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        app_process.kill()

for failure in sorted(set(failures)):
    print("FAIL:", failure)
if failures:
    sys.exit(1)
print("ok - every control is named; task rows expose title and done state")
