#!/usr/bin/env python3
# Installs the build into a temporary DESTDIR and checks that what a user gets
# works: the files are where the desktop looks for them (GNOME Shell's search
# provider and the D-Bus service that starts Roster, the man page and the bash
# completion included), the translations are there and translate, and the
# installed `roster` runs from that prefix (its GResource is linked in, its
# schema comes from the installed copy).
#
#   check-install.py --meson MESON --prefix PREFIX --version VERSION BUILD_DIR

import argparse
import configparser
import gettext
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

APP_ID = 'io.github.rosterapp.Roster'
LANGUAGES = ['de', 'fr', 'es']
# One plain string and one plural the application shows, with what each
# language must make of them.
PROBE = 'Show the version and quit'
PLURAL = ('%u open task', '%u open tasks')

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def run(cmd, env=None, timeout=60):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env, timeout=timeout, universal_newlines=True)


def read_ini(path, section):
    """The keys of @section in the .ini-style file @path, or None."""
    if not os.path.isfile(path):
        return None
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    try:
        parser.read(path, encoding='utf-8')
    except configparser.Error as e:
        failures.append(f'{path} cannot be read: {e}')
        return None
    if not check(parser.has_section(section), f'{path} has no [{section}]'):
        return None
    return dict(parser[section])


# GNOME Shell's search (issue 17): the Shell reads the .ini, and starts Roster
# by its bus name through the service file, with the installed binary.
def check_search_provider(paths, prefix):
    ini = read_ini(paths['search provider'], 'Shell Search Provider')
    if ini is not None:
        expected = {
            'DesktopId': APP_ID + '.desktop',
            'BusName': APP_ID,
            'ObjectPath': '/' + APP_ID.replace('.', '/') + '/SearchProvider',
            'Version': '2',
        }
        check(ini == expected, f'the search provider says {ini}, expected {expected}')
    service = read_ini(paths['D-Bus service'], 'D-BUS Service')
    if service is not None:
        expected = {
            'Name': APP_ID,
            'Exec': os.path.join(prefix, 'bin', 'roster') + ' --gapplication-service',
        }
        check(service == expected, f'the D-Bus service says {service}, expected {expected}')


def check_files(root, prefix):
    share = os.path.join(root, 'share')
    paths = {
        'binary': os.path.join(root, 'bin', 'roster'),
        'schema': os.path.join(share, 'glib-2.0', 'schemas', APP_ID + '.gschema.xml'),
        'desktop file': os.path.join(share, 'applications', APP_ID + '.desktop'),
        'metainfo': os.path.join(share, 'metainfo', APP_ID + '.metainfo.xml'),
        'icon': os.path.join(share, 'icons', 'hicolor', 'scalable', 'apps', APP_ID + '.svg'),
        'symbolic icon': os.path.join(share, 'icons', 'hicolor', 'symbolic', 'apps',
                                      APP_ID + '-symbolic.svg'),
        'search provider': os.path.join(share, 'gnome-shell', 'search-providers',
                                        APP_ID + '.search-provider.ini'),
        'D-Bus service': os.path.join(share, 'dbus-1', 'services', APP_ID + '.service'),
        # The command line (issue 17): roster(1), and the completion where
        # bash-completion looks under this prefix.
        'man page': os.path.join(share, 'man', 'man1', 'roster.1'),
        'bash completion': os.path.join(share, 'bash-completion', 'completions', 'roster'),
    }
    for what, path in paths.items():
        check(os.path.isfile(path), f'{what} not installed: {path} is missing')
    check(os.access(paths['binary'], os.X_OK), 'the installed roster is not executable')

    for what in ('schema', 'metainfo', 'icon', 'symbolic icon'):
        if os.path.isfile(paths[what]):
            try:
                ET.parse(paths[what])
            except ET.ParseError as e:
                failures.append(f'the installed {what} is not well-formed XML: {e}')

    if os.path.isfile(paths['desktop file']):
        with open(paths['desktop file'], encoding='utf-8') as f:
            desktop = f.read()
        for lang in LANGUAGES:
            check(f'Comment[{lang}]=' in desktop, f'the desktop file has no Comment[{lang}]')
        check('Exec=roster' in desktop, 'the desktop file does not start roster')
        check('\nDBusActivatable=true\n' in desktop, 'the desktop file is not DBusActivatable')
    check_search_provider(paths, prefix)
    if os.path.isfile(paths['man page']):
        with open(paths['man page'], encoding='utf-8') as f:
            man = f.read()
        check(man.startswith('.\\"') and '\n.TH ROSTER 1 ' in man and '.SH EXAMPLES' in man,
              'the installed man page is not roster(1) with examples')
    if os.path.isfile(paths['bash completion']):
        with open(paths['bash completion'], encoding='utf-8') as f:
            check('complete -F _roster roster' in f.read(),
                  'the installed bash completion does not complete roster')
    if os.path.isfile(paths['metainfo']):
        langs = {e.get('{http://www.w3.org/XML/1998/namespace}lang')
                 for e in ET.parse(paths['metainfo']).iter('summary')}
        for lang in LANGUAGES:
            check(lang in langs, f'the metainfo has no {lang} summary')

    localedir = os.path.join(share, 'locale')
    for lang in LANGUAGES:
        mo = os.path.join(localedir, lang, 'LC_MESSAGES', 'roster.mo')
        if not check(os.path.isfile(mo), f'{mo} is missing'):
            continue
        t = gettext.translation('roster', localedir, languages=[lang])
        check(t.gettext(PROBE) != PROBE, f'{lang}: “{PROBE}” is not translated')
        for n in (1, 2, 5):
            check(t.ngettext(*PLURAL, n) not in PLURAL,
                  f'{lang}: the plural of “{PLURAL[0]}” for {n} is not translated')
    return paths


