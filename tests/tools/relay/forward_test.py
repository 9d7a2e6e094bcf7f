"""The relay forwards the page's opaque onion requests to guard nodes of the seed's list only,
byte for byte both ways, and answers for itself when it cannot (404, 413, 502, 504)."""
import os
import tempfile
import time
import unittest

import fake_network
import harness

MAX_BODY = 10 * 1024 * 1024  # the relay's default limit


def binary_body(size=10000):
    """Every byte value, zero bytes included, in an order that is not a palindrome."""
    return (bytes(range(256)) * (size // 256 + 1))[:size] + b"\x00\x00tail"


class Forwarding(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.echo = fake_network.FakeNode(harness.key(1))
        cls.failing = fake_network.FakeNode(harness.key(2), mode="status", status=502,
                                            text=b"Next node not found: " + harness.key(9).encode())
        cls.slow = fake_network.FakeNode(harness.key(3), mode="slow", delay=3.0)
        cls.hangs_up = fake_network.FakeNode(harness.key(8), hang_up=True)
        dead_port = fake_network.closed_port()
        junk = [{"public_ip": "0.0.0.0", "storage_port": 1, "pubkey_ed25519": harness.key(7)},
                {"public_ip": "127.0.0.1", "storage_port": dead_port,
                 "pubkey_ed25519": harness.key(4)}]
        cls.seed = fake_network.FakeSeed([cls.echo, cls.failing, cls.slow, cls.hangs_up],
                                         extra_states=junk)
        cls.relay = harness.Relay(cls.tmp.name, "http://127.0.0.1:%d" % cls.seed.port,
                                  "--node-timeout-ms", "1500", wait_nodes=5)

    @classmethod
    def tearDownClass(cls):
        cls.relay.cleanup()
        for server in (cls.echo, cls.failing, cls.slow, cls.hangs_up, cls.seed):
            server.stop()
        cls.tmp.cleanup()

    def onion(self, key, body, **headers):
        return self.relay.request("POST", "/relay/onion/" + key, body=body, headers=headers)

    def node_requests(self):
        return sum(len(n.received) for n in (self.echo, self.failing, self.slow))

    def test_info_shows_network_seed_and_node_count(self):
        info = self.relay.wait_for_nodes(5)
        self.assertEqual(info["network"], "devnet")
        self.assertEqual(info["seed"], "http://127.0.0.1:%d" % self.seed.port)
        self.assertEqual(info["nodes_known"], 5)

    def test_forwards_a_binary_body_byte_exact_both_ways(self):
        body = binary_body()
        before = len(self.echo.received)
        status, headers, answer = self.onion(harness.key(1), body)
        self.assertEqual(status, 200)
        self.assertEqual(answer, b"ECHO\x00" + body[::-1])
        # The node's own Content-Type (text/html) is never passed to the page.
        self.assertEqual(headers["content-type"], "application/octet-stream")
        self.assertNotIn("x-relay-error", headers)
        received = self.echo.received[before:]
        self.assertEqual(len(received), 1)
        self.assertEqual(received[0]["path"], "/onion_req/v2")
        self.assertEqual(received[0]["body"], body)
        self.assertEqual(received[0]["headers"]["Content-Type"], "application/octet-stream")

    def test_forwards_an_empty_body_and_upper_case_keys(self):
        status, _, answer = self.onion(harness.key(1).upper(), b"")
        self.assertEqual(status, 200)
        self.assertEqual(answer, b"ECHO\x00")

    def test_a_body_of_exactly_the_limit_passes(self):
        body = binary_body(MAX_BODY - 6)
        self.assertEqual(len(body), MAX_BODY)
        # A relay of its own: 10 MiB each way through a python node can take longer than the
        # shared relay's 1.5 s node deadline on a loaded machine.
        relay = harness.Relay(self.tmp.name, "http://127.0.0.1:%d" % self.seed.port,
                              "--node-timeout-ms", "30000", wait_nodes=5)
        try:
            status, _, answer = relay.request("POST", "/relay/onion/" + harness.key(1), body=body)
        finally:
            relay.cleanup()
        self.assertEqual(status, 200)
        self.assertEqual(answer, b"ECHO\x00" + body[::-1])

    def test_page_headers_do_not_reach_the_node(self):
        before = len(self.echo.received)
        self.onion(harness.key(1), b"x", **{"Cookie": "a=b", "X-Page": "1"})
        sent = self.echo.received[before]["headers"]
        self.assertNotIn("Cookie", sent)
        self.assertNotIn("X-Page", sent)

    def test_answers_expect_100_continue_before_the_body(self):
        import socket
        body = b"\x00continue\x00"
        with socket.create_connection(("127.0.0.1", self.relay.port), timeout=10) as s:
            s.sendall(("POST /relay/onion/%s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n"
                       "Expect: 100-continue\r\nConnection: close\r\n\r\n"
                       % (harness.key(1), len(body))).encode())
            self.assertEqual(s.recv(25), b"HTTP/1.1 100 Continue\r\n\r\n")
            s.sendall(body)
            answer = b""
            while chunk := s.recv(65536):
                answer += chunk
        self.assertTrue(answer.startswith(b"HTTP/1.1 200 OK\r\n"))
        self.assertTrue(answer.endswith(b"\r\n\r\nECHO\x00" + body[::-1]))

    def test_keeps_the_page_connection_alive(self):
        conn = self.relay.connection()
        try:
            for i in range(5):
                conn.request("POST", "/relay/onion/" + harness.key(1), body=bytes([i]) * 10)
                res = conn.getresponse()
                self.assertEqual(res.status, 200)
                self.assertEqual(res.read(), b"ECHO\x00" + bytes([i]) * 10)
        finally:
            conn.close()

    def test_reuses_its_connection_to_a_node(self):
        before = len(self.echo.received)
        for i in range(5):
            self.assertEqual(self.onion(harness.key(1), b"r%d" % i)[0], 200)
        peers = {r["peer"] for r in self.echo.received[before:]}
        self.assertEqual(len(self.echo.received[before:]), 5)
        self.assertEqual(len(peers), 1)

    def test_a_connection_the_node_closed_is_replaced_without_resending(self):
        for i in range(4):
            status, _, answer = self.onion(harness.key(8), b"h%d" % i)
            self.assertEqual(status, 200)
            self.assertEqual(answer, b"ECHO\x00" + (b"h%d" % i)[::-1])
        # Each request reached the node exactly once, each on a new connection.
        self.assertEqual([r["body"] for r in self.hangs_up.received], [b"h0", b"h1", b"h2", b"h3"])
        self.assertEqual(len({r["peer"] for r in self.hangs_up.received}), 4)

    def test_passes_a_node_error_status_and_text_through(self):
        status, headers, answer = self.onion(harness.key(2), b"onion")
        self.assertEqual(status, 502)
        self.assertEqual(answer, b"Next node not found: " + harness.key(9).encode())
        self.assertNotIn("x-relay-error", headers)  # the node's answer, not the relay's

    def test_unknown_or_malformed_node_keys_are_404(self):
        before = self.node_requests()
        for key in [harness.key(200), harness.key(7), "abc", "127.0.0.1:%d" % self.echo.port,
                    harness.key(1) + "/x", harness.key(1) + "00", ""]:
            status, headers, answer = self.onion(key, b"onion")
            self.assertEqual(status, 404, key)
            self.assertEqual(headers["x-relay-error"], "unknown-node", key)
            self.assertEqual(answer, b"relay: unknown node\n")
        self.assertEqual(self.node_requests(), before)

    def test_an_oversized_body_is_413_before_it_is_read(self):
        before = self.node_requests()
        head = ("POST /relay/onion/%s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n"
                "Connection: close\r\n\r\n" % (harness.key(1), MAX_BODY + 1)).encode()
        raw = self.relay.raw(head)
        self.assertTrue(raw.startswith(b"HTTP/1.1 413 "), raw[:100])
        self.assertIn(b"X-Relay-Error: too-large", raw)
        self.assertEqual(self.node_requests(), before)

    def test_an_oversized_chunked_body_is_413(self):
        before = self.node_requests()
        chunk = b"\x00" * 65536
        data = ("POST /relay/onion/%s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                "Connection: close\r\n\r\n" % harness.key(1)).encode()
        data += (b"%x\r\n" % len(chunk) + chunk + b"\r\n") * (MAX_BODY // len(chunk) + 2)
        data += b"0\r\n\r\n"
        raw = self.relay.raw(data)
        self.assertTrue(raw.startswith(b"HTTP/1.1 413 "), raw[:100])
        self.assertEqual(self.node_requests(), before)

    def test_a_silent_node_is_504_after_the_timeout(self):
        start = time.monotonic()
        status, headers, answer = self.onion(harness.key(3), b"onion")
        elapsed = time.monotonic() - start
        self.assertEqual(status, 504)
        self.assertEqual(headers["x-relay-error"], "timeout")
        self.assertLess(elapsed, 2.5)

    def test_an_unreachable_node_is_502(self):
        status, headers, _ = self.onion(harness.key(4), b"onion")
        self.assertEqual(status, 502)
        self.assertEqual(headers["x-relay-error"], "unreachable")

    def test_only_post_is_allowed(self):
        status, headers, _ = self.relay.request("GET", "/relay/onion/" + harness.key(1))
        self.assertEqual(status, 405)
        self.assertEqual(headers["allow"], "POST")

    def test_cross_site_requests_are_refused(self):
        before = self.node_requests()
        for headers in [{"Origin": "http://evil.example"}, {"Origin": "null"},
                        {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}]:
            status, answer_headers, _ = self.onion(harness.key(1), b"x", **headers)
            self.assertEqual(status, 403, headers)
            self.assertEqual(answer_headers["x-relay-error"], "cross-origin")
        self.assertEqual(self.node_requests(), before)
        same = {"Origin": "http://127.0.0.1:%d" % self.relay.port, "Sec-Fetch-Site": "same-origin"}
        self.assertEqual(self.onion(harness.key(1), b"x", **same)[0], 200)

    def test_unknown_relay_endpoints_are_404(self):
        for path in ["/relay", "/relay/", "/relay/onion", "/relay/nodes", "/relay/seed/x"]:
            self.assertEqual(self.relay.request("POST", path, body=b"x")[0], 404, path)


class ForwardingOverHttps(unittest.TestCase):
    """Live service nodes speak HTTPS with self-signed certificates; so does this fake one."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.node = fake_network.FakeNode(harness.key(5), tls_dir=cls.tmp.name)
        cls.seed = fake_network.FakeSeed([cls.node])
        cls.relay = harness.Relay(cls.tmp.name, "http://127.0.0.1:%d" % cls.seed.port,
                                  "--node-scheme", "https", wait_nodes=1)

    @classmethod
    def tearDownClass(cls):
        cls.relay.cleanup()
        cls.node.stop()
        cls.seed.stop()
        cls.tmp.cleanup()

    def test_forwards_byte_exact_to_a_self_signed_node(self):
        body = binary_body(50000)
        status, _, answer = self.relay.request("POST", "/relay/onion/" + harness.key(5), body=body)
        self.assertEqual(status, 200)
        self.assertEqual(answer, b"ECHO\x00" + body[::-1])
        self.assertEqual(self.node.received[-1]["body"], body)


class HttpsSeed(unittest.TestCase):
    """An https seed is accepted by its pinned certificate, refused otherwise."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.node = fake_network.FakeNode(harness.key(6), tls_dir=cls.tmp.name)
        cls.seed = fake_network.FakeSeed([cls.node], tls_dir=cls.tmp.name)
        cls.seed_url = "https://127.0.0.1:%d" % cls.seed.port
        cls.pin = fake_network.cert_sha256(cls.tmp.name)

    @classmethod
    def tearDownClass(cls):
        cls.node.stop()
        cls.seed.stop()
        cls.tmp.cleanup()

    def test_a_pinned_seed_is_used_and_nodes_default_to_https(self):
        relay = harness.Relay(self.tmp.name, self.seed_url, "--seed-pin", self.pin, wait_nodes=1)
        try:
            status, _, answer = relay.request("POST", "/relay/onion/" + harness.key(6),
                                              body=b"\x00hi")
            self.assertEqual(status, 200)
            self.assertEqual(answer, b"ECHO\x00ih\x00")
            status, _, answer = relay.request(
                "POST", "/relay/seed", body=b'{"method":"get_n_service_nodes","params":{}}')
            self.assertEqual(status, 200)
            self.assertEqual(answer, self.seed.last_answer)
        finally:
            relay.cleanup()

    def test_a_seed_with_another_certificate_is_refused(self):
        for extra in (["--seed-pin", "00" * 32], []):  # wrong pin; no pin (system CAs)
            relay = harness.Relay(self.tmp.name, self.seed_url, *extra)
            try:
                deadline = time.time() + 30
                while "node list fetch failed" not in relay.stderr() and time.time() < deadline:
                    time.sleep(0.05)
                self.assertIn("node list fetch failed", relay.stderr(),
                              "the relay logged no failed node list fetch within 30 s")
                self.assertIn("upstream.tls", relay.stderr())
                info = relay.wait_for_nodes(0)
                self.assertEqual(info["nodes_known"], 0)
                status, headers, _ = relay.request("POST", "/relay/seed",
                                                   body=b'{"method":"get_n_service_nodes"}')
                self.assertEqual(status, 502)
                self.assertEqual(headers["x-relay-error"], "tls")
            finally:
                relay.cleanup()


if __name__ == "__main__":
    unittest.main()
