"""The relay's limits on what a page connection may cost it: header size, connection count."""
import socket
import time
import unittest

import fake_network
import harness


class Limits(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.one_page_site()
        cls.relay = harness.Relay(cls.tmp.name, "http://127.0.0.1:%d" % fake_network.closed_port(),
                                  "--max-connections", "3")

    @classmethod
    def tearDownClass(cls):
        cls.relay.cleanup()
        cls.tmp.cleanup()

    def test_a_huge_header_is_431(self):
        request = ("GET / HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\nConnection: close\r\n\r\n"
                   % ("a" * 20000)).encode()
        self.assertTrue(self.relay.raw(request).startswith(b"HTTP/1.1 431 "))

    def test_garbage_is_400(self):
        self.assertTrue(self.relay.raw(b"NOT HTTP AT ALL\r\n\r\n").startswith(b"HTTP/1.1 400 "))

    def test_connections_above_the_limit_are_closed_at_once(self):
        # Three keep-alive connections, each answered once: the relay has accepted all of them.
        held = [self.relay.connection(timeout=10) for _ in range(3)]
        try:
            for conn in held:
                conn.request("GET", "/")
                res = conn.getresponse()
                res.read()
                self.assertEqual(res.status, 200)
            with socket.create_connection(("127.0.0.1", self.relay.port), timeout=5) as extra:
                extra.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                try:
                    self.assertEqual(extra.recv(100), b"")
                except ConnectionResetError:
                    pass
        finally:
            for s in held:
                s.close()
        # Once they are gone, the relay serves again.
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if self.relay.request("GET", "/")[0] == 200:
                    return
            except (ConnectionError, OSError):
                pass
            time.sleep(0.05)
        self.fail("the relay did not serve again after the held connections closed")


if __name__ == "__main__":
    unittest.main()
