#!/usr/bin/env python3
# Fails when a file under src/ or ui/ has translatable strings but is not
# listed in po/POTFILES.in (its strings would never reach the translators),
# or when POTFILES.in lists a file that does not exist (xgettext would stop).
#
#   check-potfiles.py SOURCE_ROOT

import os
import re
import sys

# What marks a string for translation in C and in GtkBuilder files.
MARKERS = re.compile(r'\b(?:N_|C_|NC_|_)\s*\(\s*"|\bg_dngettext\s*\(|\bngettext\s*\('
                     r'|translatable="yes"')
SCANNED_DIRS = ('src', 'ui')
SCANNED_SUFFIXES = ('.c', '.h', '.ui')


def listed_files(potfiles):
    with open(potfiles, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                yield line


def files_with_strings(root):
    for top in SCANNED_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith(SCANNED_SUFFIXES):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding='utf-8', errors='replace') as f:
                    if MARKERS.search(f.read()):
                        yield os.path.relpath(path, root)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.getcwd()
    potfiles = os.path.join(root, 'po', 'POTFILES.in')
    listed = list(listed_files(potfiles))
    ok = True

    for path in files_with_strings(root):
        if path not in listed:
            print(f'{path} has translatable strings but is missing from po/POTFILES.in')
            ok = False
    for path in listed:
        if not os.path.isfile(os.path.join(root, path)):
            print(f'po/POTFILES.in lists {path}, which does not exist')
            ok = False
    duplicates = sorted({p for p in listed if listed.count(p) > 1})
    for path in duplicates:
        print(f'po/POTFILES.in lists {path} more than once')
        ok = False

    if ok:
        print(f'po/POTFILES.in lists all {len(listed)} files with translatable strings')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
