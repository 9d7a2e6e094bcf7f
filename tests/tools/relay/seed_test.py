"""The relay passes the page's get_n_service_nodes through to the seed (and nothing else), and
keeps its own node list fresh from the seed."""
import json
import tempfile
import time
import unittest

import fake_network
import harness


class SeedPassthrough(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.node = fake_network.FakeNode(harness.key(1))
        cls.seed = fake_network.FakeSeed([cls.node])
        cls.relay = harness.Relay(cls.tmp.name, "http://127.0.0.1:%d" % cls.seed.port,
                                  "--refresh-s", "1", wait_nodes=1)

    @classmethod
    def tearDownClass(cls):
        cls.relay.cleanup()
        cls.node.stop()
        cls.seed.stop()
        cls.tmp.cleanup()

    def seed_post(self, body, **headers):
        return self.relay.request("POST", "/relay/seed", body=body, headers=headers)

    def onion(self, key):
        return self.relay.request("POST", "/relay/onion/" + key, body=b"x")

    def page_requests(self, since=0):
        """What the seed received on the page's behalf (not the relay's own refreshes)."""
        own = {"jsonrpc": "2.0", "method": "get_n_service_nodes",
               "params": {"active_only": True, "fields": {"public_ip": True, "storage_port": True,
                                                          "pubkey_ed25519": True}}}
        return [r for r in self.seed.received[since:] if json.loads(r["body"]) != own]

    def test_passes_get_n_service_nodes_and_the_answer_through(self):
        request = {"jsonrpc": "2.0", "method": "get_n_service_nodes",
                   "params": {"active_only": True, "fields": {"public_ip": True, "swarm_id": True}}}
        status, headers, answer = self.seed_post(json.dumps(request).encode())
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "application/json")
        self.assertEqual(answer, self.seed.last_answer)  # byte for byte
        self.assertIn(b"18446744073709551615", answer)
        sent = self.page_requests()[-1]
        self.assertEqual(json.loads(sent["body"]), request)
        self.assertEqual(sent["path"], "/json_rpc")

    def test_unknown_keys_are_dropped_before_the_seed_sees_them(self):
        self.seed_post(b'{"method":"get_n_service_nodes","params":{},"extra":"x","id":3}')
        sent = json.loads(self.page_requests()[-1]["body"])
        self.assertEqual(sent, {"method": "get_n_service_nodes", "params": {}, "id": 3})

    def test_any_other_method_is_400_and_never_reaches_the_seed(self):
        before = len(self.seed.received)
        for body in [b'{"method":"get_info"}', b'{"method":"ons_resolve","params":{}}',
                     b'{"params":{}}', b"not json", b"", b"[1,2]",
                     b'{"method":"get_n_service_nodes","params":"x"}']:
            status, headers, _ = self.seed_post(body)
            self.assertEqual(status, 400, body)
            self.assertEqual(headers["x-relay-error"], "bad-seed-request")
        # Instead of waiting a while for a late forward: a good request sent after them has been
        # answered by the seed, and it is the only page request the seed saw.
        marker = {"method": "get_n_service_nodes", "params": {}, "id": 424242}
        status, _, _ = self.seed_post(json.dumps(marker).encode())
        self.assertEqual(status, 200)
        self.assertEqual([json.loads(r["body"]) for r in self.page_requests(before)], [marker])

    def test_a_large_seed_request_is_413(self):
        status, _, _ = self.seed_post(b'{"method":"get_n_service_nodes","params":{"x":"' +
                                      b"a" * 70000 + b'"}}')
        self.assertEqual(status, 413)

    def test_only_post_is_allowed(self):
        self.assertEqual(self.relay.request("GET", "/relay/seed")[0], 405)

    def test_the_node_list_is_refreshed_periodically(self):
        newcomer = fake_network.FakeNode(harness.key(2))
        try:
            status, headers, _ = self.onion(harness.key(2))
            self.assertEqual(status, 404)
            self.seed.nodes.append(newcomer)
            self.relay.wait_for_nodes(2)
            status, _, answer = self.onion(harness.key(2))
            self.assertEqual(status, 200)
            self.assertEqual(answer, b"ECHO\x00x")
        finally:
            self.seed.nodes.remove(newcomer)
            self.relay.wait_for_nodes(1)
            newcomer.stop()


class SeedDown(unittest.TestCase):
    def test_without_a_seed_the_relay_serves_and_says_so(self):
        with tempfile.TemporaryDirectory() as www:
            with open(www + "/index.html", "w") as f:
                f.write("<p>")
            relay = harness.Relay(www, "http://127.0.0.1:%d" % fake_network.closed_port())
            try:
                self.assertEqual(relay.request("GET", "/")[0], 200)
                status, headers, _ = relay.request("POST", "/relay/onion/" + harness.key(1),
                                                   body=b"x")
                self.assertEqual(status, 503)
                self.assertEqual(headers["x-relay-error"], "no-node-list")
                status, headers, _ = relay.request(
                    "POST", "/relay/seed", body=b'{"method":"get_n_service_nodes"}')
                self.assertEqual(status, 502)
                self.assertEqual(headers["x-relay-error"], "unreachable")
                self.assertIn("node list fetch failed", relay.stderr())
            finally:
                relay.cleanup()


if __name__ == "__main__":
    unittest.main()
