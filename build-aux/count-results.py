#!/usr/bin/env python3
"""Counts test results in meson's JSON test logs and prints "N passed, N failed".

A GLib test program speaks TAP, so each of its test cases is counted on its
own; a program that crashed or timed out counts as one more failure.
"""
import json
import sys

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.readlines()
    except FileNotFoundError:
        print(f"missing test log {path}", file=sys.stderr)
        failed += 1
        continue
    for line in lines:
        entry = json.loads(line)
        result = entry.get("result")
        cases_ok = cases_bad = 0
        for out in (entry.get("stdout") or "").splitlines():
            if out.startswith("ok "):
                if "# SKIP" in out:
                    skipped += 1
                else:
                    cases_ok += 1
            elif out.startswith("not ok "):
                if "# TODO" not in out:
                    cases_bad += 1
        if cases_ok == 0 and cases_bad == 0:
            # Not TAP: the program is one test.
            if result in ("OK", "EXPECTEDFAIL"):
                cases_ok = 1
            elif result == "SKIP":
                skipped += 1
            else:
                cases_bad = 1
        elif result not in ("OK", "EXPECTEDFAIL", "SKIP") and cases_bad == 0:
            cases_bad = 1  # it died after its last "ok"
        passed += cases_ok
        failed += cases_bad

line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
