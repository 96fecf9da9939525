"""radicale_fixture.py: the Python twin of roster-radicale.c for the sync
tests written in Python: Debian's Radicale on 127.0.0.1 on a free port,
htpasswd users, storage and log in a temporary folder, stopped at the end;
and python3-caldav as the other client.

    with Radicale({"alice": "pw"}) as server:
        server.url, server.client("alice"), server.count_requests("PUT")
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

PYTHON = "/usr/bin/python3"


def die_with_parent():
    """In the child (Linux): SIGKILL when the test process goes."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def available():
    return subprocess.run([PYTHON, "-c", "import radicale, caldav"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def skip_unless_available(*modules):
    """For a TAP test's main(): True, after printing the plan that skips it,
    when radicale, python3-caldav or one of @modules cannot be imported."""
    for module in modules:
        try:
            __import__(module)
        except ImportError:
            print(f"1..0 # SKIP python3 cannot import {module}")
            return True
    if not available():
        print("1..0 # SKIP radicale or python3-caldav is missing")
        return True
    return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.05)
    return False


class Radicale:
    def __init__(self, users):
        self.users = users
        self.dir = tempfile.mkdtemp(prefix="roster-radicale-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = os.path.join(self.dir, "log")
        with open(os.path.join(self.dir, "users"), "w") as f:
            for name, password in users.items():
                f.write(f"{name}:{password}\n")
        # Unindented: Radicale reads an indented line as the one before's continuation.
        with open(os.path.join(self.dir, "config"), "w") as f:
            f.write(f"[server]\nhosts = 127.0.0.1:{self.port}\n"
                    f"[auth]\ntype = htpasswd\nhtpasswd_filename = {self.dir}/users\n"
                    "htpasswd_encryption = plain\n[rights]\ntype = owner_only\n"
                    f"[storage]\nfilesystem_folder = {self.dir}/collections\n"
                    "[web]\ntype = none\n[logging]\nlevel = info\n")
        self.log = open(self.log_path, "a")
        self.process = None
        self.start()

    def start(self):
        """(Again, after pause()): on the same port, with the same storage."""
        # It ends with the test even when the test dies without stopping it.
        self.process = subprocess.Popen([PYTHON, "-m", "radicale", "--config",
                                         os.path.join(self.dir, "config")],
                                        stdout=subprocess.DEVNULL, stderr=self.log,
                                        preexec_fn=die_with_parent)
        if not wait_for_port(self.port):
            self.stop()
            raise RuntimeError("Radicale did not start")

    def pause(self):
        """The server goes away (the port refuses connections); start() brings it back."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None

    def stop(self):
        self.pause()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def client(self, user):
        import caldav
        return caldav.DAVClient(url=self.url, username=user, password=self.users[user])

    def calendars(self, user):
        """{display name: calendar} of @user's lists."""
        return {c.name: c for c in self.client(user).principal().calendars()}

    def count_requests(self, method=None):
        with open(self.log_path) as f:
            needle = f"] {method} request for " if method else " request for '"
            return sum(1 for line in f if needle in line)
