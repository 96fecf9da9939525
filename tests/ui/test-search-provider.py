#!/usr/bin/python3
"""test-search-provider.py ROSTER DEMO-DATA SERVICE-TEMPLATE: GNOME Shell's
search, asked of the real `roster` over a private session bus as the Shell
asks it (issue 17).

The bus is a dbus-daemon of the test's own whose service folder holds
data/io.github.rosterapp.Roster.service.in made for this build: the first
call starts Roster through D-Bus activation (`roster --gapplication-service`),
as the Shell would. Results, subsearches and metas come from the default file
($XDG_DATA_HOME/roster/roster.db) without a window and without writing it,
and Roster goes once the Shell stops asking; ActivateResult opens the window
with that task selected in its owner's list (read through the accessibility
bus), LaunchSearch opens Find with the terms.

Runs under `xvfb-run` (see tests/ui/meson.build); every wait has a timeout;
exits non-zero on failure.
"""
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

import gi

gi.require_version('Gio', '2.0')
from gi.repository import Gio, GLib  # noqa: E402

roster, demo_data, service_template = sys.argv[1:4]

NAME = 'io.github.rosterapp.Roster'
APP_PATH = '/io/github/rosterapp/Roster'
PROVIDER_PATH = APP_PATH + '/SearchProvider'
PROVIDER = 'org.gnome.Shell.SearchProvider2'
# Roster's own keep-alive after a call (KEEP_ALIVE_S) is 10 s.
EXIT_TIMEOUT_S = 30

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def wait_for(predicate, timeout, interval=0.1):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
        except Exception:
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            return None
        time.sleep(interval)


work = tempfile.mkdtemp(prefix='roster-search-')
processes = []

# The default file of a person whose XDG_DATA_HOME is data/: the demo
# household, and 25 more of Chloé's tasks written as the seed's classes write
# them (plain rows: Find's index catches up on them itself). Tasks 8 to 32.
data_home = os.path.join(work, 'data')
os.makedirs(os.path.join(data_home, 'roster'))
db = os.path.join(data_home, 'roster', 'roster.db')
subprocess.run([demo_data, db], check=True, timeout=60)
con = sqlite3.connect(db)
with con:
    chloe = con.execute("SELECT id FROM user WHERE username = 'Chloé'").fetchone()[0]
    for i in range(25):
        con.execute('INSERT INTO task (title, owner_id) VALUES (?, ?)',
                    ('Sort chore %02d' % (i + 1), chloe))
titles = dict(con.execute('SELECT id, title FROM task'))
con.close()


def file_digest():
    with open(db, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


# The service file as installed, pointing at this build's roster.
services = os.path.join(work, 'services')
os.makedirs(services)
with open(service_template, encoding='utf-8') as f:
    service = f.read().replace('@bindir@', os.path.dirname(os.path.abspath(roster)))
with open(os.path.join(services, NAME + '.service'), 'w', encoding='utf-8') as f:
    f.write(service)

# Ours first: a Roster installed on this machine must not answer instead.
# The standard folders start the accessibility bus.
config = os.path.join(work, 'session.conf')
with open(config, 'w', encoding='utf-8') as f:
    f.write(f"""<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={work}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>{services}</servicedir>
  <standard_session_servicedirs/>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
""")

# What an activated Roster inherits: the bus's environment.
bus_env = dict(os.environ, XDG_DATA_HOME=data_home, HOME=work)
bus_env.pop('GTK_A11Y', None)
bus_env.pop('NO_AT_BRIDGE', None)
bus_env.pop('DBUS_SESSION_BUS_ADDRESS', None)
daemon = subprocess.Popen(['dbus-daemon', '--config-file', config, '--nofork', '--print-address=1'],
                          stdout=subprocess.PIPE, env=bus_env, universal_newlines=True)
processes.append(daemon)
address = daemon.stdout.readline().strip()
if not address:
    sys.exit('dbus-daemon did not start')
os.environ['DBUS_SESSION_BUS_ADDRESS'] = address
bus = Gio.DBusConnection.new_for_address_sync(
    address,
    Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
    None, None)

# Only now, on this bus: the accessibility bus and its registry, started
# before Roster so that Roster finds them (see test-accessibility.py).
subprocess.run(['dbus-update-activation-environment', 'DISPLAY'], check=False, timeout=30)
import pyatspi  # noqa: E402
from rosterui import walk  # noqa: E402

pyatspi.Registry.getDesktop(0)
time.sleep(0.5)


def call(method, args, reply, path=PROVIDER_PATH, interface=PROVIDER, timeout_s=30):
    result = bus.call_sync(NAME, path, interface, method, args, GLib.VariantType(reply),
                           Gio.DBusCallFlags.NONE, timeout_s * 1000, None)
    return result.unpack()


def search(*terms):
    return call('GetInitialResultSet', GLib.Variant('(as)', (list(terms),)), '(as)')[0]


def name_has_owner():
    return bus.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus',
                         'NameHasOwner', GLib.Variant('(s)', (NAME,)), GLib.VariantType('(b)'),
                         Gio.DBusCallFlags.NONE, 5000, None).unpack()[0]


