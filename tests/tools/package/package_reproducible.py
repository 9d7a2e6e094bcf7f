"""The full check of docs/deployment.md, "Reproducible builds": the site of one commit built
twice from scratch, in different folders (different source and build paths), has one
fingerprint. Two wasm builds: tens of minutes on 2 cores, so ctest registers it only with
-DST_PACKAGE_FULL_TEST=ON (label "slow")."""
import os
import re
import subprocess
import tempfile
import unittest

PACKAGE = os.environ.get("PACKAGE", os.path.join(os.path.dirname(__file__), "../../../tools/package"))
ROOT = os.path.realpath(os.path.join(os.path.dirname(PACKAGE), ".."))


class Reproducible(unittest.TestCase):
    def test_two_builds_of_one_commit_have_one_site_fingerprint(self):
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        prints = []
        with tempfile.TemporaryDirectory(dir=os.path.join(ROOT, "build")) as tmp:
            for name in ("first", "second-with-a-longer-path"):
                root = os.path.join(tmp, name)
                done = subprocess.run([PACKAGE, "--rev", commit, "--site-only", "--build-root", root,
                                       "--out", os.path.join(root, "dist")],
                                      capture_output=True, text=True)
                self.assertEqual(done.returncode, 0, done.stderr)
                prints.append(re.search(r"^site fingerprint (.+)$", done.stdout, re.M).group(1))
        self.assertEqual(prints[0], prints[1])


if __name__ == "__main__":
    unittest.main()
