"""tools/bootstrap's deb-src step on copies of both Debian 12 source-list formats.

It lives here because the relay's owners also own tools/bootstrap. ST_APT_DIR points the step at a
temporary folder instead of /etc/apt, where it also skips apt-get update: this machine's apt
set-up is never touched.
"""
import os
import subprocess
import tempfile
import unittest

BOOTSTRAP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tools",
                         "bootstrap")

DEB822 = """Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
"""

ONE_LINE = """# a comment
deb http://deb.debian.org/debian bookworm main contrib
deb [arch=amd64] http://deb.debian.org/debian-security bookworm-security main
#deb-src http://deb.debian.org/debian bookworm main
deb cdrom:[Debian GNU/Linux 12]/ bookworm main
"""


class DebSrc(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.apt = self.tmp.name
        os.makedirs(os.path.join(self.apt, "sources.list.d"))

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        with open(os.path.join(self.apt, name), "w") as f:
            f.write(text)

    def run_step(self):
        env = dict(os.environ, ST_APT_DIR=self.apt)
        return subprocess.run(["bash", BOOTSTRAP, "--only", "deb-src"], env=env,
                              capture_output=True, text=True, timeout=30)

    def added(self):
        d = os.path.join(self.apt, "sources.list.d")
        return {n: open(os.path.join(d, n)).read() for n in os.listdir(d)
                if n.startswith("session-tab-deb-src")}

    def test_deb822_debian_sources(self):
        self.write("sources.list.d/debian.sources", DEB822)
        r = self.run_step()
        self.assertEqual(r.returncode, 0, r.stderr)
        text = self.added()["session-tab-deb-src.sources"]
        self.assertEqual(text.count("Types: deb-src\n"), 2)
        self.assertNotIn("Types: deb\n", text)
        self.assertIn("Suites: bookworm bookworm-updates\n", text)
        self.assertIn("URIs: http://deb.debian.org/debian-security\n", text)

    def test_one_line_sources_list(self):
        self.write("sources.list", ONE_LINE)
        r = self.run_step()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.added()["session-tab-deb-src.list"],
                         "deb-src http://deb.debian.org/debian bookworm main contrib\n"
                         "deb-src [arch=amd64] http://deb.debian.org/debian-security "
                         "bookworm-security main\n")

    def test_a_second_run_and_existing_deb_src_change_nothing(self):
        self.write("sources.list", ONE_LINE)
        self.assertEqual(self.run_step().returncode, 0)
        first = self.added()
        self.assertEqual(self.run_step().returncode, 0)
        self.assertEqual(self.added(), first)
        # The system's own deb-src line is enough: nothing is added.
        self.write("sources.list", ONE_LINE + "deb-src http://deb.debian.org/debian bookworm main\n")
        os.remove(os.path.join(self.apt, "sources.list.d", "session-tab-deb-src.list"))
        self.assertEqual(self.run_step().returncode, 0)
        self.assertEqual(self.added(), {})

    def test_no_repository_fails_with_a_reason_and_leaves_nothing(self):
        self.write("sources.list", "# nothing\n")
        r = self.run_step()
        self.assertEqual(r.returncode, 1)
        self.assertIn('FAILED in step "deb-src"', r.stderr)
        self.assertIn("run tools/bootstrap again", r.stderr)
        self.assertEqual(os.listdir(os.path.join(self.apt, "sources.list.d")), [])


if __name__ == "__main__":
    unittest.main()