def has_window():
    # GtkApplication exports each of its windows under APP_PATH/window/.
    xml = call('Introspect', None, '(s)', path=APP_PATH,
               interface='org.freedesktop.DBus.Introspectable')[0]
    return any(node.get('name') == 'window' for node in ET.fromstring(xml).findall('node'))


def find_app():
    def app():
        for a in pyatspi.Registry.getDesktop(0):
            if a is not None and a.name == 'roster':
                for child in a:
                    if child is not None and child.getRoleName() == 'frame':
                        return a
        return None
    return wait_for(app, 60, 0.2)




# GTK 4.8 marks hidden stack pages "visible" too: what is on screen is
# found by where it is, not by its state.

def descendants(obj, role, name):
    """The objects of @role named @name under @obj."""
    found = []

    def visit(o):
        if o.getRoleName() == role and o.name == name:
            found.append(o)
    walk(obj, visit)
    return found


def list_items(app, list_name):
    """The rows of the list @list_name ("Tasks", "Found tasks"): whether each
    is selected, by name."""
    items = {}
    for lst in descendants(app, 'list', list_name):
        for child in lst:
            if child is not None and child.getRoleName() == 'list item':
                items[child.name] = child.getState().contains(pyatspi.STATE_SELECTED)
    return items


def selected_tasks(app):
    return [name for name, selected in list_items(app, 'Tasks').items() if selected]


def content_title(app):
    """The labels of the title over the list (the first AdwWindowTitle; the
    details pane has the second): the user's name, or "Find Tasks"."""
    titles = descendants(app, 'filler', 'AdwWindowTitle')
    labels = []
    if titles:
        walk(titles[0], lambda o: labels.append(o.name) if o.getRoleName() == 'label' else None)
    return labels


def entry_text(app, name):
    for entry in descendants(app, 'entry', name):
        text = entry.queryText()
        return text.getText(0, text.characterCount)
    return None


def screenshot(name):
    folder = os.environ.get('ROSTER_SEARCH_SCREENSHOTS')
    if folder:
        subprocess.run(['import', '-window', 'root', os.path.join(folder, name)],
                       check=False, timeout=30)


