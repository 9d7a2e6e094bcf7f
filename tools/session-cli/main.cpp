// session-cli: the core on the command line, for scripts, kiosk provisioning and conformance
// checks. Output goes to stdout; any invalid input exits with code 2 and one line on stderr.
// The interface is stable: add commands, do not change existing ones.
#include <cstring>
#include <exception>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "args.hpp"
#include "commands.hpp"

namespace {

constexpr const char* kUsage = R"(usage: session-cli COMMAND ...
  keygen                          a new account: JSON {"seed", "mnemonic", "session_id"}
  id --seed HEX32                 the Session ID of a 16-byte seed (32 hex digits)
  id --mnemonic "13 WORDS"        the Session ID of a recovery phrase
  mnemonic encode HEX32           the 13-word recovery phrase of a seed
  mnemonic decode "13 WORDS"      the seed of a recovery phrase, as 32 hex digits
  onion build --enc xchacha20 --payload-hex HEX --dest ED:X --hop ED:X [--hop ED:X ...]
                                  an onion request for a snode (ED, X: hex Ed25519 and X25519
                                  keys; the first --hop is the guard): JSON {"request_hex",
                                  "dest_ephemeral_pk", "dest_ephemeral_sk"}; POST request_hex to
                                  the guard's /onion_req/v2
  onion open-response --enc xchacha20 --dest-x HEX --eph-sk HEX --eph-pk HEX --hex CIPHERTEXT
                                  the destination's encrypted reply, decrypted, as hex
  message encode --seed HEX32 --to SESSION_ID [--timestamp MS] KIND
                                  one message as the base64 `data` of a store request; KIND is
                                  one of (default: a text message)
                                    --text UTF8 [--name DISPLAY_NAME]
                                    --typing started|stopped
                                    --read-receipt MS[,MS...]   (sent times of messages read)
                                    --request-response approved [--name DISPLAY_NAME]
                                    --unsend-timestamp MS --unsend-author SESSION_ID (your own)
                                    --expiration-update off|after_read:SECONDS|after_send:SECONDS
                                        (the conversation's disappearing-messages setting)
                                  --expire after_read:SECONDS|after_send:SECONDS on a text: it
                                  disappears (SECONDS 10..1209600)
                                  --sync-target SESSION_ID with --to YOUR_ID: the sync copy, for
                                  your other devices, of a text (or unsend) sent to SESSION_ID.
                                  For testing receivers only: --unchecked (an unsend of someone
                                  else's message), --envelope-timestamp MS (an Envelope time that
                                  differs from the signed one)
  message decode --seed HEX32 --data BASE64
                                  a retrieved message as JSON {"sender", "timestamp", "kind",
                                  "expiration", then the kind's fields}: visible {"body",
                                  "profile"}, sync {"recipient", "body", ...}, typing {"action"},
                                  read_receipt {"timestamps"}, unsend {"target": {"timestamp",
                                  "author"}}, request_response {"approved", "profile"}, ...;
                                  errors (exit 2) start with their code (proto.not_for_us: ...,
                                  proto.timestamp_mismatch: ..., proto.invalid_field: ...)
  send --network SEED_URL --seed HEX32 --to SESSION_ID --text UTF8 [--name DISPLAY_NAME]
       [--expire after_send:SECONDS|after_read:SECONDS]
                                  sends a text message through 3-hop onion paths (SEED_URL like
                                  http://127.0.0.1:22100, the devnet's seed); exits 0 once it is
                                  stored in the recipient's swarm and its sync copy in ours,
                                  printing JSON {"hash", "timestamp"} (+ "expiry" with --expire:
                                  after_send is stored for SECONDS, after_read for 14 days);
                                  exit 1: network failure
  delete-all --network SEED_URL --seed HEX32
                                  deletes every message of every namespace in our own swarm and
                                  checks each member's signed answer: JSON {"swarm": members,
                                  "confirmed": N, "deleted": {"<node ed25519 hex>": [hashes]},
                                  "problems": {"<node>": "did not answer" | "its signature is not
                                  valid" | "refused: ..."}}; exit 0 only when every member
                                  confirmed, 3 when some did not, 1 network failure
  poll --network SEED_URL --seed HEX32 [--wait SECONDS]
                                  our swarm's messages, one JSON line each as `message decode`
                                  prints them; polls again until SECONDS have passed (default:
                                  one poll); exit 1: no poll succeeded
  ons resolve NAME --network SEED_URL
                                  the Session ID registered for the ONS name NAME (asked of three
                                  random nodes through onion paths, which must agree); exit 2 with
                                  one line for an invalid or unregistered name, 1 for a network
                                  failure
  config encode --seed HEX32 --kind KIND --json JSON
                                  a fresh config of KIND (user_profile, contacts,
                                  convo_info_volatile) with the JSON's fields, as the clients
                                  store it (seqno 1, encrypted and wrapped): base64. JSON:
                                    user_profile  {"name", "picture": {"url", "key_hex"}}
                                    contacts      {"contacts": [{"session_id", "name",
                                                  "nickname", "approved", "approved_me",
                                                  "blocked"}]}
                                    convo_info_volatile  {"one_to_one": [{"session_id",
                                                  "last_read_ms", "unread"}]}
  config decode --seed HEX32 --kind KIND --data BASE64 [--data BASE64 ...]
                                  the messages merged, as JSON: {"seqno"} and the fields above
                                  (lists sorted by session_id); exit 2 for a message that does
                                  not decrypt with the seed or is not a config of KIND
  config push --network SEED_URL --seed HEX32 --kind KIND --json JSON [--state FILE]
              [--no-pull]
                                  retrieves KIND's namespace from our swarm and merges it, sets
                                  the fields JSON gives (only those), stores the new version
                                  (signed, TTL 30 days) and deletes the versions it replaces:
                                  JSON {"pushed", "seqno", "hash", "obsolete": [hashes]};
                                  --state FILE keeps this device's config between runs,
                                  --no-pull pushes from it without retrieving first; exit 1:
                                  network failure
  config pull --network SEED_URL --seed HEX32 --kind KIND [--state FILE]
                                  retrieves and merges KIND's namespace, prints it as `config
                                  decode` does
  (every config command also takes --mnemonic "13 WORDS" instead of --seed)
)";

}  // namespace

int main(int argc, char** argv) {
    using namespace st::cli;
    const std::map<std::string, std::function<int(const std::vector<std::string>&)>> commands = {
        {"keygen", cmd_keygen},
        {"id", cmd_id},
        {"mnemonic", cmd_mnemonic},
        {"onion", cmd_onion},
        {"message", cmd_message},
        {"send", cmd_send},
        {"poll", cmd_poll},
        {"ons", cmd_ons},
        {"delete-all", cmd_delete_all},
        {"config", cmd_config},
    };
    if (argc < 2) {
        std::cerr << "session-cli: missing COMMAND (see session-cli --help)\n";
        return kExitBadInput;
    }
    if (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "help")) {
        std::cout << kUsage;
        return 0;
    }
    auto command = commands.find(argv[1]);
    if (command == commands.end()) {
        std::cerr << "session-cli: unknown command '" << argv[1] << "' (see session-cli --help)\n";
        return kExitBadInput;
    }
    try {
        return command->second(std::vector<std::string>(argv + 2, argv + argc));
    } catch (const UsageError& e) {
        std::cerr << "session-cli " << argv[1] << ": " << e.what() << " (see session-cli --help)\n";
        return kExitBadInput;
    } catch (const InputError& e) {
        std::cerr << "session-cli " << argv[1] << ": " << e.what() << '\n';
        return kExitBadInput;
    } catch (const std::exception& e) {
        std::cerr << "session-cli " << argv[1] << ": internal error: " << e.what() << '\n';
        return 1;
    }
}
