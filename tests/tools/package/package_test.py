"""tools/package (docs/deployment.md) on a small site made here and the relay of this build:
the fingerprint it prints is the definition's and the relay's; assembling the same inputs twice
gives the same fingerprint and the same tarball bytes; the release holds what the guide says."""
import hashlib
import json
import os
import re
import stat
import subprocess
import tarfile
import tempfile
import unittest
import urllib.request

PACKAGE = os.environ.get("PACKAGE", os.path.join(os.path.dirname(__file__), "../../../tools/package"))
RELAY = os.environ.get("RELAY", "relay")
ROOT = os.path.realpath(os.path.join(os.path.dirname(PACKAGE), ".."))


def definition(www):
    """The fingerprint as docs/deployment.md defines it, written again in Python."""
    lines = []
    for folder, dirs, files in os.walk(www):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = os.path.join(folder, name)
            if name.startswith(".") or os.path.islink(path):
                continue
            with open(path, "rb") as f:
                lines.append((os.path.relpath(path, www).encode(), hashlib.sha256(f.read()).hexdigest()))
    manifest = b"".join(h.encode() + b"  " + r + b"\n" for r, h in sorted(lines))
    digest = hashlib.sha256(manifest).hexdigest()
    return " ".join(digest[i:i + 4] for i in range(0, 64, 4))


