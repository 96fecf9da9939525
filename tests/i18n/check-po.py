#!/usr/bin/env python3
# Checks that every language in po/LINGUAS is complete: msgfmt --check must
# accept its .po file and count no untranslated and no fuzzy message.
#
#   check-po.py --msgfmt MSGFMT SOURCE_ROOT
#   check-po.py --msgfmt MSGFMT --xgettext XGETTEXT --msgmerge MSGMERGE SOURCE_ROOT
#
# With --xgettext and --msgmerge, each .po is first merged with a template
# extracted from the sources right now (with the options of meson's 'glib'
# preset, as `meson compile roster-pot` does), so a string added to the code
# but not yet translated makes the check fail.

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

# The keywords and flags of meson's i18n 'glib' preset.
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format', '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format', '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format', '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format', '--flag=g_markup_printf_escaped:1:c-format',
]

STAT = re.compile(r'(\d+) (translated|fuzzy|untranslated) (?:message|translation)')


def run(cmd):
    env = dict(os.environ, LC_ALL='C', LANGUAGE='C')
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          env=env, universal_newlines=True)


def statistics(msgfmt, po):
    """Returns (ok, counts, output) for one .po file."""
    res = run([msgfmt, '--check', '--statistics', '--output-file=' + os.devnull, po])
    counts = {'translated': 0, 'fuzzy': 0, 'untranslated': 0}
    for number, kind in STAT.findall(res.stdout):
        counts[kind] = int(number)
    return res.returncode == 0, counts, res.stdout.strip()


def unfinished(msgfmt, po):
    """The untranslated and fuzzy msgids of a .po file, as msgattrib lists them."""
    msgattrib = os.path.join(os.path.dirname(msgfmt), 'msgattrib')
    if not os.access(msgattrib, os.X_OK):
        msgattrib = shutil.which('msgattrib')
    if not msgattrib:
        return []
    found = []
    for selection in ('--untranslated', '--only-fuzzy'):
        res = run([msgattrib, selection, '--no-obsolete', '--no-wrap', po])
        found += [line for line in res.stdout.splitlines()
                  if line.startswith('msgid "') and line != 'msgid ""']
    return found


def make_template(args, root, workdir):
    pot = os.path.join(workdir, 'roster.pot')
    res = run([args.xgettext, '--package-name=roster', '-f', os.path.join(root, 'po', 'POTFILES.in'),
               '-D', root, '-k_', '-o', pot] + XGETTEXT_ARGS)
    if res.returncode != 0:
        print(res.stdout)
        sys.exit('xgettext failed')
    return pot


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--msgfmt', default='msgfmt')
    parser.add_argument('--xgettext')
    parser.add_argument('--msgmerge')
    parser.add_argument('root')
    args = parser.parse_args()

    podir = os.path.join(args.root, 'po')
    with open(os.path.join(podir, 'LINGUAS'), encoding='utf-8') as f:
        languages = [w for line in f for w in line.split('#')[0].split()]
    if not languages:
        sys.exit('po/LINGUAS names no language')

    workdir = tempfile.mkdtemp(prefix='roster-po-')
    try:
        pot = make_template(args, args.root, workdir) if args.xgettext else None
        failed = False
        for lang in languages:
            po = os.path.join(podir, lang + '.po')
            if not os.path.isfile(po):
                print(f'{lang}: po/{lang}.po is missing')
                failed = True
                continue
            if pot:
                merged = os.path.join(workdir, lang + '.po')
                res = run([args.msgmerge, '--quiet', '--no-fuzzy-matching',
                           '--output-file=' + merged, po, pot])
                if res.returncode != 0:
                    print(f'{lang}: msgmerge failed:\n{res.stdout}')
                    failed = True
                    continue
                po = merged
            ok, counts, output = statistics(args.msgfmt, po)
            print(f'{lang}: {output}')
            if not ok:
                print(f'{lang}: msgfmt --check found errors')
                failed = True
            if counts['untranslated'] or counts['fuzzy']:
                print(f'{lang}: {counts["untranslated"]} untranslated and '
                      f'{counts["fuzzy"]} fuzzy messages:')
                for msgid in unfinished(args.msgfmt, po):
                    print(f'    {msgid}')
                failed = True
            if counts['translated'] == 0:
                print(f'{lang}: no translated message at all')
                failed = True
        return 1 if failed else 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
