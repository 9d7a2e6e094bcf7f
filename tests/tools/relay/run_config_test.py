"""tools/run's command lines (--print-config, nothing is built or started): the plain devnet, the
TLS devnet with the pin the devnet wrote, and --live: no devnet, the three getsession.org seeds,
each followed by the certificate pin the official clients use for it, nodes over HTTPS, network
"live".
The live relay options are also given to the real relay, with the seeds swapped for unused
loopback ports so that nothing leaves this machine: it must accept them and report them."""
import json
import os
import shlex
import subprocess
import tempfile
import unittest

from harness import Relay

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
RUN = os.path.join(ROOT, "tools", "run")
RELAY = os.environ.get("RELAY")

# Session Desktop, ts/session/apis/seed_node_api/SeedNodeAPI.ts (seed1 also protocol.md §5.8).
LIVE = {
    "https://seed1.getsession.org:4443":
        "36:EA:0B:25:35:37:98:85:51:EE:85:6E:4F:D2:0D:55:01:1E:9C:8B:27:EA:A2:F3:4B:8F:32:A0:BD:F0:4F:2D",
    "https://seed2.getsession.org:4443":
        "C5:90:8D:D4:13:9A:CD:96:AE:DD:1E:45:57:65:97:65:08:09:C8:A5:EA:02:AF:55:6D:48:53:D4:53:96:E0:E7",
    "https://seed3.getsession.org:4443":
        "8A:0A:F2:C7:12:34:2F:22:CE:00:E5:3C:16:01:41:0E:F8:D8:41:56:AE:E0:A9:80:9C:32:F6:F7:EF:BE:55:6E",
}


def print_config(*args):
    out = subprocess.run([RUN, *args, "--print-config"], capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        raise AssertionError("tools/run failed: " + out.stderr)
    lines = dict(line.split(": ", 1) for line in out.stdout.splitlines())
    return lines["devnet"], shlex.split(lines["relay"])


def options(argv):
    """{flag: [values]} of a relay command line (program name first)."""
    out = {}
    i = 1
    while i < len(argv):
        out.setdefault(argv[i], []).append(argv[i + 1])
        i += 2
    return out


class RunConfig(unittest.TestCase):
    def test_default_runs_the_plain_devnet(self):
        devnet, relay = print_config("--devnet-port", "23000")
        self.assertIn("--port 23000", devnet)
        self.assertNotIn("--tls", devnet)
        opts = options(relay)
        self.assertEqual(opts["--seed"], ["http://127.0.0.1:23000"])
        self.assertEqual(opts["--network"], ["devnet"])
        self.assertNotIn("--seed-pin", opts)

    def test_kiosk_is_passed_to_the_relay_only_when_asked_for(self):
        _, relay = print_config()
        self.assertNotIn("--kiosk", relay)
        _, relay = print_config("--kiosk")
        self.assertEqual(relay[-1], "--kiosk")
        self.assertEqual(options(relay[:-1])["--network"], ["devnet"])

    def test_tls_runs_the_tls_devnet_and_pins_its_seed(self):
        with tempfile.TemporaryDirectory() as data:
            with open(os.path.join(data, "seed.pin"), "w") as f:
                f.write("ab" * 32 + "\n")
            devnet, relay = print_config("--tls", "--data", data, "--devnet-port", "23000")
        self.assertTrue(devnet.endswith("--tls"), devnet)
        opts = options(relay)
        self.assertEqual(opts["--seed"], ["https://127.0.0.1:23000"])
        self.assertEqual(opts["--seed-pin"], ["ab" * 32])
        self.assertEqual(opts["--node-scheme"], ["https"])
        self.assertEqual(opts["--network"], ["devnet"])

    def test_live_uses_the_pinned_getsession_seeds_and_no_devnet(self):
        devnet, relay = print_config("--live", "--port", "9000")
        self.assertEqual(devnet, "(none)")
        opts = options(relay)
        self.assertEqual(sorted(opts["--seed"]), sorted(LIVE))
        # Each --seed-pin right after its --seed (the relay pairs a pin with the seed before it).
        for seed, pin in LIVE.items():
            i = relay.index(seed)
            self.assertEqual(relay[i + 1:i + 3], ["--seed-pin", pin], seed)
        self.assertEqual(opts["--node-scheme"], ["https"])
        self.assertEqual(opts["--network"], ["live"])
        self.assertEqual(opts["--port"], ["9000"])

    def test_tls_and_live_exclude_each_other(self):
        out = subprocess.run([RUN, "--tls", "--live", "--print-config"], capture_output=True,
                             text=True, timeout=30)
        self.assertEqual(out.returncode, 2)

    @unittest.skipUnless(RELAY, "needs RELAY (set by ctest)")
    def test_the_relay_takes_the_live_options(self):
        _, relay = print_config("--live")
        # The same command line with each seed URL swapped for port 9 (discard) on a loopback
        # address of its own: refused at once, no packet leaves the machine.
        local = {seed: "https://127.0.0.%d:9" % (i + 1) for i, seed in enumerate(LIVE)}
        pairs = zip(relay[1::2], relay[2::2])  # flag, value (--live has no bare flag)
        args = [part for flag, value in pairs if flag not in ("--www", "--port")
                for part in (flag, local.get(value, value))]
        self.assertEqual(args[:2], ["--seed", local["https://seed1.getsession.org:4443"]])
        with tempfile.TemporaryDirectory() as www:
            r = Relay(www, *args[1:])
            try:
                info = json.loads(r.request("GET", "/relay/info")[2])
                self.assertEqual(info["network"], "live")
                self.assertEqual(info["node_scheme"], "https")
                self.assertEqual(sorted(info["seeds"]), sorted(local.values()))
            finally:
                r.cleanup()


if __name__ == "__main__":
    unittest.main()
