"""Hostile clients (issue 11): one client address floods the relay with connections, oversized
bodies, slowly trickled headers or too many requests at once; it is refused or timed out while
another client address keeps being served.

The attacker connects from 127.0.0.2 and the well-behaved client from 127.0.0.1 (all of
127.0.0.0/8 is loopback), so the per-client limits tell them apart as they would two hosts.
Everything stays on loopback, and every loop is bounded in count and time.

The relay's memory (VmRSS/VmHWM) and the well-behaved client's latencies during each attack are
printed (run with -v), not asserted: they depend on the machine.
"""
import http.client
import os
import socket
import threading
import time
import unittest

import fake_network
import harness

ATTACKER = "127.0.0.2"
PER_CLIENT_CONNECTIONS = 64
PER_CLIENT_INFLIGHT = 16
HEADER_TIMEOUT_S = 2


def memory_kib(pid):
    """(VmRSS, VmHWM) of a process, in KiB."""
    values = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0])
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def attacker_socket(port, timeout=10):
    s = socket.socket()
    s.settimeout(timeout)
    s.bind((ATTACKER, 0))
    s.connect(("127.0.0.1", port))
    return s


def closed_by_peer(s, wait=5.0):
    """True once the relay has closed `s` (EOF or reset) within `wait` seconds."""
    s.settimeout(wait)
    try:
        while True:
            data = s.recv(65536)
            if not data:
                return True
    except ConnectionResetError:
        return True
    except (socket.timeout, OSError):
        return False


