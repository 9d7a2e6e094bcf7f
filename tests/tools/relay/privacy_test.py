"""What the relay sees of a chat: every byte it receives and sends, on both sides, holds no
message text, no Session ID and no key material.

A real devnet (tools/devnet) and two session-cli accounts chat through the relay. session-cli
speaks to service nodes directly, so a small shim plays the page's FetchTransport: session-cli's
seed request becomes `POST /relay/seed`, and each node it is told about is a local port of the
shim whose `POST /onion_req/v2` becomes `POST /relay/onion/<that node's Ed25519 key>` with the
same body - exactly the requests the page makes, with onion requests built by the core's own code.
Recorders (capture.Recorder) keep every byte between the shim and the relay, between the relay and
the seed, and between the relay and each guard node.

What the browser adds is not covered: its own headers (cookies, user agent, which the relay drops
anyway: forward_test.py) and the page's static files. The onion bytes are the same code compiled
natively instead of to wasm.

Not through the relay, on purpose: session-cli's guard test (`POST /storage_rpc/v1`, a get_swarm
for a random key) goes straight to the node, because the page has no such request (its
addressing has no direct RPC URL) and the relay has no route for it.
"""
import base64
import binascii
import hashlib
import http.client
import http.server
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import unittest

import capture
import harness

DEVNET = os.environ.get("DEVNET")
SESSION_CLI = os.environ.get("SESSION_CLI")

ALICE_SEED = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
BOB_SEED = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
TEXT_TO_BOB = "privacy canary: the quick brown fox meets bob at 7"
TEXT_TO_ALICE = "second canary: alice answers with zebra 42"


def http_post(port, path, body, content_type, timeout=40):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": content_type})
        res = conn.getresponse()
        return res.status, res.read()
    finally:
        conn.close()


