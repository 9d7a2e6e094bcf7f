"""GET /relay/info tells the fingerprint of the served folder (docs/deployment.md): the SHA-256
of its manifest, as tools/package prints it for a release; it follows the folder's content when
files change while the relay runs. Also the PWA files' types and caching."""
import hashlib
import json
import os
import tempfile
import unittest

import fake_network
import harness


def fingerprint(www):
    """docs/deployment.md's definition, written again independently of the relay's C++."""
    lines = []
    for folder, dirs, files in os.walk(www):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = os.path.join(folder, name)
            if name.startswith(".") or os.path.islink(path):
                continue
            relative = os.path.relpath(path, www).replace(os.sep, "/")
            with open(path, "rb") as f:
                lines.append((relative.encode(), hashlib.sha256(f.read()).hexdigest()))
    manifest = b"".join(h.encode() + b"  " + r + b"\n" for r, h in sorted(lines))
    digest = hashlib.sha256(manifest).hexdigest()
    return " ".join(digest[i:i + 4] for i in range(0, 64, 4))


class SiteFingerprint(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.www = os.path.join(self.tmp.name, "www")
        os.makedirs(os.path.join(self.www, "fonts"))
        os.makedirs(os.path.join(self.www, ".hidden"))
        files = {
            "index.html": b"<!doctype html><title>Session Tab</title>",
            "index.html.br": b"\x1b\x00",
            "sw.js": b"self.addEventListener('fetch', function() {});\n",
            "manifest.0123456789abcdef.webmanifest": b'{"name": "Session Tab"}',
            "icon-192.0123456789abcdef.png": b"\x89PNG\r\n\x1a\n" + bytes(64),
            "fonts/NotoSans-Regular.0123456789abcdef.ttf": b"\x00\x01\x00\x00" + bytes(100),
            ".hidden/x": b"not served",
        }
        for name, data in files.items():
            with open(os.path.join(self.www, name), "wb") as f:
                f.write(data)
        self.relay = harness.Relay(self.www, "http://127.0.0.1:%d" % fake_network.closed_port(),
                                   "--quiet")

    def tearDown(self):
        self.relay.cleanup()
        self.tmp.cleanup()

    def info(self):
        status, headers, body = self.relay.request("GET", "/relay/info")
        self.assertEqual(status, 200)
        return json.loads(body)

    def test_info_names_the_fingerprint_of_the_served_folder(self):
        got = self.info()["site_fingerprint"]
        self.assertRegex(got, r"^([0-9a-f]{4} ){15}[0-9a-f]{4}$")
        self.assertEqual(got, fingerprint(self.www))

    def test_the_fingerprint_follows_changes_to_the_folder(self):
        before = self.info()["site_fingerprint"]
        with open(os.path.join(self.www, "index.html"), "ab") as f:
            f.write(b"<!-- another build -->")
        after = self.info()["site_fingerprint"]
        self.assertNotEqual(after, before)
        self.assertEqual(after, fingerprint(self.www))
        # A file time alone changes nothing.
        os.utime(os.path.join(self.www, "sw.js"), (1, 1))
        self.assertEqual(self.info()["site_fingerprint"], after)

    def test_service_worker_and_manifest_types_and_caching(self):
        status, headers, _ = self.relay.request("GET", "/sw.js")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "text/javascript; charset=utf-8")
        # The browser must see a new service worker at once: never kept without asking.
        self.assertEqual(headers["cache-control"], "no-cache")
        status, headers, _ = self.relay.request("GET", "/manifest.0123456789abcdef.webmanifest")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "application/manifest+json")
        self.assertIn("immutable", headers["cache-control"])
        status, headers, _ = self.relay.request("GET", "/icon-192.0123456789abcdef.png")
        self.assertEqual(headers["content-type"], "image/png")

    def test_info_says_whether_pages_run_in_kiosk_mode(self):
        info = self.info()
        self.assertIs(info["kiosk"], False)
        self.assertEqual(info["kiosk_idle_s"], 300)
        kiosk = harness.Relay(self.www, "http://127.0.0.1:%d" % fake_network.closed_port(),
                              "--quiet", "--kiosk", "--kiosk-idle-s", "90")
        try:
            status, _, body = kiosk.request("GET", "/relay/info")
            self.assertEqual(status, 200)
            self.assertIs(json.loads(body)["kiosk"], True)
            self.assertEqual(json.loads(body)["kiosk_idle_s"], 90)
        finally:
            kiosk.cleanup()


if __name__ == "__main__":
    unittest.main()