class GoodClient:
    """Sends onion requests one after another from 127.0.0.1 until stopped (at most `limit`)."""

    def __init__(self, relay, key, limit=2000, seconds=60):
        self.relay, self.key, self.limit, self.seconds = relay, key, limit, seconds
        self.latencies = []
        self.failures = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        deadline = time.time() + self.seconds
        body = os.urandom(2048)
        while not self._stop.is_set() and len(self.latencies) < self.limit and time.time() < deadline:
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.relay.port, timeout=10)
                conn.request("POST", "/relay/onion/" + self.key, body=body)
                res = conn.getresponse()
                answer = res.read()
                conn.close()
                if res.status != 200 or answer != b"ECHO\x00" + body[::-1]:
                    self.failures.append(res.status)
            except OSError as e:
                self.failures.append(repr(e))
            self.latencies.append((time.perf_counter() - start) * 1000)
            self._stop.wait(0.02)

    def stop(self):
        self._stop.set()
        self.thread.join(15)
        lat = sorted(self.latencies)
        if not lat:
            return {"requests": 0}
        return {"requests": len(lat), "p50_ms": round(lat[len(lat) // 2], 1),
                "p95_ms": round(lat[min(len(lat) - 1, int(len(lat) * 0.95))], 1),
                "max_ms": round(lat[-1], 1), "failures": len(self.failures)}


class Hostile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.one_page_site()
        cls.echo = fake_network.FakeNode(harness.key(1))
        cls.slow = fake_network.FakeNode(harness.key(2), mode="slow", delay=1.5)
        cls.seed = fake_network.FakeSeed([cls.echo, cls.slow])
        cls.relay = harness.Relay(
            cls.tmp.name, "http://127.0.0.1:%d" % cls.seed.port, "--quiet",
            "--max-connections-per-client", str(PER_CLIENT_CONNECTIONS),
            "--max-inflight-per-client", str(PER_CLIENT_INFLIGHT),
            "--header-timeout-s", str(HEADER_TIMEOUT_S), wait_nodes=2)
        cls.report = []

    @classmethod
    def tearDownClass(cls):
        cls.relay.cleanup()
        for server in (cls.echo, cls.slow, cls.seed):
            server.stop()
        cls.tmp.cleanup()
        if cls.report:
            print("\nrelay under attack (good client from 127.0.0.1, attacker 127.0.0.2):")
            for line in cls.report:
                print("  " + line)

    def note(self, name, good, before):
        rss, hwm = memory_kib(self.relay.proc.pid)
        self.report.append("%-28s good client %s; relay RSS %d KiB (before %d), peak %d KiB"
                           % (name, good, rss, before, hwm))

    def attack(self, name, run):
        """Runs `run()` while a good client polls; the good client must see only 200s."""
        before = memory_kib(self.relay.proc.pid)[0]
        good = GoodClient(self.relay, harness.key(1))
        self.good = good
        try:
            run()
        finally:
            stats = good.stop()
        self.note(name, stats, before)
        self.assertEqual(good.failures, [], name)
        self.assertGreater(stats["requests"], 0, name)

    def served(self, count, what, seconds=60):
        """Waits until the good client has had `count` more requests answered (a measuring
        window counted in requests, not seconds)."""
        target = len(self.good.latencies) + count
        deadline = time.time() + seconds
        while len(self.good.latencies) < target and time.time() < deadline:
            time.sleep(0.02)
        self.assertGreaterEqual(len(self.good.latencies), target,
                                "the good client did not get %d requests answered %s within %d s"
                                % (count, what, seconds))

    def test_0_baseline(self):
        def idle():
            self.served(50, "with no attack")
        self.attack("baseline (no attack)", idle)

    def test_a_thousand_connections_from_one_client(self):
        def run():
            held, closed = [], 0
            try:
                for _ in range(1000):
                    try:
                        held.append(attacker_socket(self.relay.port))
                    except OSError:
                        closed += 1  # refused outright also counts as refused
                # Held open while the good client gets 50 requests answered (its latency is
                # measured meanwhile).
                self.served(50, "while 1000 connections were held")
                # The relay keeps PER_CLIENT_CONNECTIONS of them and closes the rest at once.
                closed += sum(1 for s in held[PER_CLIENT_CONNECTIONS:] if closed_by_peer(s, 2.0))
                self.assertGreaterEqual(closed, 1000 - PER_CLIENT_CONNECTIONS)
            finally:
                for s in held:
                    s.close()
        self.attack("1000 connections", run)

    def test_bodies_above_the_limit_are_refused(self):
        big = 10 * 1024 * 1024 + 1  # the default --max-body is 10 MiB

        def declared():
            # Content-Length above the limit: 413 before a byte of body is read.
            with attacker_socket(self.relay.port) as s:
                s.sendall(b"POST /relay/onion/%s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
                          % (harness.key(1).encode(), big))
                answer = s.recv(4096)
                self.assertTrue(answer.startswith(b"HTTP/1.1 413 "), answer[:100])
                self.assertIn(b"X-Relay-Error: too-large", answer)

        def streamed():
            # Chunked, no length: the relay reads up to the limit, then answers 413 and closes.
            with attacker_socket(self.relay.port, timeout=30) as s:
                s.sendall(b"POST /relay/onion/%s HTTP/1.1\r\nHost: x\r\n"
                          b"Transfer-Encoding: chunked\r\n\r\n" % harness.key(1).encode())
                chunk = b"%x\r\n%s\r\n" % (1 << 20, b"\xab" * (1 << 20))
                try:
                    for _ in range(16):  # 16 MiB at most
                        s.sendall(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                answer = b""
                try:
                    answer = s.recv(4096)
                except ConnectionResetError:
                    pass
                self.assertTrue(answer.startswith(b"HTTP/1.1 413 "), answer[:100])

        def run():
            errors = []
            threads = [threading.Thread(target=_catch, args=(f, errors))
                       for f in [declared] * 8 + [streamed] * 4]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            self.assertEqual(errors, [])
        self.attack("10 MiB+1 bodies (8 + 4 chunked)", run)

    def test_slowloris_is_timed_out(self):
        def run():
            held = []
            try:
                for _ in range(PER_CLIENT_CONNECTIONS):
                    s = attacker_socket(self.relay.port)
                    s.sendall(b"POST /relay/onion/")
                    held.append(s)
                start = time.time()
                # One byte every 0.5 s on each: never a whole header. Dripped until the relay
                # has closed every one of them (its header deadline), at most 60 s.
                closed = set()
                while len(closed) < len(held) and time.time() - start < HEADER_TIMEOUT_S + 60:
                    for i, s in enumerate(held):
                        if i in closed:
                            continue
                        try:
                            s.sendall(b"a")
                        except (BrokenPipeError, ConnectionResetError):
                            closed.add(i)
                            continue
                        if closed_by_peer(s, 0.0):
                            closed.add(i)
                    time.sleep(0.5)
                print("\n  slowloris: all %d closed after %.1f s (header timeout %d s)"
                      % (len(closed), time.time() - start, HEADER_TIMEOUT_S))
                self.assertEqual(len(closed), len(held),
                                 "the relay did not close every trickling connection")
            finally:
                for s in held:
                    s.close()
        self.attack("slowloris (64 conns)", run)

    def test_too_many_requests_in_flight_is_429(self):
        results = []
        lock = threading.Lock()

        def one():
            s = attacker_socket(self.relay.port, timeout=20)
            try:
                s.sendall(b"POST /relay/onion/%s HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                          b"Connection: close\r\n\r\nabc" % harness.key(2).encode())
                answer = b""
                while True:
                    data = s.recv(65536)
                    if not data:
                        break
                    answer += data
            except OSError:
                answer = b""
            finally:
                s.close()
            with lock:
                results.append(answer)

        def run():
            threads = [threading.Thread(target=one) for _ in range(PER_CLIENT_INFLIGHT + 8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
        self.attack("%d slow requests at once" % (PER_CLIENT_INFLIGHT + 8), run)
        ok = [a for a in results if a.startswith(b"HTTP/1.1 200 ")]
        refused = [a for a in results if a.startswith(b"HTTP/1.1 429 ")]
        self.assertEqual(len(ok), PER_CLIENT_INFLIGHT)
        self.assertEqual(len(refused), 8)
        for answer in refused:
            self.assertIn(b"X-Relay-Error: too-many-requests", answer)
            body = answer.split(b"\r\n\r\n", 1)[1]
            self.assertTrue(body.startswith(b"relay: ") and body.count(b"\n") == 1, body)
        # Once they are answered, the same client is served again.
        with attacker_socket(self.relay.port) as s:
            s.sendall(b"POST /relay/onion/%s HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                      b"Connection: close\r\n\r\nz" % harness.key(1).encode())
            self.assertTrue(s.recv(100).startswith(b"HTTP/1.1 200 "))

    def test_request_bodies_held_at_once_are_bounded(self):
        relay = harness.Relay(self.tmp.name, "http://127.0.0.1:%d" % self.seed.port, "--quiet",
                              "--max-buffered-mib", "1", wait_nodes=2)
        try:
            body = b"\xcd" * (600 * 1024)
            answers = {}

            def big(name):
                # To the slow node: the body stays reserved until its answer is written.
                with attacker_socket(relay.port, timeout=20) as s:
                    s.sendall(b"POST /relay/onion/%s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n"
                              b"Connection: close\r\n\r\n" % (harness.key(2).encode(), len(body)))
                    try:
                        s.sendall(body)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    try:
                        answers[name] = s.recv(4096)
                    except ConnectionResetError:
                        answers[name] = b""

            first = threading.Thread(target=big, args=("first",))
            first.start()
            deadline = time.time() + 10  # until the first body is in the relay's hands
            while not self.slow.received and time.time() < deadline:
                time.sleep(0.02)
            big("second")
            # A small request of another client still fits.
            good = GoodClient(relay, harness.key(1), limit=3)
            good.thread.join(15)
            stats = good.stop()
            first.join(20)
            self.assertTrue(answers["first"].startswith(b"HTTP/1.1 200 "), answers["first"][:80])
            self.assertTrue(answers["second"].startswith(b"HTTP/1.1 503 "), answers["second"][:80])
            self.assertIn(b"X-Relay-Error: busy", answers["second"])
            self.assertEqual(good.failures, [])
            self.assertEqual(stats["requests"], 3)
        finally:
            relay.cleanup()


def _catch(f, errors):
    try:
        f()
    except Exception as e:  # noqa: BLE001 - reported by the main thread
        errors.append(repr(e))


if __name__ == "__main__":
    unittest.main()