class _Quiet(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def body(self):
        length = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(length) if length else b""

    def answer(self, status, body, content_type="application/octet-stream"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(handler_class, **attrs):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    server.daemon_threads = True
    for k, v in attrs.items():
        setattr(server, k, v)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def rewrite_ports(answer, port_of):
    """The seed answer with each node's storage_port replaced by port_of(state)."""
    data = json.loads(answer)
    for state in data.get("result", {}).get("service_node_states", []):
        state["storage_port"] = port_of(state)
    return json.dumps(data).encode()


class SeedShim(_Quiet):
    """The relay's seed: the devnet's seed, with each node behind a Recorder."""

    def do_POST(self):
        owner = self.server.owner
        status, body = http_post(owner.devnet_seed_port, "/json_rpc", self.body(),
                                 "application/json")
        if status == 200:
            body = rewrite_ports(body, owner.node_recorder_port)
        self.answer(status, body, "application/json")


class PageSeed(_Quiet):
    """session-cli's seed: POST /relay/seed, as the page sends it; nodes become shim ports."""

    def do_POST(self):
        owner = self.server.owner
        status, body = http_post(owner.client_port, "/relay/seed", self.body(), "application/json")
        if status == 200:
            body = rewrite_ports(body, owner.page_node_port)
        self.answer(status, body, "application/json")


class PageNode(_Quiet):
    """One node as session-cli sees it: its onion requests go through the relay."""

    def do_POST(self):
        owner, key = self.server.owner, self.server.key
        body = self.body()
        if self.path == "/onion_req/v2":
            with owner.lock:
                owner.onion_requests += 1
            status, answer = http_post(owner.client_port, "/relay/onion/" + key, body,
                                       "application/octet-stream")
        elif self.path == "/storage_rpc/v1":
            status, answer = http_post(owner.real_port[key], self.path, body, "application/json")
        else:
            status, answer = 404, b""
        self.answer(status, answer)


def account_secrets(seed_hex, session_id, mnemonic):
    """Everything secret about an account, or identifying it, that must not reach the relay."""
    seed = binascii.unhexlify(seed_hex)
    ed_seed = seed + bytes(16)  # Session pads the 16-byte seed to an Ed25519 seed
    x_sk = bytearray(hashlib.sha512(ed_seed).digest()[:32])  # crypto_sign_ed25519_sk_to_curve25519
    x_sk[0] &= 248
    x_sk[31] = (x_sk[31] & 127) | 64
    session = binascii.unhexlify(session_id)
    out = {"seed": seed, "ed25519 seed": ed_seed, "x25519 secret": bytes(x_sk),
           "session id": session, "x25519 public key": session[1:],
           "mnemonic": mnemonic.encode()}
    try:  # the Ed25519 keys when python3-cryptography is there (it is not needed otherwise)
        from cryptography.hazmat.primitives.asymmetric import ed25519, x25519
        from cryptography.hazmat.primitives import serialization
        raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
        ed_pk = ed25519.Ed25519PrivateKey.from_private_bytes(ed_seed).public_key().public_bytes(*raw)
        out["ed25519 public key"] = ed_pk
        out["ed25519 secret key"] = ed_seed + ed_pk
        # Checks the derivation above against session-cli's Session ID.
        x_pk = x25519.X25519PrivateKey.from_private_bytes(bytes(x_sk)).public_key().public_bytes(*raw)
        assert x_pk == session[1:], "x25519 derivation differs from session-cli's"
    except ImportError:
        pass
    return out


def cli(*args, timeout=120):
    r = subprocess.run([SESSION_CLI, *args], capture_output=True, text=True, timeout=timeout)
    return r.returncode, r.stdout + r.stderr


@unittest.skipUnless(DEVNET and SESSION_CLI, "needs DEVNET and SESSION_CLI (set by ctest)")
class Privacy(unittest.TestCase):
    def setUp(self):
        self.stops = []
        self.lock = threading.Lock()
        self.onion_requests = 0
        self.data = tempfile.mkdtemp(prefix="relay-privacy-")
        self.stops.append(lambda: shutil.rmtree(self.data, ignore_errors=True))
        self.start_devnet()
        # Relay side: seed shim and node recorders.
        self.node_recorders = {}
        self.real_port = {}
        seed_shim = serve(SeedShim, owner=self)
        self.stops.append(seed_shim.shutdown)
        self.seed_recorder = capture.Recorder(("127.0.0.1", seed_shim.server_address[1]), "seed")
        self.stops.append(self.seed_recorder.close)
        www = os.path.join(self.data, "www")
        os.mkdir(www)
        with open(os.path.join(www, "index.html"), "w") as f:
            f.write("<p>")
        self.relay = harness.Relay(www, "http://127.0.0.1:%d" % self.seed_recorder.port)
        self.stops.append(self.relay.cleanup)
        self.client_recorder = capture.Recorder(("127.0.0.1", self.relay.port), "client")
        self.stops.append(self.client_recorder.close)
        self.client_port = self.client_recorder.port
        # Page side.
        self.page_nodes = {}
        page_seed = serve(PageSeed, owner=self)
        self.stops.append(page_seed.shutdown)
        self.network = "http://127.0.0.1:%d" % page_seed.server_address[1]

    def tearDown(self):
        for stop in reversed(self.stops):
            try:
                stop()
            except Exception:  # noqa: BLE001 - cleanup goes on
                pass

    def start_devnet(self):
        proc = subprocess.Popen([DEVNET, "--nodes", "9", "--swarm-size", "3", "--port", "0",
                                 "--data", os.path.join(self.data, "devnet")],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

        def stop():
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.stops.append(stop)
        seed = None
        deadline = time.time() + 30
        while time.time() < deadline:
            line = proc.stdout.readline()  # devnet prints its seed, then "devnet: ready"
            if not line:
                break
            if line.startswith("devnet: seed"):
                seed = line.split()[-1]
            if line.startswith("devnet: ready"):
                break
        self.assertIsNotNone(seed, "devnet did not start")
        self.devnet_seed_port = int(seed.split(":")[2].split("/")[0])
        # Keep reading its output so it never blocks on a full pipe.
        threading.Thread(target=proc.stdout.read, daemon=True).start()

    def node_recorder_port(self, state):
        key = state["pubkey_ed25519"]
        with self.lock:
            if key not in self.node_recorders:
                self.real_port[key] = state["storage_port"]
                rec = capture.Recorder((state["public_ip"], state["storage_port"]), "node " + key)
                self.node_recorders[key] = rec
                self.stops.append(rec.close)
            return self.node_recorders[key].port

    def page_node_port(self, state):
        key = state["pubkey_ed25519"]
        with self.lock:
            if key not in self.page_nodes:
                server = serve(PageNode, owner=self, key=key)
                self.page_nodes[key] = server
                self.stops.append(server.shutdown)
            return self.page_nodes[key].server_address[1]

    def account(self, seed):
        rc, out = cli("id", "--seed", seed)
        self.assertEqual(rc, 0, out)
        session_id = out.strip()[:66]
        rc, mnemonic = cli("mnemonic", "encode", seed)
        self.assertEqual(rc, 0, mnemonic)
        return session_id, account_secrets(seed, session_id, mnemonic.strip())

    def test_a_chat_through_the_relay_shows_it_nothing(self):
        self.relay.wait_for_nodes(9)
        alice_id, alice_secrets = self.account(ALICE_SEED)
        bob_id, bob_secrets = self.account(BOB_SEED)

        rc, out = cli("send", "--network", self.network, "--seed", ALICE_SEED, "--to", bob_id,
                      "--text", TEXT_TO_BOB)
        self.assertEqual(rc, 0, out)
        rc, out = cli("poll", "--network", self.network, "--seed", BOB_SEED)
        self.assertEqual(rc, 0, out)
        self.assertIn(TEXT_TO_BOB, out)  # the chat really happened, and through the shim
        rc, out = cli("send", "--network", self.network, "--seed", BOB_SEED, "--to", alice_id,
                      "--text", TEXT_TO_ALICE)
        self.assertEqual(rc, 0, out)
        rc, out = cli("poll", "--network", self.network, "--seed", ALICE_SEED)
        self.assertEqual(rc, 0, out)
        self.assertIn(TEXT_TO_ALICE, out)

        # It all went through the relay: onion requests on both of its sides.
        client_side = self.client_recorder.data()
        node_side = b"".join(r.data() for r in list(self.node_recorders.values()))
        seed_side = self.seed_recorder.data()
        self.assertGreaterEqual(self.onion_requests, 4)
        self.assertGreaterEqual(client_side.count(b"POST /relay/onion/"), self.onion_requests)
        self.assertGreaterEqual(node_side.count(b"POST /onion_req/v2"), 4)
        self.assertIn(b"get_n_service_nodes", seed_side)

        secrets = {"text to bob": TEXT_TO_BOB.encode(), "text to alice": TEXT_TO_ALICE.encode()}
        for who, found in (("alice", alice_secrets), ("bob", bob_secrets)):
            for name, value in found.items():
                secrets[who + " " + name] = value
        # The search must be able to find them: each form of each secret in a sample.
        for name, value in secrets.items():
            for form in capture.forms_of(value):
                self.assertTrue(capture.findings(b"x" + form + b"y", {name: value}), name)
            self.assertTrue(capture.findings(base64.b64encode(b"ab" + value), {name: value}))

        where = {"page <-> relay": client_side, "relay <-> nodes": node_side,
                 "relay <-> seed": seed_side, "relay's log": self.relay.logs_bytes()}
        for place, data in where.items():
            self.assertEqual(capture.findings(data, secrets), [], place)
        total = sum(len(d) for d in where.values())
        print("\ncaptured %d bytes (page side %d, node side %d, seed side %d), %d onion requests"
              % (total, len(client_side), len(node_side), len(seed_side), self.onion_requests))


if __name__ == "__main__":
    unittest.main()
