"""The relay serves the web build: types, security headers, caching, gzip, and nothing outside
the folder."""
import gzip
import os
import tempfile
import unittest

import fake_network
import harness

CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; "
       "img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'")

WASM = b"\x00asm\x01\x00\x00\x00" + bytes(range(256)) * 64
JS = b"var Module = {};\n" + b"function f(x) { return x + 1; }\n" * 500


class StaticFiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        base = cls.tmp.name
        www = os.path.join(base, "www")
        os.makedirs(os.path.join(www, "fonts"))
        os.makedirs(os.path.join(www, "docs"))
        files = {
            "index.html": b"<!doctype html><title>Session Tab</title><canvas></canvas>",
            "session-tab.js": JS,
            "session-tab.wasm": WASM,
            "session-tab.data": bytes(1000),
            "fonts/NotoSans-Regular.ttf": b"\x00\x01\x00\x00" + b"glyf" * 2000,
            "style.css": b"body { margin: 0; }\n" * 200,
            "app.0123abcd.js": b"// hashed\n" * 100,
            "logo.png": b"\x89PNG\r\n\x1a\n" + bytes(100),
            "docs/index.html": b"<p>docs</p>",
            ".secret": b"dotfile",
        }
        for name, data in files.items():
            with open(os.path.join(www, name), "wb") as f:
                f.write(data)
        # A precompressed sibling, deliberately different from what zlib would make on the fly
        # (a distinct gzip header mtime) so the test can tell it was chosen.
        cls.css_gz = gzip.compress(files["style.css"], compresslevel=1, mtime=12345)
        with open(os.path.join(www, "style.css.gz"), "wb") as f:
            f.write(cls.css_gz)
        with open(os.path.join(base, "secret.txt"), "wb") as f:
            f.write(b"outside the web root")
        os.symlink(os.path.join(base, "secret.txt"), os.path.join(www, "link-out.txt"))
        os.symlink(base, os.path.join(www, "parent"))
        os.symlink("/etc/passwd", os.path.join(www, "passwd"))
        os.symlink(os.path.join(www, "session-tab.js"), os.path.join(www, "alias.js"))
        cls.files = files
        # No seed is needed for static files: point it at a closed port.
        cls.relay = harness.Relay(www, "http://127.0.0.1:9", "--quiet")

    @classmethod
    def tearDownClass(cls):
        cls.relay.cleanup()
        cls.tmp.cleanup()

    def get(self, path, **headers):
        return self.relay.request("GET", path, headers=headers)

    def test_serves_each_file_with_its_mime_type(self):
        expected = {
            "/": ("index.html", "text/html; charset=utf-8"),
            "/index.html": ("index.html", "text/html; charset=utf-8"),
            "/session-tab.js": ("session-tab.js", "text/javascript; charset=utf-8"),
            "/session-tab.wasm": ("session-tab.wasm", "application/wasm"),
            "/session-tab.data": ("session-tab.data", "application/octet-stream"),
            "/fonts/NotoSans-Regular.ttf": ("fonts/NotoSans-Regular.ttf", "font/ttf"),
            "/style.css": ("style.css", "text/css; charset=utf-8"),
            "/logo.png": ("logo.png", "image/png"),
            "/docs/": ("docs/index.html", "text/html; charset=utf-8"),
            "/session-tab.js?v=2": ("session-tab.js", "text/javascript; charset=utf-8"),
        }
        for path, (name, mime) in expected.items():
            status, headers, body = self.get(path)
            self.assertEqual(status, 200, path)
            self.assertEqual(headers["content-type"], mime, path)
            self.assertEqual(body, self.files[name], path)

    def test_every_answer_carries_the_security_headers(self):
        for method, path in [("GET", "/"), ("GET", "/session-tab.wasm"), ("GET", "/missing"),
                             ("GET", "/relay/info"), ("POST", "/index.html")]:
            status, headers, _ = self.relay.request(method, path)
            self.assertEqual(headers["content-security-policy"], CSP, path)
            csp = headers["content-security-policy"]
            self.assertNotIn("'unsafe-eval'", csp)
            self.assertNotIn("http", csp)  # no third-party origin
            self.assertEqual(headers["x-content-type-options"], "nosniff", path)
            self.assertEqual(headers["referrer-policy"], "no-referrer", path)
            self.assertEqual(headers["cross-origin-opener-policy"], "same-origin", path)
            self.assertEqual(headers["cross-origin-resource-policy"], "same-origin", path)
            self.assertEqual(headers["x-frame-options"], "DENY", path)
            denied = headers["permissions-policy"]
            for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
                self.assertIn(feature + "=()", denied, path)

    def test_index_always_revalidates_and_hashed_names_are_immutable(self):
        self.assertEqual(self.get("/")[1]["cache-control"], "no-cache")
        self.assertEqual(self.get("/index.html")[1]["cache-control"], "no-cache")
        self.assertEqual(self.get("/session-tab.wasm")[1]["cache-control"], "no-cache")
        self.assertEqual(self.get("/app.0123abcd.js")[1]["cache-control"],
                         "public, max-age=31536000, immutable")

    def test_etag_gives_304_on_revalidation(self):
        status, headers, _ = self.get("/session-tab.wasm")
        etag = headers["etag"]
        status, headers, body = self.get("/session-tab.wasm", **{"If-None-Match": etag})
        self.assertEqual(status, 304)
        self.assertEqual(body, b"")
        self.assertEqual(headers["etag"], etag)
        self.assertEqual(self.get("/session-tab.wasm", **{"If-None-Match": '"other"'})[0], 200)

    def test_gzip_on_the_fly_when_accepted(self):
        status, headers, body = self.get("/session-tab.js", **{"Accept-Encoding": "gzip, br"})
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-encoding"], "gzip")
        self.assertEqual(headers["vary"], "Accept-Encoding")
        self.assertEqual(gzip.decompress(body), JS)
        self.assertLess(len(body), len(JS) // 4)
        plain_etag = self.get("/session-tab.js")[1]["etag"]
        self.assertNotEqual(headers["etag"], plain_etag)
        status, headers, body = self.get("/session-tab.js", **{"Accept-Encoding": "gzip;q=0"})
        self.assertNotIn("content-encoding", headers)
        self.assertEqual(body, JS)
        status, headers, body = self.get("/session-tab.wasm", **{"Accept-Encoding": "gzip"})
        self.assertEqual(gzip.decompress(body), WASM)
        self.assertEqual(headers["content-type"], "application/wasm")

    def test_precompressed_sibling_is_served_as_is(self):
        status, headers, body = self.get("/style.css", **{"Accept-Encoding": "gzip"})
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-encoding"], "gzip")
        self.assertEqual(headers["content-type"], "text/css; charset=utf-8")
        self.assertEqual(body, self.css_gz)

    def test_images_are_not_compressed(self):
        status, headers, body = self.get("/logo.png", **{"Accept-Encoding": "gzip"})
        self.assertNotIn("content-encoding", headers)
        self.assertEqual(body, self.files["logo.png"])

    def test_head_gives_length_without_body(self):
        status, headers, body = self.relay.request("HEAD", "/session-tab.wasm")
        self.assertEqual(status, 200)
        self.assertEqual(int(headers["content-length"]), len(WASM))
        self.assertEqual(body, b"")

    def test_other_methods_are_refused(self):
        for method in ["POST", "PUT", "DELETE"]:
            status, headers, _ = self.relay.request(method, "/index.html", body=b"x")
            self.assertEqual(status, 405, method)
            self.assertEqual(headers["allow"], "GET, HEAD")

    def test_path_traversal_and_links_out_are_404(self):
        attempts = [
            "/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
            "/docs/../../secret.txt", "/docs/%2e%2e/%2e%2e/secret.txt", "/.%2e/secret.txt",
            "/..%5csecret.txt", "/%5c..%5csecret.txt", "//etc/passwd", "/docs//index.html",
            "/link-out.txt", "/parent/secret.txt", "/passwd", "/.secret", "/%2esecret",
            "/index.html%00.png", "/docs", "/missing.js", "/fonts/",
        ]
        for path in attempts:
            request = "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path
            raw = self.relay.raw(request.encode())
            status_line = raw.split(b"\r\n", 1)[0]
            self.assertEqual(status_line, b"HTTP/1.1 404 Not Found", path)
            self.assertNotIn(b"outside the web root", raw, path)
            self.assertNotIn(b"root:", raw, path)
            self.assertNotIn(b"dotfile", raw, path)

    def test_links_inside_the_root_are_followed(self):
        status, headers, body = self.get("/alias.js")
        self.assertEqual(status, 200)
        self.assertEqual(body, JS)


if __name__ == "__main__":
    unittest.main()
