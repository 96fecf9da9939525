#!/usr/bin/env python3
# Checks the Flatpak manifest without downloading the runtime: flatpak-builder
# must read it without a single warning (an unknown or misspelt key is only a
# warning there), and what it read must be the application Roster ships: the
# app ID (also the file name), the command, the runtime, the exact list of
# permissions and the Roster module built from this checkout with its tests;
# any other module (a library the runtime lacks) from a pinned release tarball.
#
#   check-manifest.py [--flatpak-builder PATH] MANIFEST

import argparse
import json
import os
import subprocess
import sys

APP_ID = 'io.github.rosterapp.Roster'
COMMAND = 'roster'
RUNTIME = 'org.gnome.Platform'
SDK = 'org.gnome.Sdk'
# A task manager shows windows and keeps its file in the sandbox's own data
# directory: no file system, no session bus names. The network is for CalDAV
# sync only (the password goes through the Secret portal, which needs nothing).
PERMISSIONS = ['--share=ipc', '--socket=fallback-x11', '--socket=wayland', '--device=dri',
               '--share=network']

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--flatpak-builder', default='flatpak-builder')
    parser.add_argument('manifest')
    args = parser.parse_args()

    env = dict(os.environ, LC_ALL='C', LANGUAGE='C')
    # G_DEBUG=fatal-warnings would abort on the first warning; we want to see them all.
    env.pop('G_DEBUG', None)
    res = subprocess.run([args.flatpak_builder, '--show-manifest', args.manifest],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env, universal_newlines=True)
    if res.returncode != 0:
        print(res.stderr, end='')
        sys.exit(f'flatpak-builder --show-manifest failed with status {res.returncode}')
    # flatpak-builder prints nothing on stderr for a clean manifest; anything
    # there (unknown property, deprecated key, …) counts as a failure.
    for line in res.stderr.splitlines():
        if line.strip():
            failures.append(f'flatpak-builder: {line.strip()}')

    manifest = json.loads(res.stdout)

    name = os.path.basename(args.manifest)
    app_id = manifest.get('id', manifest.get('app-id'))
    check(app_id == APP_ID, f'app ID is {app_id!r}, expected {APP_ID!r}')
    check(name == APP_ID + '.json', f'file name is {name!r}, expected {APP_ID}.json')
    check(manifest.get('command') == COMMAND,
          f'command is {manifest.get("command")!r}, expected {COMMAND!r}')
    check(manifest.get('runtime') == RUNTIME, f'runtime is {manifest.get("runtime")!r}')
    check(manifest.get('sdk') == SDK, f'sdk is {manifest.get("sdk")!r}')
    version = manifest.get('runtime-version', '')
    check(version.isdigit(), f'runtime-version {version!r} is not a stable GNOME release')

    finish_args = manifest.get('finish-args', [])
    check(sorted(finish_args) == sorted(PERMISSIONS) and len(finish_args) == len(PERMISSIONS),
          f'finish-args are {finish_args}, expected exactly {PERMISSIONS}')

    modules = [m for m in manifest.get('modules', []) if isinstance(m, dict)]
    roster = [m for m in modules if m.get('name') == 'roster']
    check(len(roster) == 1, 'there must be exactly one module named "roster"')
    if roster:
        module = roster[0]
        check(module is modules[-1], 'the roster module must be the last one')
        check(module.get('buildsystem') == 'meson', 'the roster module must build with meson')
        check(module.get('run-tests') is True, 'the roster module must run its tests (run-tests)')
        sources = module.get('sources', [])
        check(len(sources) == 1 and sources[0].get('type') == 'dir'
              and sources[0].get('path') == '../..',
              f'the roster module must build from the checkout (type dir, path ../..), not {sources}')
        test_args = module.get('build-options', {}).get('test-args', [])
        check('--socket=x11' in test_args,
              'the tests need a display: build-options.test-args must have --socket=x11')

    # A library the runtime lacks (libical) is built from its release
    # tarball, pinned by its checksum: the same bytes on every build.
    for module in modules:
        if module.get('name') == 'roster':
            continue
        for source in module.get('sources', []):
            pinned = source.get('type') in ('archive', 'file') and len(source.get('sha256', '')) == 64
            check(pinned, f'module {module.get("name")!r}: every source must be a release '
                          f'archive with its sha256, not {source}')

    for message in failures:
        print(message)
    if failures:
        return 1
    print(f'{name}: {app_id}, runtime {RUNTIME}//{version}, command {COMMAND}, '
          f'finish-args {" ".join(finish_args)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