def check_runs(root, paths, version, workdir):
    schemas = os.path.dirname(paths['schema'])
    compiled = os.path.join(workdir, 'schemas')
    os.makedirs(compiled)
    shutil.copy(paths['schema'], compiled)
    res = run(['glib-compile-schemas', '--strict', compiled])
    check(res.returncode == 0, f'the installed schema does not compile: {res.stderr}')

    env = dict(os.environ)
    env.update({
        'GSETTINGS_SCHEMA_DIR': compiled,
        'GSETTINGS_BACKEND': 'memory',
        'XDG_DATA_DIRS': os.path.join(root, 'share') + ':/usr/share',
        'XDG_DATA_HOME': os.path.join(workdir, 'data'),
        'XDG_CONFIG_HOME': os.path.join(workdir, 'config'),
        'HOME': workdir,
        'G_DEBUG': 'fatal-criticals',
        'NO_AT_BRIDGE': '1',
        'GDK_BACKEND': 'x11',
        'GSK_RENDERER': 'cairo',
    })

    res = run([paths['binary'], '--version'], env=env)
    check(res.returncode == 0, f'roster --version failed ({res.returncode}): {res.stderr}')
    check(version in res.stdout, f'roster --version says {res.stdout.strip()!r}, not {version}')

    # Starting the window needs a display: a private Xvfb when there is one,
    # else $DISPLAY (the Flatpak build gives its tests the host's X socket).
    xvfb = shutil.which('xvfb-run')
    if xvfb:
        # From :180 up (-n before -a: the search starts there), and no server
        # reset while roster connects (see tests/ui/meson.build).
        prefix = [xvfb, '-n', '180', '-a', '-s', '-screen 0 1280x800x24 -noreset']
    elif env.get('DISPLAY'):
        prefix = []
    else:
        print('no display: the installed roster was not started')
        return
    db = os.path.join(workdir, 'roster.db')
    res = run(prefix + ['timeout', '5', paths['binary'], '--db', db], env=env, timeout=60)
    # `timeout` ends it after 5 s (status 124): it started and kept running.
    check(res.returncode == 124,
          f'the installed roster stopped by itself (status {res.returncode}): {res.stderr}')
    check(os.path.isfile(db), 'the installed roster did not create its file')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--meson', default='meson')
    parser.add_argument('--prefix', required=True)
    parser.add_argument('--version', required=True)
    parser.add_argument('builddir')
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix='roster-install-')
    try:
        destdir = os.path.join(workdir, 'destdir')
        res = run([args.meson, 'install', '-C', args.builddir, '--no-rebuild', '--quiet',
                   '--destdir', destdir], timeout=300)
        if res.returncode != 0:
            print(res.stdout + res.stderr)
            sys.exit('meson install --destdir failed')
        root = destdir + args.prefix
        paths = check_files(root, args.prefix)
        if os.path.isfile(paths['binary']) and os.path.isfile(paths['schema']):
            check_runs(root, paths, args.version, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    for message in failures:
        print(message)
    if not failures:
        print(f'installed to a DESTDIR under {args.prefix}: files, translations and '
              f'`roster` all work')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
