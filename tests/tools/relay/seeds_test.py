"""Several seeds (--seed repeated, each with its own --seed-pin): each node-list fetch tries them in
a random order and falls back to the next when one fails (closed port, wrong pin, bad answer);
all down is a clear log line and the relay keeps serving its files. And a node that joined after
the relay's last fetch: a page naming it makes the relay ask the seeds again (one fetch shared by
concurrent misses, at most one such fetch per 30 s) and then forward; an unknown key stays 404.
Synchronised on events (polling with deadlines), never on bare sleeps."""
import json
import os
import tempfile
import threading
import time
import unittest

import fake_network
import harness

OWN_REQUEST = {"jsonrpc": "2.0", "method": "get_n_service_nodes",
               "params": {"active_only": True, "fields": {"public_ip": True, "storage_port": True,
                                                          "pubkey_ed25519": True}}}


def own_fetches(seed):
    """How many times the relay asked `seed` for its own node list."""
    return sum(1 for r in seed.received if json.loads(r["body"]) == OWN_REQUEST)


def wait_until(what, condition, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("timed out waiting for " + what)


class BrokenSeed(fake_network.FakeSeed):
    """Answers every request with an HTTP 500 (a seed that is up but broken)."""

    def answer(self, path, body):
        return 500, b"internal error", 0


class GatedSeed(fake_network.FakeSeed):
    """Holds each answer until `gate` is set (to keep a fetch in flight)."""

    def __init__(self, nodes):
        self.gate = threading.Event()
        self.gate.set()
        super().__init__(nodes)

    def answer(self, path, body):
        self.gate.wait(30)
        return super().answer(path, body)


def www_with_index(directory):
    with open(os.path.join(directory, "index.html"), "w") as f:
        f.write("<p>")
    return directory


class SeedFallback(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.www = www_with_index(self.tmp.name)
        self.node = fake_network.FakeNode(harness.key(1))
        self.servers = [self.node]
        self.relay = None

    def tearDown(self):
        if self.relay:
            self.relay.cleanup()
        for server in self.servers:
            server.stop()
        self.tmp.cleanup()

    def start(self, first_seed, *extra):
        # --refresh-s 1: a fetch every second, each in a new random order, so every seed is
        # tried first sooner or later.
        self.relay = harness.Relay(self.www, first_seed, *extra, "--refresh-s", "1")
        return self.relay

    def assert_seed_failure_logged(self, url, why):
        wait_until("the relay to log that %s failed" % url,
                   lambda: "relay: seed %s failed (%s" % (url, why) in self.relay.stderr())

    def test_a_closed_and_a_broken_seed_are_passed_over(self):
        good = fake_network.FakeSeed([self.node])
        broken = BrokenSeed([])
        self.servers += [good, broken]
        closed = "http://127.0.0.1:%d" % fake_network.closed_port()
        broken_url = "http://127.0.0.1:%d" % broken.port
        good_url = "http://127.0.0.1:%d" % good.port
        relay = self.start(closed, "--seed", broken_url, "--seed", good_url)
        relay.wait_for_nodes(1)
        self.assert_seed_failure_logged(closed, "upstream.unreachable")
        self.assert_seed_failure_logged(broken_url, "HTTP 500")
        # Whichever order a fetch took, it ended with the good seed's list.
        info = json.loads(relay.request("GET", "/relay/info")[2])
        self.assertEqual(info["nodes_known"], 1)
        self.assertEqual(info["seed"], good_url)
        self.assertEqual(info["seeds"], [closed, broken_url, good_url])
        self.assertNotIn("node list fetch failed", relay.stderr())
        self.assertNotIn("internal error", relay.stderr())  # never a body in the log
        status, _, answer = relay.request("POST", "/relay/onion/" + harness.key(1), body=b"x")
        self.assertEqual((status, answer), (200, b"ECHO\x00x"))

    def test_a_seed_with_the_wrong_pin_is_passed_over(self):
        # Two HTTPS seeds with their own certificates. The first is pinned with the second's
        # certificate: each pin belongs to the --seed before it, so only the second is accepted.
        dir_a, dir_b = os.path.join(self.tmp.name, "a"), os.path.join(self.tmp.name, "b")
        os.mkdir(dir_a)
        os.mkdir(dir_b)
        seed_a = fake_network.FakeSeed([self.node], tls_dir=dir_a)
        seed_b = fake_network.FakeSeed([self.node], tls_dir=dir_b)
        self.servers += [seed_a, seed_b]
        url_a = "https://127.0.0.1:%d" % seed_a.port
        url_b = "https://127.0.0.1:%d" % seed_b.port
        pin_b = fake_network.cert_sha256(dir_b)
        relay = self.start(url_a, "--seed-pin", pin_b, "--seed", url_b, "--seed-pin", pin_b)
        relay.wait_for_nodes(1)
        self.assert_seed_failure_logged(url_a, "upstream.tls")
        self.assertIn("matches no --seed-pin", relay.stderr())
        self.assertEqual(json.loads(relay.request("GET", "/relay/info")[2])["seed"], url_b)
        self.assertEqual(own_fetches(seed_a), 0)  # the handshake failed: nothing was sent

    def test_all_seeds_down_is_logged_and_the_files_are_still_served(self):
        closed = ["http://127.0.0.1:%d" % fake_network.closed_port() for _ in range(2)]
        relay = self.start(closed[0], "--seed", closed[1])
        wait_until("the relay to log the failed fetch",
                   lambda: "node list fetch failed (all 2 seeds" in relay.stderr())
        self.assertEqual(relay.request("GET", "/")[0], 200)
        status, headers, _ = relay.request("POST", "/relay/onion/" + harness.key(1), body=b"x")
        self.assertEqual((status, headers["x-relay-error"]), (503, "no-node-list"))
        # The page's seed request tried both seeds, then reported the last failure.
        status, headers, _ = relay.request("POST", "/relay/seed",
                                           body=b'{"method":"get_n_service_nodes"}')
        self.assertEqual((status, headers["x-relay-error"]), (502, "unreachable"))

    def test_the_pages_seed_request_falls_back_too(self):
        seeds = [fake_network.FakeSeed([self.node]) for _ in range(2)]
        self.servers += seeds
        urls = ["http://127.0.0.1:%d" % seed.port for seed in seeds]
        # The default refresh (600 s): the seed the list came from stays the current one.
        self.relay = harness.Relay(self.www, urls[0], "--seed", urls[1], wait_nodes=1)
        current = urls.index(json.loads(self.relay.request("GET", "/relay/info")[2])["seed"])
        seeds[current].stop()  # its port is now closed
        self.servers.remove(seeds[current])
        other = seeds[1 - current]
        body = json.dumps({"method": "get_n_service_nodes", "params": {}, "id": 7}).encode()
        status, _, answer = self.relay.request("POST", "/relay/seed", body=body)
        self.assertEqual(status, 200)
        self.assertEqual(answer, other.last_answer)
        self.assertEqual(json.loads(other.received[-1]["body"])["id"], 7)
        self.assertIn("relay: seed %s failed for a page's request (upstream.unreachable"
                      % urls[current], self.relay.stderr())


class UnknownNodes(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.node = fake_network.FakeNode(harness.key(1))
        self.newcomer = fake_network.FakeNode(harness.key(2))
        self.seed = GatedSeed([self.node])
        # The periodic refresh (600 s) never runs during the test: every extra fetch is an
        # early one.
        self.relay = harness.Relay(self.tmp.name, "http://127.0.0.1:%d" % self.seed.port,
                                   wait_nodes=1)
        wait_until("the first fetch", lambda: own_fetches(self.seed) == 1)

    def tearDown(self):
        self.seed.gate.set()
        self.relay.cleanup()
        for server in (self.node, self.newcomer, self.seed):
            server.stop()
        self.tmp.cleanup()

    def onion(self, key, body=b"x"):
        return self.relay.request("POST", "/relay/onion/" + key, body=body)

    def test_a_node_that_joined_later_is_reached_after_one_early_fetch(self):
        self.seed.nodes.append(self.newcomer)
        status, headers, answer = self.onion(harness.key(2), b"hello")
        self.assertEqual(status, 200, headers)
        self.assertEqual(answer, b"ECHO\x00olleh")
        self.assertEqual(self.newcomer.received[-1]["body"], b"hello")
        self.assertEqual(own_fetches(self.seed), 2)
        self.assertEqual(json.loads(self.relay.request("GET", "/relay/info")[2])["nodes_known"], 2)
        # Another unknown key right after: no fetch (the last early one is < 30 s old), 404.
        status, headers, _ = self.onion(harness.key(3))
        self.assertEqual((status, headers["x-relay-error"]), (404, "unknown-node"))
        self.assertEqual(own_fetches(self.seed), 2)

    def test_concurrent_misses_share_one_fetch_and_unknown_keys_stay_404(self):
        self.seed.gate.clear()  # the early fetch stays in flight until the gate opens
        results = {}
        sent = {"first": threading.Event(), "second": threading.Event()}

        def miss(name, key):
            conn = self.relay.connection()
            try:
                conn.request("POST", "/relay/onion/" + key, body=b"x")
                sent[name].set()
                res = conn.getresponse()
                results[name] = (res.status, {k.lower(): v for k, v in res.getheaders()},
                                 res.read())
            finally:
                conn.close()

        first = threading.Thread(target=miss, args=("first", harness.key(7)))
        first.start()
        wait_until("the early fetch to reach the seed", lambda: len(self.seed.received) == 2)
        second = threading.Thread(target=miss, args=("second", harness.key(8)))
        second.start()
        self.assertTrue(sent["second"].wait(20))
        # The relay is single-threaded and reads what arrived first first: once a request sent
        # after the second miss is answered, that miss has been read, and it must still be
        # waiting for the fetch in flight (not answered, no fetch of its own).
        self.relay.request("GET", "/relay/info")
        self.assertNotIn("second", results)
        self.assertEqual(len(self.seed.received), 2)
        self.seed.gate.set()
        first.join(30)
        second.join(30)
        for name in ("first", "second"):
            status, headers, _ = results[name]
            self.assertEqual((status, headers["x-relay-error"]), (404, "unknown-node"), name)
        self.assertEqual(own_fetches(self.seed), 2)  # one early fetch for both
        # And within 30 s of it, a miss is answered at once, without asking the seed.
        status, _, _ = self.onion(harness.key(9))
        self.assertEqual(status, 404)
        self.assertEqual(own_fetches(self.seed), 2)

    def test_a_malformed_key_never_makes_a_fetch(self):
        for key in ("zz" * 32, "ab", harness.key(1) + "00"):
            status, headers, _ = self.onion(key)
            self.assertEqual((status, headers["x-relay-error"]), (404, "unknown-node"), key)
        self.assertEqual(own_fetches(self.seed), 1)


if __name__ == "__main__":
    unittest.main()
