"""A tiny fake Session network for the relay's integration tests, on loopback only.

FakeSeed answers POST /json_rpc get_n_service_nodes with the nodes it is given; FakeNode answers
POST /onion_req/v2 the way the test asks (echo, fixed status, slow, HTTPS). Every request they
receive is recorded (path, headers, body) so tests can check what the relay really sent.
"""
import http.server
import json
import os
import ssl
import subprocess
import threading
import time


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        server = self.server
        with server.lock:
            server.received.append({"path": self.path, "headers": dict(self.headers), "body": body,
                                    "peer": self.client_address})
        status, payload, delay = server.owner.answer(self.path, body)
        if delay:
            time.sleep(delay)
        self.send_response(status)
        self.send_header("Content-Type", "text/html")  # the relay must not pass this through
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        if getattr(server.owner, "hang_up", False):
            # Close after answering without saying so (no "Connection: close"), as a server
            # does when an idle keep-alive connection times out: the relay's pooled connection
            # is dead the next time it is used.
            self.close_connection = True


class _HTTPServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the relay hangs up on slow nodes by design: no traceback for that


class _Server:
    def __init__(self, tls_dir=None):
        self.httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        self.httpd.lock = threading.Lock()
        self.httpd.received = []
        if tls_dir:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self_signed_cert(tls_dir))
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def received(self):
        with self.httpd.lock:
            return list(self.httpd.received)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class FakeNode(_Server):
    """mode: "echo" (200, b"ECHO\\0" + body reversed), "status" (fixed status and text),
    "slow" (answers after `delay` seconds). hang_up: close each connection after answering."""

    def __init__(self, key, mode="echo", status=200, text=b"", delay=0.0, tls_dir=None,
                 hang_up=False):
        self.key, self.mode, self.status, self.text, self.delay = key, mode, status, text, delay
        self.hang_up = hang_up
        super().__init__(tls_dir)

    def answer(self, path, body):
        if path != "/onion_req/v2":
            return 404, b"no such route", 0
        if self.mode == "echo":
            return 200, b"ECHO\x00" + body[::-1], 0
        if self.mode == "slow":
            return 200, b"late", self.delay
        return self.status, self.text, 0


class FakeSeed(_Server):
    def __init__(self, nodes, extra_states=(), tls_dir=None):
        self.nodes = list(nodes)
        self.extra_states = list(extra_states)
        self.last_answer = None
        super().__init__(tls_dir)

    def states(self):
        states = [
            {
                "public_ip": "127.0.0.1",
                "storage_port": node.port,
                "pubkey_ed25519": node.key,
                "pubkey_x25519": "00" * 32,
                "swarm_id": 18446744073709551615,  # uint64 max: must not break parsing
                "requested_unlock_height": 0,
            }
            for node in self.nodes
        ]
        return states + self.extra_states

    def answer(self, path, body):
        if path != "/json_rpc":
            return 404, b"no such route", 0
        request = json.loads(body)
        if request.get("method") != "get_n_service_nodes":
            error = {"error": {"code": -32601, "message": "Method not found"}}
            return 200, json.dumps(error).encode(), 0
        answer = {"result": {"service_node_states": self.states(), "height": 1234, "status": "OK"}}
        self.last_answer = json.dumps(answer).encode()
        return 200, self.last_answer, 0


def closed_port():
    """A loopback port nothing listens on (bound, then released)."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed_cert(directory):
    """A throwaway self-signed certificate (like a service node's), made with the openssl CLI."""
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    if not os.path.exists(cert):
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-days", "1", "-subj", "/CN=fake-node", "-keyout", key, "-out", cert],
            check=True, capture_output=True)
    return cert, key


def cert_sha256(directory):
    cert, _ = self_signed_cert(directory)
    out = subprocess.run(["openssl", "x509", "-in", cert, "-noout", "-fingerprint", "-sha256"],
                         check=True, capture_output=True, text=True).stdout
    return out.strip().split("=", 1)[1]