def run(*args):
    done = subprocess.run([PACKAGE, *args], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise AssertionError("tools/package %s failed: %s" % (" ".join(args), done.stderr))
    return done.stdout


def printed(stdout, what):
    m = re.search(r"^%s (.+)$" % what, stdout, re.M)
    if not m:
        raise AssertionError("no '%s' in: %s" % (what, stdout))
    return m.group(1)


class Package(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        base = cls.tmp.name
        # A site as the wasm build leaves it: the product's files, a development page that is
        # not listed, a dotfile, and the list site_page.cmake writes.
        cls.site = os.path.join(base, "site")
        files = {
            "index.html": b"<!doctype html><title>Session Tab</title>",
            "index.html.br": b"\x1b\x29\x00",
            "sw.js": b"self.addEventListener('fetch', function() {});\n",
            "session_tab.0123456789abcdef.js": b"var Module = {};\n" * 50,
            "session_tab.0123456789abcdef.wasm": b"\x00asm\x01\x00\x00\x00" + bytes(300),
            "fonts/NotoSans-Regular.0123456789abcdef.ttf": b"\x00\x01\x00\x00" + bytes(100),
            "manifest.0123456789abcdef.webmanifest": b'{"name": "Session Tab"}',
            "icon-192.0123456789abcdef.png": b"\x89PNG\r\n\x1a\n" + bytes(40),
            "fixture.html": b"<p>development page</p>",
            ".keep": b"",
        }
        for name, data in files.items():
            path = os.path.join(cls.site, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        os.chmod(os.path.join(cls.site, "sw.js"), 0o600)  # modes are fixed in the release
        cls.listed = sorted(n for n in files if n not in ("fixture.html", ".keep"))
        cls.site_files = os.path.join(base, "session_tab.site-files.txt")
        with open(cls.site_files, "w") as f:
            f.write("".join(n + "\n" for n in cls.listed))
        # The release takes any executable as its relay; a small one keeps the tarball quick
        # (the relay of this build, with debug info, is tens of MB to gzip -9).
        cls.fake_relay = os.path.join(base, "relay")
        with open(cls.fake_relay, "w") as f:
            f.write("#!/bin/sh\necho relay\n")
        os.chmod(cls.fake_relay, 0o755)
        cls.commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True,
                                    text=True, check=True).stdout.strip()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def release(self, out):
        stdout = run("--rev", self.commit, "--site", self.site, "--site-files", self.site_files,
                     "--relay", self.fake_relay, "--out", out, "--build-root", os.path.join(out, "b"))
        dirs = [d for d in os.listdir(out) if d.startswith("session-tab-") and os.path.isdir(os.path.join(out, d))]
        self.assertEqual(len(dirs), 1, dirs)
        return stdout, os.path.join(out, dirs[0])

    def test_hash_follows_the_definition(self):
        expected = definition(self.site)
        self.assertEqual(run("--hash", self.site).strip(), expected)

    def test_hash_equals_what_the_relay_reports(self):
        proc = subprocess.Popen([RELAY, "--port", "0", "--www", self.site, "--seed",
                                 "http://127.0.0.1:9", "--quiet"], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        try:
            url = proc.stdout.readline().strip()
            with urllib.request.urlopen(url + "relay/info", timeout=10) as r:
                info = json.load(r)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            proc.stdout.close()
        self.assertEqual(info["site_fingerprint"], run("--hash", self.site).strip())

    def test_same_inputs_give_the_same_release_bytes(self):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            out_a, rel_a = self.release(a)
            out_b, rel_b = self.release(b)
            self.assertEqual(printed(out_a, "site fingerprint"), printed(out_b, "site fingerprint"))
            self.assertEqual(printed(out_a, "tarball sha256"), printed(out_b, "tarball sha256"))
            tarball = rel_a + ".tar.gz"
            with open(tarball, "rb") as f:
                self.assertEqual(hashlib.sha256(f.read()).hexdigest(), printed(out_a, "tarball sha256"))
            with tarfile.open(tarball) as t:
                members = t.getmembers()
            names = [m.name for m in members]
            self.assertEqual(names, sorted(names))
            self.assertEqual({m.uid for m in members} | {m.gid for m in members}, {0})
            self.assertEqual(len({m.mtime for m in members}), 1)

    def test_release_layout(self):
        with tempfile.TemporaryDirectory() as out:
            stdout, rel = self.release(out)
            fingerprint = printed(stdout, "site fingerprint")
            self.assertEqual(printed(stdout, "commit"), self.commit)
            # Only the listed files, readable by the service's user.
            served = sorted(os.path.relpath(os.path.join(d, f), os.path.join(rel, "site"))
                            for d, _, fs in os.walk(os.path.join(rel, "site")) for f in fs)
            self.assertEqual(served, self.listed)
            self.assertEqual(stat.S_IMODE(os.stat(os.path.join(rel, "site", "sw.js")).st_mode), 0o644)
            self.assertEqual(definition(os.path.join(rel, "site")), fingerprint)
            relay = os.path.join(rel, "bin", "session-tab-relay")
            self.assertTrue(os.access(relay, os.X_OK))
            # Every file is in SHA256SUMS, and they check.
            check = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS"], cwd=rel,
                                   capture_output=True, text=True)
            self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
            with open(os.path.join(rel, "SHA256SUMS")) as f:
                summed = sorted(line.split("  ", 1)[1].strip() for line in f)
            everything = sorted(os.path.relpath(os.path.join(d, f), rel)
                                for d, _, fs in os.walk(rel) for f in fs if f != "SHA256SUMS")
            self.assertEqual(summed, everything)
            # SITE-MANIFEST checks the site with sha256sum -c.
            check = subprocess.run(["sha256sum", "-c", "--strict", "../SITE-MANIFEST"],
                                   cwd=os.path.join(rel, "site"), capture_output=True, text=True)
            self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
            # The unit and the guide.
            with open(os.path.join(rel, "session-tab-relay.service")) as f:
                unit = f.read()
            for line in ("DynamicUser=yes", "NoNewPrivileges=yes", "ProtectSystem=strict",
                         "--www /opt/session-tab/site", "--network live"):
                self.assertIn(line, unit)
            with open(os.path.join(rel, "OPERATOR.md")) as f:
                guide = f.read()
            self.assertTrue(guide.startswith("# Session Tab relay: operator guide"))
            for topic in ("## Ports", "## TLS", "## Logs", "## Upgrades", "## Serving many users",
                          "--kiosk", "--network live"):
                self.assertIn(topic, guide)
            self.assertIn(fingerprint, guide)
            self.assertNotIn("operator-guide:", guide)


if __name__ == "__main__":
    unittest.main()
