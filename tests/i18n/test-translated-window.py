#!/usr/bin/python3
"""test-translated-window.py ROSTER DEMO-DATA PODIR LOCALEDIR LANG

Runs the real window with LANGUAGE=LANG LANG=C.UTF-8 and reads what is on
screen through the accessibility bus: every text Roster shows must be in LANG.
A text is English when it equals one of Roster's English messages (or fits one
with placeholders, like "Buy milk, not done") whose translation differs.

ROSTER is main.c built with LOCALEDIR pointing at LOCALEDIR, which this script
fills from PODIR/LANG.po first, so the translations tested are the sources'.
Runs under `xvfb-run -a dbus-run-session --` (see tests/i18n/meson.build).
"""
import gettext
import os
import re
import subprocess
import sys
import tempfile
import time

import pyatspi

roster, demo_data, podir, localedir, lang = sys.argv[1:6]

mo_dir = os.path.join(localedir, lang, 'LC_MESSAGES')
os.makedirs(mo_dir, exist_ok=True)
subprocess.run(['msgfmt', '--output-file', os.path.join(mo_dir, 'roster.mo'),
                os.path.join(podir, lang + '.po')], check=True)
catalog = gettext.translation('roster', localedir, languages=[lang])._catalog

# Every English message, translated or not: msgen copies each msgid into its
# msgstr, so this catalogue has them all.
english_dir = os.path.join(tempfile.mkdtemp(), 'en', 'LC_MESSAGES')
os.makedirs(english_dir)
msgen = subprocess.run(['msgen', os.path.join(podir, lang + '.po')],
                       stdout=subprocess.PIPE, check=True).stdout
subprocess.run(['msgfmt', '--output-file', os.path.join(english_dir, 'roster.mo'), '-'],
               input=msgen, check=True)
english_catalog = gettext.translation(
    'roster', os.path.dirname(os.path.dirname(english_dir)), languages=['en'])._catalog

# English text -> its translation (None when untranslated), for the messages
# whose text on screen must change. Plural keys are (singular msgid, form).
changed = {}
for key, english in english_catalog.items():
    translated = catalog.get(key)
    if key and english != translated:
        changed[english] = translated
translations = set(catalog.values())


def pattern(message):
    """A regex for the texts a printf-style message can produce, or None."""
    parts = re.split(r'%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?(?:l|ll|h)?[sduifA-Za-z%]', message)
    if sum(len(p.strip()) for p in parts) < 4:
        return None  # mostly placeholders: it would match anything
    return re.compile('^' + '.+'.join(re.escape(p) for p in parts) + '$', re.S)


english_patterns = [(m, pattern(m)) for m in changed if '%' in m]
english_patterns = [(m, p) for m, p in english_patterns if p]
translated_patterns = [p for p in (pattern(t) for t in translations if '%' in t) if p]

subprocess.run(['dbus-update-activation-environment', 'DISPLAY'], check=False)
work = tempfile.mkdtemp()
db = os.path.join(work, 'demo.db')
subprocess.run([demo_data, db], check=True)
env = dict(os.environ, XDG_DATA_HOME=os.path.join(work, 'data'),
           LANGUAGE=lang, LANG='C.UTF-8')
for name in ('LC_ALL', 'LC_MESSAGES', 'GTK_A11Y', 'NO_AT_BRIDGE'):
    env.pop(name, None)
app_process = subprocess.Popen([roster, '--db', db], env=env)


def find_app():
    for _ in range(100):
        if app_process.poll() is not None:
            failures.append(f'roster exited with status {app_process.returncode} '
                            'before its window appeared')
            return None
        for app in pyatspi.Registry.getDesktop(0):
            if app is not None and app.name == os.path.basename(roster):
                for child in app:
                    if child is not None and child.getRoleName() == 'frame':
                        return app
        time.sleep(0.2)
    return None


texts = set()
failures = []


def walk(obj, depth=0):
    if depth > 60:
        return
    try:
        texts.add(obj.name or '')
        texts.add(obj.description or '')
        children = list(obj)
    except Exception:
        return
    for child in children:
        if child is not None:
            walk(child, depth + 1)


try:
    app = find_app()
    if app is None:
        if not failures:
            failures.append('the application never appeared on the accessibility bus')
    else:
        time.sleep(1)
        walk(app)
finally:
    app_process.terminate()
    try:
        app_process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        app_process.kill()

texts.discard('')
local = set()
for text in sorted(texts):
    if text in translations or any(p.match(text) for p in translated_patterns):
        local.add(text)
        continue
    if text in changed:
        should = changed[text]
        failures.append(f'English on screen: {text!r} '
                        + (f'(should be {should!r})' if should else '(not translated)'))
        continue
    for message, p in english_patterns:
        if p.match(text):
            failures.append(f'English on screen: {text!r} (from {message!r})')
            break

if not failures and len(local) < 10:
    failures.append(f'only {len(local)} texts on screen are in {lang}: {sorted(local)}')

for failure in failures:
    print('FAIL:', failure)
if failures:
    sys.exit(1)
print(f'ok - {lang}: {len(local)} texts on screen are translated, none is English, e.g. '
      + ', '.join(repr(t) for t in sorted(local)[:8]))
