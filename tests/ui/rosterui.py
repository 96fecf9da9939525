"""rosterui.py: what the Python tests of the real window share: waiting for
a condition, and reading roster's window through the accessibility bus
(afresh each time: GTK replaces objects as lists scroll and pages change)."""
import time

import pyatspi


def poll(what, check, seconds, fail):
    """Calls check() until it returns something true, for up to seconds;
    then fail(what)."""
    end = time.monotonic() + seconds
    while True:
        try:
            result = check()
        except Exception:  # the accessibility bus while roster is busy
            result = None
        if result:
            return result
        if time.monotonic() > end:
            fail(what)
        time.sleep(0.25)


def find_app(name):
    for app in pyatspi.Registry.getDesktop(0):
        if app is not None and app.name == name:
            return app
    return None


def walk(obj, visit, depth=0):
    """Calls visit() on obj and everything under it; a subtree that changes
    while it is read (GTK replacing rows) is left out, not an error."""
    if depth > 60:
        return
    try:
        visit(obj)
        children = list(obj)
    except Exception:
        return
    for child in children:
        if child is not None:
            walk(child, visit, depth + 1)


def accessibles(name):
    """Every accessible of the application called name."""
    found = []

    def walk(obj, depth):
        if obj is None or depth > 60:
            return
        found.append(obj)
        for child in obj:
            walk(child, depth + 1)

    app = find_app(name)
    if app is not None:
        walk(app, 0)
    return found


def showing(obj):
    # GTK 4.8 sets SHOWING on windows only; a hidden widget is left out of
    # the tree, so VISIBLE tells what is shown (but for other stack pages).
    return obj.getState().contains(pyatspi.STATE_VISIBLE)


def shown_texts(name):
    return {obj.name for obj in accessibles(name) if obj.name and showing(obj)}


def task_rows(name):
    """The names of the task rows shown: "TITLE, not done" or "TITLE, done"."""
    return {obj.name for obj in accessibles(name)
            if obj.getRoleName() == 'list item' and obj.name and showing(obj)}
