"""Recording TCP proxies and a search for secrets in what they recorded (loopback only).

A Recorder sits between two peers and keeps every byte that crosses it, in both directions, so a
test can state what an observer at that point saw. `findings` looks for a secret in the forms it
could take on the wire: raw bytes, hex (either case), base64 and base64url at every alignment, and
inside any base64 text that decodes (a node's answers are base64 of ciphertext).
"""
import base64
import binascii
import re
import socket
import threading


class Recorder:
    """Listens on 127.0.0.1:<port> and forwards each connection to `target` (host, port)."""

    def __init__(self, target, label):
        self.target = target
        self.label = label
        self.lock = threading.Lock()
        self.chunks = []  # (direction, bytes) in arrival order per direction
        self.connections = 0
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.port = self.listener.getsockname()[1]
        self._open = True
        self._sockets = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while self._open:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections += 1
                self._sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, "in"), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, "out"),
                             daemon=True).start()

    def _pump(self, src, dst, direction):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                with self.lock:
                    self.chunks.append((direction, data))
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (dst, src):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def data(self, direction=None):
        with self.lock:
            return b"".join(d for (dirn, d) in self.chunks if direction in (None, dirn))

    def close(self):
        self._open = False
        self.listener.close()
        with self.lock:
            for s in self._sockets:
                s.close()


def _base64_forms(secret):
    """The base64/base64url substrings that encoding `secret` at any offset must contain."""
    forms = set()
    for shift in range(3):
        encoded = base64.b64encode(bytes(shift) + secret)
        # Drop the group holding the padding bytes and the last (partial) group.
        core = encoded[4 if shift else 0:len(encoded) - 4]
        if len(core) >= 8:
            forms.add(core)
            forms.add(core.replace(b"+", b"-").replace(b"/", b"_"))
    return forms


def forms_of(secret):
    """Every encoding of `secret` (bytes) searched for."""
    forms = {secret, binascii.hexlify(secret), binascii.hexlify(secret).upper()}
    forms |= _base64_forms(secret)
    return forms


_BASE64_RUN = re.compile(rb"[A-Za-z0-9+/_-]{16,}={0,2}")


def decoded_base64(data):
    """What any base64 text of 16+ characters in `data` decodes to (either alphabet)."""
    out = []
    for run in _BASE64_RUN.findall(data):
        text = run.rstrip(b"=")
        for start in range(4):  # the run may begin mid-group
            piece = text[start:]
            piece = piece[:len(piece) - len(piece) % 4]
            for alt in (piece, piece.replace(b"-", b"+").replace(b"_", b"/")):
                try:
                    out.append(base64.b64decode(alt, validate=True))
                except binascii.Error:
                    pass
    return b"\0".join(out)


def findings(haystack, secrets):
    """[(name, form)] for each secret (name -> bytes) found in the haystack in any form."""
    hay = haystack + b"\0" + decoded_base64(haystack)
    found = []
    for name, secret in secrets.items():
        for form in forms_of(secret):
            if form in hay:
                found.append((name, form[:80]))
                break
    return found
