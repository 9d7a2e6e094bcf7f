"""The relay's log shows what happened (method, path, status, sizes, duration) and never what
was said: no request or answer body, no query string. SIGTERM and SIGINT stop it cleanly."""
import json
import signal
import tempfile
import unittest

import fake_network
import harness

MARK = b"BODY-MARKER-5f1c9e"


class NeverLogsBodies(unittest.TestCase):
    def test_no_body_reaches_the_log_on_any_path(self):
        with tempfile.TemporaryDirectory() as www:
            with open(www + "/index.html", "w") as f:
                f.write("<p>")
            echo = fake_network.FakeNode(harness.key(1))
            failing = fake_network.FakeNode(harness.key(2), mode="status", status=400,
                                            text=b"Invalid ciphertext " + MARK)
            slow = fake_network.FakeNode(harness.key(3), mode="slow", delay=2.0)
            seed = fake_network.FakeSeed([echo, failing, slow])
            relay = harness.Relay(www, "http://127.0.0.1:%d" % seed.port, "--node-timeout-ms",
                                  "300", "--max-body", "1000", wait_nodes=3)
            try:
                body = b"\x00\x01" + MARK + b"\xff"
                requests = [
                    ("POST", "/relay/onion/" + harness.key(1), body, 200),
                    ("POST", "/relay/onion/" + harness.key(2), body, 400),
                    ("POST", "/relay/onion/" + harness.key(3), body, 504),
                    ("POST", "/relay/onion/" + harness.key(9), body, 404),
                    ("POST", "/relay/onion/" + harness.key(1), body * 100, 413),
                    ("POST", "/relay/seed", json.dumps({"method": "get_n_service_nodes",
                                                        "params": {"m": MARK.decode()}}).encode(),
                     200),
                    ("POST", "/relay/seed", json.dumps({"method": MARK.decode()}).encode(), 400),
                    ("GET", "/index.html?token=" + MARK.decode(), None, 200),
                ]
                for method, path, data, expected in requests:
                    status, _, _ = relay.request(method, path, body=data)
                    self.assertEqual(status, expected, path)
                self.assertEqual(relay.stop(), 0)
                logs = relay.logs_bytes()
                for needle in (MARK, MARK[::-1], b"Invalid ciphertext"):
                    self.assertNotIn(needle, logs)
                # The log is not simply empty: one line per request with its status.
                text = logs.decode()
                self.assertEqual(text.count("POST /relay/onion/"), 5)
                self.assertEqual(text.count("POST /relay/seed "), 2)
                self.assertIn("GET /index.html 200", text)
                self.assertIn(" 504 in=", text)
                self.assertIn(" 413 in=", text)
                self.assertIn("upstream.timeout", text)
            finally:
                relay.cleanup()
                for server in (echo, failing, slow, seed):
                    server.stop()


class StopsCleanly(unittest.TestCase):
    def test_sigint_and_sigterm_exit_zero(self):
        with tempfile.TemporaryDirectory() as www:
            for sig in (signal.SIGINT, signal.SIGTERM):
                relay = harness.Relay(www, "http://127.0.0.1:%d" % fake_network.closed_port())
                try:
                    conn = relay.connection()  # an idle keep-alive connection must not block
                    conn.request("GET", "/relay/info")
                    conn.getresponse().read()
                    relay.proc.send_signal(sig)
                    self.assertEqual(relay.proc.wait(10), 0)
                    self.assertIn("stopping", relay.stderr())
                    conn.close()
                finally:
                    relay.cleanup()

    def test_prints_the_url_and_refuses_bad_options(self):
        import subprocess
        with tempfile.TemporaryDirectory() as www:
            relay = harness.Relay(www, "http://127.0.0.1:9")
            try:
                self.assertRegex(relay.url, r"^http://127\.0\.0\.1:\d+/$")
            finally:
                relay.cleanup()
            bad = subprocess.run([harness.RELAY, "--www", www, "--port", "x"],
                                 capture_output=True, text=True, timeout=10)
            self.assertEqual(bad.returncode, 2)
            self.assertEqual(len(bad.stderr.strip().splitlines()), 1)
            self.assertEqual(bad.stdout, "")
            ok = subprocess.run([harness.RELAY, "--help"], capture_output=True, text=True,
                                timeout=10)
            self.assertEqual(ok.returncode, 0)
            self.assertIn("--www DIR", ok.stdout)


if __name__ == "__main__":
    unittest.main()
