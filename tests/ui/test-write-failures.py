#!/usr/bin/python3
"""test-write-failures.py ROSTER DEMO-DATA MODE: the real window when the file
cannot be written for a while (issue 6). Keystrokes go in with xdotool, what
the window shows is read through the accessibility bus, the file is checked
with python's sqlite3 module.

MODE busy: another program takes the file's write lock (BEGIN IMMEDIATE) and
holds it for about 8 s, longer than the store's 5 s busy timeout, while a task
is typed and Enter pressed. The window says the file is in use and that the
change will be saved; the entry is ready for the next task, which queues
behind the first. Once the lock is released both are in the file, in order,
and in the list, and the message is gone. Then the window is closed while a
task waits: it tries once more, asks, and "Keep Waiting" (Escape) keeps the
window and the task, which is saved when the file is free.

MODE disk-full: roster runs with ROSTER_MAX_PAGE_COUNT (HACKING.md; only
roster-instrumented reads it, so ROSTER is that one) at the file's size,
filled so that one more task does not fit. A typed task is refused with "The
disk is full", and the entry keeps the text. Deleting (with the Delete key)
the task with a large note frees pages; Enter in the entry again saves the
task.

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

roster, demo_data, mode = sys.argv[1:4]

BUSY_MESSAGE = ('The file is in use by another program. '
                'Your changes will be saved as soon as it is free.')
FULL_MESSAGE = 'The disk is full. Free some space and try again.'
UNSAVED_HEADING = 'Changes Not Saved Yet'

work = tempfile.mkdtemp()
db = os.path.join(work, 'tasks.db')
log_path = os.path.join(work, 'log')
app_process = None
locker = None


def fail(message):
    print('FAIL:', message)
    try:
        print('--- on screen:', sorted(shown_texts()))
    except Exception:
        pass
    if os.environ.get('ROSTER_TEST_SCREENSHOT'):
        subprocess.run('xwd -root -silent | convert xwd:- "$ROSTER_TEST_SCREENSHOT"', shell=True)
    if os.path.exists(log_path):
        print("--- roster's output:")
        print(open(log_path).read())
    sys.exit(1)


def ok(message):
    print('ok -', message, flush=True)


def query(sql, *args):
    con = sqlite3.connect('file:%s?mode=ro' % db, uri=True)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def titles():
    return [t for (t,) in query(
        "SELECT t.title FROM task t JOIN user u ON u.id = t.owner_id "
        "WHERE u.username = 'Alice' ORDER BY t.position, t.id")]


def xdotool(*args):
    subprocess.run(['xdotool'] + list(args), check=True)


def key(*keys):
    xdotool('key', '--clearmodifiers', *keys)
    time.sleep(0.4)


def type_text(text):
    xdotool('type', '--delay', '30', text)
    time.sleep(0.3)


def poll(what, check, seconds):
    return rosterui.poll(what, check, seconds, fail)


# Accessibility: roster's objects, read afresh each time.

def accessibles():
    return rosterui.accessibles(os.path.basename(roster))


def shown_texts():
    return rosterui.shown_texts(os.path.basename(roster))


def entry_text():
    for obj in accessibles():
        if obj.name == 'New task title' and obj.getRoleName() in ('text', 'entry'):
            text = obj.queryText()
            # GTK 4.8: getText(0, -1) gives ''.
            return text.getText(0, text.characterCount)
    return None


def task_rows():
    return rosterui.task_rows(os.path.basename(roster))


# The lock holder: another program with a write transaction open until it
# reads a line (or its stdin closes).
LOCKER = r'''
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
con.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
con.execute("ROLLBACK")
con.close()
print("released", flush=True)
'''


def lock_file():
    global locker
    locker = subprocess.Popen([sys.executable, '-c', LOCKER, db],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    if locker.stdout.readline().strip() != 'locked':
        fail('the other program could not lock the file')
    return time.monotonic()


def release_file(locked_at, hold):
    global locker
    # Held for at least `hold` seconds in all.
    time.sleep(max(0, locked_at + hold - time.monotonic()))
    locker.stdin.write('\n')
    locker.stdin.flush()
    if locker.stdout.readline().strip() != 'released':
        fail('the other program did not release the file')
    locker.wait(timeout=10)
    locker = None


def start_roster(env_extra=None):
    global app_process
    env = dict(os.environ, XDG_DATA_HOME=os.path.join(work, 'data'),
               XDG_CONFIG_HOME=os.path.join(work, 'config'))
    env.pop('GTK_A11Y', None)
    env.pop('NO_AT_BRIDGE', None)
    env.update(env_extra or {})
    log = open(log_path, 'w')
    app_process = subprocess.Popen([roster, '--db', db], env=env, stdout=log, stderr=log)
    wid = subprocess.run(['timeout', '30', 'xdotool', 'search', '--sync', '--onlyvisible',
                          '--pid', str(app_process.pid)],
                         stdout=subprocess.PIPE, text=True).stdout.split()
    if not wid:
        fail('no window appeared')
    xdotool('windowfocus', '--sync', wid[0])
    poll('roster never appeared on the accessibility bus', lambda: entry_text() is not None, 30)
    time.sleep(0.5)


def wait_for_exit():
    try:
        status = app_process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        fail('roster did not quit')
    if status != 0:
        fail('roster exited with status %d' % status)
    log = open(log_path).read()
    if 'CRITICAL' in log or 'WARNING' in log:
        fail('roster logged warnings')


def test_busy():
    start_roster()

    # Locked by another program for longer than the busy timeout: the task
    # typed meanwhile is kept and the window says so.
    locked_at = lock_file()
    type_text('Call the plumber')
    key('Return')
    poll('the window did not say the file is in use', lambda: BUSY_MESSAGE in shown_texts(), 15)
    ok('the window says the file is in use and the change will be saved')
    if titles() != ['Buy milk and bread', 'Pay the electricity bill', 'Book the dentist',
                    'Mow the lawn', 'Water the tomatoes']:
        fail('the file changed while it was locked: %r' % titles())
    poll('the entry was not made ready for the next task', lambda: entry_text() == '', 10)

    # The next task queues behind it.
    type_text('Fix the gate')
    key('Return')
    poll('the entry was not made ready for the next task', lambda: entry_text() == '', 10)
    ok('typed tasks are kept while the file is locked; the entry stays ready')

    release_file(locked_at, 8)
    poll('the tasks were not saved once the file was free',
         lambda: titles()[-2:] == ['Call the plumber', 'Fix the gate'], 15)
    ok('once the file is free both tasks are in it, in the order typed')
    poll('the saved tasks are not shown',
         lambda: {'Call the plumber, not done', 'Fix the gate, not done'} <= task_rows(), 10)
    poll('the message did not go away', lambda: BUSY_MESSAGE not in shown_texts(), 10)
    ok('the tasks are shown and the message is gone')

    # Closed while a task waits: one more try, then a question. Escape keeps
    # the window and the task.
    locked_at = lock_file()
    type_text('Sweep the yard')
    key('Return')
    poll('the window did not say the file is in use', lambda: BUSY_MESSAGE in shown_texts(), 15)
    key('ctrl+w')
    poll('closing with a waiting change did not ask', lambda: UNSAVED_HEADING in shown_texts(), 20)
    ok('closing while a change waits asks first')
    key('Escape')
    poll('the question did not go away', lambda: UNSAVED_HEADING not in shown_texts(), 10)
    if app_process.poll() is not None:
        fail('roster quit although the change was not saved')
    release_file(locked_at, 0)
    poll('the waiting task was not saved after the question',
         lambda: titles()[-1:] == ['Sweep the yard'], 15)
    ok('"Keep Waiting" keeps the window, and the task is saved once the file is free')

    key('ctrl+w')
    wait_for_exit()
    ok('the window closes without a question once everything is saved')


def fill_file(title):
    """Fills the file until one more task titled `title` for Alice does not
    fit in it; returns the page count to limit roster to."""
    con = sqlite3.connect(db, isolation_level=None)
    (alice,), = con.execute("SELECT id FROM user WHERE username = 'Alice'")
    (bob,), = con.execute("SELECT id FROM user WHERE username = 'Bob'")
    # A large note on Alice's first task: deleting it frees many pages.
    con.execute("UPDATE task SET notes = ? WHERE id = (SELECT id FROM task WHERE owner_id = ? "
                "ORDER BY position, id LIMIT 1)", ('Lorem ipsum dolor sit amet. ' * 8000, alice))
    con.execute('VACUUM')
    for i in range(2000):
        (pages,), = con.execute('PRAGMA page_count')
        con.execute('PRAGMA max_page_count = %d' % pages)
        con.execute('BEGIN')
        try:
            con.execute('INSERT INTO task (title, owner_id, position) VALUES (?, ?, 1000000)',
                        (title, alice))
        except sqlite3.OperationalError as e:
            if 'full' not in str(e):
                raise
            con.execute('ROLLBACK')
            con.execute('PRAGMA wal_checkpoint(TRUNCATE)')
            con.close()
            return pages
        con.execute('ROLLBACK')
        con.execute('PRAGMA max_page_count = 1000000')
        # Bob's tasks fill the pages Alice's next task would go to.
        con.execute('INSERT INTO task (title, owner_id, position) VALUES (?, ?, ?)',
                    (title, bob, 1000 + i))
    fail('could not fill the file')


def test_disk_full():
    title = 'Order more firewood'
    pages = fill_file(title)
    start_roster({'ROSTER_MAX_PAGE_COUNT': str(pages)})

    type_text(title)
    key('Return')
    poll('the window did not say the disk is full', lambda: FULL_MESSAGE in shown_texts(), 10)
    if entry_text() != title:
        fail('the entry did not keep what was typed: %r' % entry_text())
    if title in titles():
        fail('the task is in the file although the disk was full')
    ok('a full disk is shown beside the entry, which keeps the text')

    # Room made from the keyboard: the task with the large note deleted.
    key('Tab')
    key('Delete')
    poll('the task with the large note was not deleted',
         lambda: 'Buy milk and bread' not in titles(), 10)
    key('ctrl+n')
    if entry_text() != title:
        fail('the entry lost the text: %r' % entry_text())
    key('Return')
    poll('the task was not saved once there was room', lambda: title in titles(), 10)
    poll('the saved task is not shown', lambda: title + ', not done' in task_rows(), 10)
    poll('the entry was not cleared', lambda: entry_text() == '', 10)
    poll('the error did not go away', lambda: FULL_MESSAGE not in shown_texts(), 10)
    (check,), = query('PRAGMA integrity_check')
    if check != 'ok':
        fail('integrity_check: %s' % check)
    ok('after a deletion made room, Enter saved the task; the file is sound')

    key('ctrl+w')
    wait_for_exit()


# Without this, the accessibility bus cannot reach the display.
subprocess.run(['dbus-update-activation-environment', 'DISPLAY'], check=False)
# The accessibility bus and registry first, so that roster finds them.
pyatspi.Registry.getDesktop(0)
time.sleep(0.5)

subprocess.run([demo_data, db], check=True)
try:
    if mode == 'busy':
        test_busy()
    elif mode == 'disk-full':
        test_disk_full()
    else:
        fail('unknown mode %r' % mode)
finally:
    if locker is not None:
        locker.kill()
    if app_process is not None and app_process.poll() is None:
        app_process.kill()
    shutil.rmtree(work, ignore_errors=True)