try:
    before = file_digest()

    # The Shell asks while Roster is not running: D-Bus starts it, it answers
    # from the default file, shows no window and goes when no more calls come.
    ids = search('bi')
    check(ids == ['2', '6'], f'“bi” found {ids}, expected tasks 2 and 6 (“bill”, “bike”)')
    check(not has_window(), 'asking for results opened a window')
    check(wait_for(lambda: not name_has_owner(), EXIT_TIMEOUT_S),
          f'roster was still running {EXIT_TIMEOUT_S} s after the last search')
    check(file_digest() == before, 'searching wrote the default file')

    # Started again by the next call.
    ids = search('chore')
    check(ids == [str(i) for i in range(8, 28)],
          f'“chore” found {ids}: expected the oldest 20 of 25 (tasks 8 to 27)')
    ids = search('SORT', 'Chore', '25')
    check(ids == ['32'], f'“SORT Chore 25” found {ids}, expected task 32')
    ids = search('nothing like this')
    check(ids == [], f'a search for nothing found {ids}')
    ids = call('GetSubsearchResultSet',
               GLib.Variant('(asas)', (['1', '2'], ['blue', 'folder'])), '(as)')[0]
    check(ids == ['2'], f'the subsearch “blue folder” found {ids}, expected task 2 (its notes)')

    metas = call('GetResultMetas', GLib.Variant('(as)', (['1', '6', '2', '8', '999', 'x'],)),
                 '(aa{sv})')[0]
    got = [(m.get('id'), m.get('name'), m.get('description')) for m in metas]
    expected = [
        ('1', titles[1], 'Owned by Alice, tagged Home'),
        ('6', titles[6], 'Owned by Bob, tagged Urgent'),
        ('2', titles[2], 'Owned by Alice, tagged Money, Urgent'),
        ('8', 'Sort chore 01', 'Owned by Chloé'),
    ]
    check(got == expected, f'metas {got}, expected {expected} (no meta for unknown ids)')
    check(not has_window(), 'the metas opened a window')
    check(file_digest() == before, 'searching wrote the default file')

    # A result chosen: the window opens on it, selected in Bob's list.
    call('ActivateResult', GLib.Variant('(sasu)', ('6', ['bi'], 0)), '()')
    check(wait_for(has_window, 30), 'ActivateResult opened no window')
    app = find_app()
    if check(app is not None, 'the window never appeared on the accessibility bus'):
        bike = "Fix the bike's brakes, not done"
        selected = wait_for(lambda: selected_tasks(app) == [bike], 30)
        screenshot('activate-result.png')
        check(selected, f'task 6 is not the one selected (selected: {selected_tasks(app)})')
        check('Bob' in content_title(app), f'Bob’s list is not shown (title: {content_title(app)})')

        # One of the 25 added tasks, from the window's own store now.
        ids = search('chore', '25')
        check(ids == ['32'], f'with the window open, “chore 25” found {ids}')
        call('ActivateResult', GLib.Variant('(sasu)', ('32', ['chore', '25'], 0)), '()')
        chore = 'Sort chore 25, not done'
        selected = wait_for(lambda: selected_tasks(app) == [chore], 30)
        check(selected, f'task 32 is not the one selected (selected: {selected_tasks(app)})')
        check('Chloé' in content_title(app),
              f'Chloé’s list is not shown (title: {content_title(app)})')

        # “Search in Roster”: Find, with the terms typed.
        call('LaunchSearch', GLib.Variant('(asu)', (['electricity', 'bill'], 0)), '()')
        found = ['Pay the electricity bill, owned by Alice']
        shown = wait_for(lambda: list(list_items(app, 'Found tasks')) == found, 30)
        screenshot('launch-search.png')
        check(shown, f'Find shows {list(list_items(app, "Found tasks"))}, expected {found}')
        check(entry_text(app, 'Find tasks') == 'electricity bill',
              f'Find’s entry holds {entry_text(app, "Find tasks")!r}, not the terms')
        check('Find Tasks' in content_title(app), f'Find is not open (title: {content_title(app)})')

    # Quit as the menu does; the name goes with the process.
    call('Activate', GLib.Variant('(sava{sv})', ('quit', [], {})), '()',
         path=APP_PATH, interface='org.gtk.Actions')
    check(wait_for(lambda: not name_has_owner(), EXIT_TIMEOUT_S), 'roster did not quit')
except GLib.Error as e:
    failures.append(f'D-Bus: {e.message}')
finally:
    for p in reversed(processes):
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
    shutil.rmtree(work, ignore_errors=True)

for failure in failures:
    print('FAIL:', failure)
if failures:
    sys.exit(1)
print('ok - results, subsearch and metas without a window; ActivateResult shows the task, '
      'LaunchSearch opens Find')
