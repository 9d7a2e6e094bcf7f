"""tools/bootstrap --only debian-packages, with this machine's package tools replaced.

PATH holds only a folder of stand-ins: dpkg-query answers "installed" for every package except
those named in $MISSING, apt-get and dpkg write their arguments to a log (apt-get install fails
with $APT_INSTALL_RC), and the few programs the step runs (grep, dirname) are links to the real
ones. So nothing is installed and this machine's apt is never touched. A folder without npm is
a Debian 12 system as the installer leaves it (Debian's nodejs comes without npm)."""
import os
import shutil
import subprocess
import tempfile
import unittest

BOOTSTRAP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tools",
                         "bootstrap")
BASH = shutil.which("bash")

DPKG_QUERY = """#!%s
pkg="${@: -1}"
for m in $MISSING; do [ "$m" = "$pkg" ] && { echo "unknown ok not-installed"; exit 0; }; done
echo "install ok installed"
"""
APT_GET = """#!%s
echo "apt-get $*" >>"$LOG"
[ "$1" = install ] && exit "${APT_INSTALL_RC:-0}"
exit 0
"""
DPKG = """#!%s
echo "dpkg $*" >>"$LOG"
"""


class DebianPackages(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.bin = os.path.join(self.tmp.name, "bin")
        os.mkdir(self.bin)
        self.log = os.path.join(self.tmp.name, "log")
        for name, text in (("dpkg-query", DPKG_QUERY), ("apt-get", APT_GET), ("dpkg", DPKG)):
            self.script(name, text % BASH)
        for tool in ("grep", "dirname"):
            os.symlink(shutil.which(tool), os.path.join(self.bin, tool))

    def tearDown(self):
        self.tmp.cleanup()

    def script(self, name, text):
        path = os.path.join(self.bin, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o755)

    def run_step(self, missing="", install_rc=0):
        env = {"PATH": self.bin, "LOG": self.log, "MISSING": missing,
               "APT_INSTALL_RC": str(install_rc)}
        return subprocess.run([BASH, BOOTSTRAP, "--only", "debian-packages"], env=env,
                              capture_output=True, text=True, timeout=30)

    def calls(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return f.read().splitlines()

    def installed(self):
        for line in self.calls():
            if line.startswith("apt-get install"):
                return [w for w in line.split()[2:] if not w.startswith("-")]
        return None

    def test_npm_is_installed_when_missing(self):
        done = self.run_step(missing="npm")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(self.installed(), ["npm"])
        calls = self.calls()
        # Interrupted installs are finished first, and the lists are fresh before installing.
        self.assertEqual(calls[0], "dpkg --configure -a")
        self.assertEqual(calls[1], "apt-get update -qq")

    def test_nothing_is_installed_when_nothing_is_missing(self):
        self.script("npm", "#!%s\n" % BASH)
        done = self.run_step()
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(self.calls(), [])

    def test_an_npm_from_elsewhere_is_kept(self):
        self.script("npm", "#!%s\n" % BASH)  # not Debian's: Debian's would only shadow it
        done = self.run_step(missing="npm")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(self.calls(), [])

    def test_only_the_missing_packages_are_installed(self):
        self.script("npm", "#!%s\n" % BASH)
        done = self.run_step(missing="chromium cmake")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(sorted(self.installed()), ["chromium", "cmake"])
        self.assertIn("installing Debian packages: cmake chromium", done.stderr)

    def test_a_failed_install_names_the_step_and_says_to_run_again(self):
        done = self.run_step(missing="chromium npm", install_rc=100)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn('FAILED in step "Debian packages"', done.stderr)
        self.assertIn("run tools/bootstrap again", done.stderr)
        # Run again once the cause is gone: it installs what is still missing.
        os.remove(self.log)
        done = self.run_step(missing="chromium npm")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(sorted(self.installed()), ["chromium", "npm"])


if __name__ == "__main__":
    unittest.main()
