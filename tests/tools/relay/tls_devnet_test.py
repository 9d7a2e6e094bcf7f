"""The relay in front of `devnet --tls`, as `tools/run --tls` runs them: the seed over HTTPS checked
by the pin the devnet printed, nodes over HTTPS without verification. A wrong pin is refused."""
import json
import os
import ssl
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.request

from harness import Relay

DEVNET = os.environ.get("DEVNET")
NODES = 4


def unverified():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


@unittest.skipUnless(DEVNET, "needs DEVNET (set by ctest)")
class TlsDevnet(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.www = os.path.join(self.tmp.name, "www")
        os.mkdir(self.www)
        with open(os.path.join(self.www, "index.html"), "w") as f:
            f.write("<!doctype html><title>t</title>\n")
        self.data = os.path.join(self.tmp.name, "devnet")
        self.relays = []
        self.start_devnet("0")

    def start_devnet(self, port):
        # On fixed ports (a restart) a port can still be held for a moment by the process just
        # stopped, or taken by another test running in parallel: the devnet then exits at once,
        # saying so on stderr; it is tried again a few times before that counts as a failure.
        for attempt in range(5):
            self.launch_devnet(port)
            if self.seed is not None or port == "0":
                break
            self.devnet.wait()
            self.reader.join(10)
            self.devnet.stdout.close()
            time.sleep(0.5 * (attempt + 1))
        self.assertIsNotNone(self.seed, "devnet did not start: " + self.devnet_log())
        self.assertTrue(self.seed.startswith("https://127.0.0.1:"), self.seed)
        self.assertRegex(self.pin or "", r"^[0-9a-f]{64}$")
        with open(os.path.join(self.data, "seed.pin")) as f:
            self.assertEqual(f.read().strip(), self.pin)

    def devnet_log(self):
        with open(os.path.join(self.tmp.name, "devnet.log"), errors="replace") as f:
            return f.read()[-2000:]

    def launch_devnet(self, port):
        log = open(os.path.join(self.tmp.name, "devnet.log"), "w")
        self.devnet = subprocess.Popen(
            [DEVNET, "--tls", "--nodes", str(NODES), "--swarm-size", "4", "--port", port,
             "--data", self.data], stdout=subprocess.PIPE, stderr=log, text=True)
        log.close()
        self.seed = self.pin = None
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.devnet.stdout.readline()  # the seed, its pin, the nodes, then "ready"
            if not line:
                break
            if line.startswith("devnet: seed "):
                self.seed = line.split()[-1]
            if line.startswith("devnet: seed-pin "):
                self.pin = line.split()[-1]
            if line.startswith("devnet: ready"):
                break
        self.reader = threading.Thread(target=self.devnet.stdout.read, daemon=True)
        self.reader.start()  # keep reading so it never blocks on a full pipe
        self.seed = self.seed[: -len("/json_rpc")]

    def stop_devnet(self):
        self.devnet.terminate()
        try:
            self.devnet.wait(10)
        except subprocess.TimeoutExpired:
            self.devnet.kill()
            self.devnet.wait()
        self.reader.join(10)  # the pipe's end: the process is gone
        self.devnet.stdout.close()

    def tearDown(self):
        for r in self.relays:
            r.cleanup()
        self.stop_devnet()
        self.tmp.cleanup()

    def relay(self, *extra, wait_nodes=None):
        r = Relay(self.www, self.seed, *extra, wait_nodes=wait_nodes)
        self.relays.append(r)
        return r

    def node_keys(self):
        req = urllib.request.Request(
            self.seed + "/json_rpc", method="POST",
            data=json.dumps({"method": "get_n_service_nodes", "params": {}}).encode())
        with urllib.request.urlopen(req, context=unverified(), timeout=10) as res:
            states = json.load(res)["result"]["service_node_states"]
        return [s["pubkey_ed25519"] for s in states]

    def test_the_pinned_seed_gives_the_nodes_and_onions_reach_them_over_https(self):
        # The pin as openssl prints it (upper case, colons) is the same pin.
        colons = ":".join(self.pin[i:i + 2] for i in range(0, 64, 2)).upper()
        r = self.relay("--seed-pin", colons, "--node-scheme", "https", wait_nodes=NODES)
        info = json.loads(r.request("GET", "/relay/info")[2])
        self.assertEqual(info["node_scheme"], "https")
        self.assertEqual(info["network"], "devnet")
        # A body that is no onion: the node's own 400 (no X-Relay-Error) proves the relay reached
        # it over HTTPS.
        status, headers, body = r.request("POST", "/relay/onion/" + self.node_keys()[0], body=b"xy")
        self.assertEqual(status, 400, body)
        self.assertNotIn("x-relay-error", headers)
        self.assertTrue(body.startswith(b"Error parsing onion request"), body)

    def test_plain_http_nodes_behind_an_https_seed_fail_as_guard_failures(self):
        r = self.relay("--seed-pin", self.pin, "--node-scheme", "http", wait_nodes=NODES)
        status, headers, _ = r.request("POST", "/relay/onion/" + self.node_keys()[0], body=b"xy")
        self.assertEqual(status, 502)
        self.assertIn(headers.get("x-relay-error"), ("bad-response", "unreachable"))

    def test_a_node_with_a_new_certificate_is_still_reached(self):
        # Nodes are not pinned (their onion key proves them): the devnet comes back on the same
        # ports with node 0's certificate replaced; the relay, which had talked to node 0 over a
        # kept-alive connection, reaches it again. The seed keeps its certificate, so its pin holds.
        seed_port = self.seed.rsplit(":", 1)[1]
        self.stop_devnet()
        self.start_devnet(seed_port)
        r = self.relay("--seed-pin", self.pin, "--node-scheme", "https", wait_nodes=NODES)
        key0 = self.node_keys()[0]
        self.assertEqual(r.request("POST", "/relay/onion/" + key0, body=b"xy")[0], 400)
        node0 = os.path.join(self.data, "node-00")
        with open(os.path.join(node0, "tls.crt")) as f:
            before = f.read()
        self.stop_devnet()
        os.remove(os.path.join(node0, "tls.crt"))
        os.remove(os.path.join(node0, "tls.key"))
        self.start_devnet(seed_port)
        with open(os.path.join(node0, "tls.crt")) as f:
            self.assertNotEqual(f.read(), before)
        status, headers, body = r.request("POST", "/relay/onion/" + key0, body=b"xy")
        self.assertEqual(status, 400, (headers, body))
        self.assertTrue(body.startswith(b"Error parsing onion request"), body)

    def test_a_seed_with_another_certificate_is_refused(self):
        wrong = "%064x" % (int(self.pin, 16) ^ 1)
        r = self.relay("--seed-pin", wrong, "--node-scheme", "https")
        deadline = time.time() + 20
        while time.time() < deadline and "matches no --seed-pin" not in r.stderr():
            time.sleep(0.05)
        self.assertIn("matches no --seed-pin", r.stderr())
        info = json.loads(r.request("GET", "/relay/info")[2])
        self.assertEqual(info["nodes_known"], 0)
        status, headers, _ = r.request("POST", "/relay/onion/" + "ab" * 32, body=b"xy")
        self.assertEqual(status, 503)
        self.assertEqual(headers.get("x-relay-error"), "no-node-list")


if __name__ == "__main__":
    unittest.main()
