#!/usr/bin/python3
"""test-cli-window.py ROSTER DEMO-DATA: the command line while the window is
open on the same file (issue 17). `roster add` and `roster done` run in their
own process, through the store's locking; they must not wait on the window,
and the window must show what they did (its data_version polling), read
through the accessibility bus.

Runs under `xvfb-run dbus-run-session --` (see tests/ui/meson.build).
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

import pyatspi

import rosterui

roster, demo_data = sys.argv[1:3]
NAME = os.path.basename(roster)

work = tempfile.mkdtemp()
db = os.path.join(work, 'tasks.db')
log_path = os.path.join(work, 'log')
app_process = None


def fail(message):
    print('FAIL:', message)
    try:
        print('--- on screen:', sorted(rosterui.shown_texts(NAME)))
    except Exception:
        pass
    if os.path.exists(log_path):
        print("--- roster's output:")
        print(open(log_path).read())
    sys.exit(1)


def ok(message):
    print('ok -', message, flush=True)


def task_id(title):
    con = sqlite3.connect('file:%s?mode=ro' % db, uri=True)
    try:
        (task,), = con.execute('SELECT id FROM task WHERE title = ?', (title,)).fetchall()
        return task
    finally:
        con.close()


def command(*args):
    """roster COMMAND in a process of its own, with no display and no bus,
    as from a terminal elsewhere; returns it and how long it took."""
    env = {k: v for k, v in os.environ.items() if k not in ('DISPLAY', 'WAYLAND_DISPLAY')}
    env['DBUS_SESSION_BUS_ADDRESS'] = 'unix:path=' + os.path.join(work, 'no-bus')
    started = time.monotonic()
    r = subprocess.run([roster, args[0], '--db', db, *args[1:]], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, env=env, timeout=60)
    return r, time.monotonic() - started


def start_roster():
    global app_process
    env = dict(os.environ, XDG_DATA_HOME=os.path.join(work, 'data'),
               XDG_CONFIG_HOME=os.path.join(work, 'config'))
    env.pop('GTK_A11Y', None)
    env.pop('NO_AT_BRIDGE', None)
    log = open(log_path, 'w')
    app_process = subprocess.Popen([roster, '--db', db], env=env, stdout=log, stderr=log)
    rosterui.poll('roster never showed Alice\'s tasks on the accessibility bus',
                  lambda: 'Buy milk and bread, not done' in rosterui.task_rows(NAME), 30, fail)


def main():
    start_roster()

    r, took = command('add', '--user', 'Alice', '--tag', 'Home', 'Call the plumber')
    if r.returncode != 0:
        fail('roster add failed with the window open: %s' % r.stderr)
    if took > 3:
        fail('roster add took %.1f s with the window open' % took)
    ok('roster add succeeds at once while the window is open')
    rosterui.poll('the added task did not appear in the window',
                  lambda: 'Call the plumber, not done' in rosterui.task_rows(NAME), 10, fail)
    ok('the task added on the command line appears in the window')

    r, took = command('done', str(task_id('Mow the lawn')))
    if r.returncode != 0 or took > 3:
        fail('roster done failed or waited (%.1f s): %s' % (took, r.stderr))
    rosterui.poll('the task marked done did not show as done',
                  lambda: 'Mow the lawn, done' in rosterui.task_rows(NAME), 10, fail)
    ok('a task marked done on the command line shows as done')

    app_process.terminate()
    app_process.wait(timeout=20)
    log = open(log_path).read()
    if 'CRITICAL' in log or 'WARNING' in log:
        fail('roster logged warnings:\n' + log)


# Without this, the accessibility bus cannot reach the display.
subprocess.run(['dbus-update-activation-environment', 'DISPLAY'], check=False)
# The accessibility bus and registry first, so that roster finds them.
pyatspi.Registry.getDesktop(0)
time.sleep(0.5)

subprocess.run([demo_data, db], check=True)
try:
    main()
finally:
    if app_process is not None and app_process.poll() is None:
        app_process.kill()
    shutil.rmtree(work, ignore_errors=True)
