// session-cli's commands, grouped by area. Each takes the words after its name, writes its result
// to stdout and returns the exit code; bad input throws UsageError or InputError (both exit 2).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "st/base/error.hpp"
#include "st/proto/model.hpp"

namespace st::cli {

// A well-formed command whose input is invalid (a bad seed, phrase or ID): the message is the
// core's sentence for it.
struct InputError : std::runtime_error {
    explicit InputError(const Error& e) : std::runtime_error(e.message) {}
    using std::runtime_error::runtime_error;
};

template <class T>
T unwrap(Result<T> r) {
    if (!r) throw InputError(r.error());
    return std::move(r).value();
}

int cmd_keygen(const std::vector<std::string>& args);
int cmd_id(const std::vector<std::string>& args);
int cmd_mnemonic(const std::vector<std::string>& args);
int cmd_onion(const std::vector<std::string>& args);
int cmd_message(const std::vector<std::string>& args);
int cmd_send(const std::vector<std::string>& args);
int cmd_poll(const std::vector<std::string>& args);
int cmd_ons(const std::vector<std::string>& args);
int cmd_delete_all(const std::vector<std::string>& args);
int cmd_config(const std::vector<std::string>& args);

class Args;

// The text message of --text (and --name, the sender's display name, and --expire, its
// disappearing setting), as `message encode` and `send` take it.
proto::OutgoingText outgoing_text(const Args& args);

// A disappearing-messages setting as the options write it (protocol.md §8.3):
// "after_send:SECONDS" or "after_read:SECONDS" (SECONDS 10 .. 1209600, 14 days), and "off" when
// `allow_off`. Errors: UsageError naming `flag`.
proto::Expiration parse_expiration(const std::string& text, const char* flag, bool allow_off);

// An incoming event as the one-line JSON object `message decode` prints (invalid UTF-8 replaced).
std::string event_json_line(const proto::IncomingEvent& event);

}  // namespace st::cli
