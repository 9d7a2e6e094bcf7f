"""Hostile service nodes (issue 11): a node the relay forwards to answers byte by byte, with 50 MB,
with a never-ending chunked body, with deeply nested JSON, with bytes that are not HTTP, or hangs
up at once. Each such request ends with a clear status and X-Relay-Error within the node timeout,
the relay's memory stays within its budget for answers (--max-answers-mib), and a well-behaved page talking to an honest node meanwhile is
served without a failure.

The hostile node is a raw socket server (it must be able to break HTTP); the honest node and the
seed come from fake_network. The relay's memory (VmRSS/VmHWM) and the good client's latencies
during each case are printed, not asserted: they depend on the machine.
"""
import http.client
import json
import socket
import threading
import time
import unittest

import fake_network
import harness
import hostile_test

NODE_TIMEOUT_MS = 3000
ANSWERS_MIB = 64  # --max-answers-mib: the answers being read at once, summed
ATTACKS_AT_ONCE = 8
FIFTY_MB = 50 * 1024 * 1024


class HostileNode:
    """Answers every request on /onion_req/v2 the way `mode` says, on its own threads."""

    def __init__(self, key, mode):
        self.key, self.mode = key, mode
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.stopped = threading.Event()
        self.bytes_sent = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def stop(self):
        self.stopped.set()
        self.sock.close()

    def _accept(self):
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _read_request(self, conn):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return False
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return False
            body += chunk
        return True

    def _send(self, conn, data):
        conn.sendall(data)
        with self.lock:
            self.bytes_sent += len(data)

    def _serve(self, conn):
        try:
            conn.settimeout(30)
            if not self._read_request(conn):
                return
            getattr(self, "_" + self.mode)(conn)
        except OSError:
            pass  # the relay hung up on us: that is the point
        finally:
            conn.close()

    def _byte_by_byte(self, conn):
        # A complete answer would be 1 MB; it comes one byte every 20 ms.
        self._send(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n")
        while not self.stopped.is_set():
            self._send(conn, b"x")
            time.sleep(0.02)

    def _fifty_megabytes(self, conn):
        self._send(conn, b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % FIFTY_MB)
        block = b"\xab" * (1 << 20)
        for _ in range(50):
            self._send(conn, block)

    def _endless_chunks(self, conn):
        self._send(conn, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"%x\r\n%s\r\n" % (1 << 16, b"\xcd" * (1 << 16))
        for _ in range(1000):  # 64 MB if the relay kept reading
            self._send(conn, chunk)

    def _nested_json(self, conn):
        # 1 MB of '[': the relay passes onion answers through unread (the page's core refuses JSON
        # nested deeper than 32 levels: RpcResponses tests), so this must come back byte-exact.
        body = b"[" * (1 << 20)
        self._send(conn, b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)

    def _not_http(self, conn):
        self._send(conn, b"\x16\x03\x01\x02\x00garbage, not an HTTP answer\r\n\r\n" * 100)

    def _hang_up(self, conn):
        pass  # closes without a byte


class HostileNodes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.one_page_site()
        cls.honest = fake_network.FakeNode(harness.key(1))
        modes = ["byte_by_byte", "fifty_megabytes", "endless_chunks", "nested_json", "not_http",
                 "hang_up"]
        cls.hostile = {mode: HostileNode(harness.key(10 + i), mode) for i, mode in enumerate(modes)}
        cls.seed = fake_network.FakeSeed([cls.honest] + list(cls.hostile.values()))
        cls.relay = harness.Relay(cls.tmp.name, "http://127.0.0.1:%d" % cls.seed.port, "--quiet",
                                  "--node-timeout-ms", str(NODE_TIMEOUT_MS),
                                  "--max-answers-mib", str(ANSWERS_MIB),
                                  wait_nodes=1 + len(modes))
        cls.report = []

    @classmethod
    def tearDownClass(cls):
        cls.relay.cleanup()
        for node in cls.hostile.values():
            node.stop()
        cls.honest.stop()
        cls.seed.stop()
        cls.tmp.cleanup()
        if cls.report:
            print("\nrelay facing hostile nodes (%d requests at once to the hostile node, a good "
                  "client to an honest node):" % ATTACKS_AT_ONCE)
            for line in cls.report:
                print("  " + line)

    def ask(self, mode, results):
        start = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.relay.port, timeout=60)
            conn.request("POST", "/relay/onion/" + self.hostile[mode].key, body=b"onion")
            res = conn.getresponse()
            body = res.read()
            results.append((res.status, res.getheader("X-Relay-Error"), len(body),
                            time.perf_counter() - start, body[:16]))
            conn.close()
        except OSError as e:
            results.append(("exception", repr(e), 0, time.perf_counter() - start, b""))

    def case(self, mode, *expected):
        """`expected`: the (status, X-Relay-Error) pairs each hostile request may end with."""
        before = hostile_test.memory_kib(self.relay.proc.pid)[0]
        good = hostile_test.GoodClient(self.relay, harness.key(1))
        results = []
        threads = [threading.Thread(target=self.ask, args=(mode, results))
                   for _ in range(ATTACKS_AT_ONCE)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(90)
        # The good client keeps going a little after the attack, so the window is not empty.
        target = len(good.latencies) + 10
        deadline = time.time() + 30
        while len(good.latencies) < target and time.time() < deadline:
            time.sleep(0.02)
        stats = good.stop()
        rss, hwm = hostile_test.memory_kib(self.relay.proc.pid)
        slowest = max(r[3] for r in results) if results else 0
        self.report.append("%-16s -> %s in at most %.1f s; good client %s; relay RSS %d KiB "
                           "(before %d), peak %d KiB"
                           % (mode, sorted({(r[0], r[1]) for r in results}, key=str), slowest,
                              stats, rss, before, hwm))
        self.assertEqual(len(results), ATTACKS_AT_ONCE, mode)
        for status, error, _, seconds, _ in results:
            self.assertIn((status, error), expected, mode)
            # Bounded time: the node timeout plus scheduling slack on a loaded machine.
            self.assertLess(seconds, NODE_TIMEOUT_MS / 1000 + 20, mode)
        self.assertEqual(good.failures, [], mode)
        self.assertGreater(stats["requests"], 0, mode)
        return results

    def test_an_answer_trickled_byte_by_byte_ends_at_the_node_timeout(self):
        self.case("byte_by_byte", (504, "timeout"))

    def test_a_fifty_megabyte_answer_is_refused(self):
        # Refused from its Content-Length, before a byte of the body is read.
        self.case("fifty_megabytes", (502, "too-large"))

    def test_endless_chunked_answers_are_refused_within_the_answer_budget(self):
        # Each would be cut at 32 MiB; eight at once would hold 256 MiB, so the ones that would
        # pass the relay's budget for answers end early with 503 busy.
        before = hostile_test.memory_kib(self.relay.proc.pid)[0]
        results = self.case("endless_chunks", (502, "too-large"), (503, "busy"))
        self.assertIn((503, "busy"), {(r[0], r[1]) for r in results})
        peak_kib = hostile_test.memory_kib(self.relay.proc.pid)[1]
        # The budget, plus what the parser's read buffers and the allocator keep beside it.
        self.assertLess(peak_kib - before, (ANSWERS_MIB + 48) * 1024,
                        "the relay held more than its answer budget")

    def test_deeply_nested_json_passes_through_unread(self):
        results = self.case("nested_json", (200, None))
        for r in results:
            self.assertEqual(r[2], 1 << 20)
            self.assertEqual(r[4], b"[" * 16)

    def test_an_answer_that_is_not_http_is_502(self):
        self.case("not_http", (502, "bad-response"))

    def test_a_node_that_hangs_up_is_502(self):
        self.case("hang_up", (502, "bad-response"))


if __name__ == "__main__":
    unittest.main()
