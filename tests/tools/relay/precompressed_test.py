"""The relay serves a site laid out like the web build (wasm/cmake/site_page.cmake): HTML that
always revalidates, content-hashed files cached for a year, and .br/.gz siblings made at build
time (gzip -9 -n, brotli -q 11) sent as they are by Accept-Encoding, decoding to the very bytes
of the plain file. Needs the gzip and brotli commands (tools/bootstrap installs them)."""
import gzip
import os
import shutil
import subprocess
import tempfile
import unittest

import harness

IMMUTABLE = "public, max-age=31536000, immutable"
WASM = b"\x00asm\x01\x00\x00\x00" + bytes(range(256)) * 256
JS = b"var Module = {};\n" + b"function f(x) { return x + 1; }\n" * 2000
FONT = b"\x00\x01\x00\x00" + b"glyf" * 20000


def decode_brotli(data):
    return subprocess.run(["brotli", "-d", "-c"], input=data, stdout=subprocess.PIPE,
                          check=True).stdout


@unittest.skipUnless(shutil.which("brotli") and shutil.which("gzip"), "needs gzip and brotli")
class PrecompressedSite(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        www = os.path.join(cls.tmp.name, "www")
        os.makedirs(os.path.join(www, "fonts"))
        cls.files = {
            "index.html": b"<!doctype html><title>Session Tab</title>"
                          b"<link rel=preload href=session_tab.0123456789abcdef.wasm as=fetch>"
                          b"<script src=session_tab.fedcba9876543210.js async></script>" * 20,
            "session_tab.fedcba9876543210.js": JS,
            "session_tab.0123456789abcdef.wasm": WASM,
            "fonts/NotoSans-Regular.00112233aabbccdd.ttf": FONT,
            "plain.js": JS,  # no hash, no siblings: revalidated, gzipped on the fly
        }
        for name, data in cls.files.items():
            path = os.path.join(www, name)
            with open(path, "wb") as f:
                f.write(data)
            if name == "plain.js":
                continue
            # As the build does (wasm/cmake/site_common.cmake).
            with open(path + ".gz", "wb") as f:
                subprocess.run(["gzip", "-9", "-n", "-c", path], stdout=f, check=True)
            with open(path + ".br", "wb") as f:
                subprocess.run(["brotli", "-q", "11", "-c", path], stdout=f, check=True)
        cls.www = www
        cls.relay = harness.Relay(www, "http://127.0.0.1:9", "--quiet")

    @classmethod
    def tearDownClass(cls):
        cls.relay.cleanup()
        cls.tmp.cleanup()

    def get(self, path, **headers):
        return self.relay.request("GET", path, headers=headers)

    def sibling(self, name, ext):
        with open(os.path.join(self.www, name + ext), "rb") as f:
            return f.read()

    def test_types_and_cache_headers(self):
        expected = {
            "/": ("text/html; charset=utf-8", "no-cache"),
            "/index.html": ("text/html; charset=utf-8", "no-cache"),
            "/session_tab.fedcba9876543210.js": ("text/javascript; charset=utf-8", IMMUTABLE),
            "/session_tab.0123456789abcdef.wasm": ("application/wasm", IMMUTABLE),
            "/fonts/NotoSans-Regular.00112233aabbccdd.ttf": ("font/ttf", IMMUTABLE),
            "/plain.js": ("text/javascript; charset=utf-8", "no-cache"),
        }
        for encoding in ("", "gzip", "br", "gzip, deflate, br, zstd"):
            for path, (mime, cache) in expected.items():
                status, headers, _ = self.get(path, **{"Accept-Encoding": encoding})
                self.assertEqual(status, 200, (path, encoding))
                self.assertEqual(headers["content-type"], mime, (path, encoding))
                self.assertEqual(headers["cache-control"], cache, (path, encoding))
                self.assertEqual(headers["vary"], "Accept-Encoding", (path, encoding))

    def test_brotli_sibling_is_served_when_accepted_and_decodes_to_the_file(self):
        for name, data in self.files.items():
            if name == "plain.js":
                continue
            status, headers, body = self.get("/" + name, **{"Accept-Encoding": "gzip, deflate, br"})
            self.assertEqual(status, 200, name)
            self.assertEqual(headers["content-encoding"], "br", name)
            self.assertEqual(body, self.sibling(name, ".br"), name)
            self.assertEqual(decode_brotli(body), data, name)
            self.assertEqual(int(headers["content-length"]), len(body), name)

    def test_gzip_sibling_is_served_without_br_and_decodes_to_the_file(self):
        for name, data in self.files.items():
            if name == "plain.js":
                continue
            for accept in ("gzip, deflate", "gzip, br;q=0"):
                status, headers, body = self.get("/" + name, **{"Accept-Encoding": accept})
                self.assertEqual(status, 200, name)
                self.assertEqual(headers["content-encoding"], "gzip", (name, accept))
                self.assertEqual(body, self.sibling(name, ".gz"), (name, accept))
                self.assertEqual(gzip.decompress(body), data, (name, accept))

    def test_identity_when_nothing_is_accepted(self):
        for name, data in self.files.items():
            for accept in ("", "identity", "gzip;q=0, br;q=0"):
                status, headers, body = self.get("/" + name, **{"Accept-Encoding": accept})
                self.assertNotIn("content-encoding", headers, (name, accept))
                self.assertEqual(body, data, (name, accept))

    def test_each_encoding_has_its_own_etag_and_revalidates(self):
        name = "/session_tab.0123456789abcdef.wasm"
        tags = {}
        for accept in ("", "gzip", "br"):
            _, headers, _ = self.get(name, **{"Accept-Encoding": accept})
            tags[accept] = headers["etag"]
            status, headers, body = self.get(name, **{"Accept-Encoding": accept,
                                                      "If-None-Match": tags[accept]})
            self.assertEqual(status, 304, accept)
            self.assertEqual(body, b"")
        self.assertEqual(len(set(tags.values())), 3)

    def test_head_gives_the_length_of_the_variant(self):
        name = "session_tab.fedcba9876543210.js"
        status, headers, body = self.relay.request("HEAD", "/" + name,
                                                   headers={"Accept-Encoding": "br"})
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-encoding"], "br")
        self.assertEqual(int(headers["content-length"]), len(self.sibling(name, ".br")))
        self.assertEqual(body, b"")

    def test_a_sibling_older_than_the_file_is_not_used(self):
        # The file changed after its siblings were made: they are stale, never sent.
        path = os.path.join(self.www, "stale.0a0b0c0d0e0f0102.js")
        with open(path + ".br", "wb") as f:
            f.write(b"stale brotli")
        with open(path + ".gz", "wb") as f:
            f.write(gzip.compress(b"stale gzip"))
        with open(path, "wb") as f:
            f.write(JS)
        old = os.stat(path).st_mtime - 60
        os.utime(path + ".br", (old, old))
        os.utime(path + ".gz", (old, old))
        status, headers, body = self.get("/stale.0a0b0c0d0e0f0102.js",
                                         **{"Accept-Encoding": "gzip, br"})
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-encoding"], "gzip")  # made on the fly instead
        self.assertEqual(gzip.decompress(body), JS)


if __name__ == "__main__":
    unittest.main()
