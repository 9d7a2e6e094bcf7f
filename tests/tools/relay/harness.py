"""Starts the real relay binary (path in $RELAY) on a free loopback port and talks to it."""
import http.client
import json
import os
import signal
import socket
import subprocess
import tempfile
import time

RELAY = os.environ.get("RELAY", "relay")


def one_page_site():
    """A temporary site folder holding only index.html, for tests where the relay must serve
    something but the files do not matter. Call .cleanup() (or use it in a with block)."""
    site = tempfile.TemporaryDirectory()
    with open(os.path.join(site.name, "index.html"), "w") as f:
        f.write("<p>")
    return site


def key(n):
    """A distinct, well-formed Ed25519 key in hex for fake node n."""
    return ("%02x" % n) * 32


class Relay:
    def __init__(self, www, seed_url, *extra, wait_nodes=None):
        self.logdir = tempfile.TemporaryDirectory()
        self.stdout_path = os.path.join(self.logdir.name, "stdout")
        self.stderr_path = os.path.join(self.logdir.name, "stderr")
        self._out = open(self.stdout_path, "wb")
        self._err = open(self.stderr_path, "wb")
        args = [RELAY, "--port", "0", "--www", www, "--seed", seed_url, *extra]
        self.proc = subprocess.Popen(args, stdout=self._out, stderr=self._err)
        self.url = self._wait_for_url()
        self.port = int(self.url.rsplit(":", 1)[1].strip("/"))
        if wait_nodes is not None:
            self.wait_for_nodes(wait_nodes)

    def _wait_for_url(self):
        deadline = time.time() + 20
        while time.time() < deadline:
            with open(self.stdout_path) as f:
                line = f.readline()
            if line.endswith("\n"):
                return line.strip()
            if self.proc.poll() is not None:
                raise RuntimeError("relay exited: " + self.stderr())
            time.sleep(0.02)
        raise RuntimeError("relay printed no URL")

    def wait_for_nodes(self, count):
        deadline = time.time() + 20
        while time.time() < deadline:
            info = json.loads(self.request("GET", "/relay/info")[2])
            if info["nodes_known"] == count:
                return info
            time.sleep(0.05)
        raise RuntimeError("relay never knew %d nodes: %s" % (count, self.stderr()))

    def connection(self, timeout=30):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None):
        """(status, headers as a dict with lower-case names, body bytes)"""
        conn = self.connection()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            res = conn.getresponse()
            data = res.read()
            return res.status, {k.lower(): v for k, v in res.getheaders()}, data
        finally:
            conn.close()

    def raw(self, data, timeout=10):
        """Sends raw bytes (ask for Connection: close); returns all the relay answers."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            try:
                s.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
            chunks = []
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
            except (socket.timeout, ConnectionResetError):
                pass
            return b"".join(chunks)

    def stderr(self):
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def logs_bytes(self):
        with open(self.stdout_path, "rb") as f:
            out = f.read()
        with open(self.stderr_path, "rb") as f:
            return out + f.read()

    def stop(self):
        """SIGTERM; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._out.close()
        self._err.close()
        return self.proc.returncode

    def cleanup(self):
        self.stop()
        self.logdir.cleanup()
