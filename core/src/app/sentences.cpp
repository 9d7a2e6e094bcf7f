#include "sentences.hpp"

namespace st::app::sentences {

std::string send_failure(const Error& e) {
    const std::string_view c = e.code;
    if (c == "rpc.unauthorized") return "The network refused the message's signature.";
    if (c == "rpc.bad_ttl") return "The network refused how long the message should be kept.";
    if (c.starts_with("proto.") || c == "send.bad_message")
        return "This message could not be prepared for sending (it may be too long).";
    return "The network refused this message.";
}

std::string offline(const Error& e) {
    const std::string_view c = e.code;
    if (c == "pool.no_seeds" || c == "pool.seed_failed")
        return "Cannot reach the network: the list of service nodes could not be fetched.";
    if (c.starts_with("path.")) return "Cannot build a private path through the network; retrying.";
    if (c == "net.timeout") return "The network is not answering; retrying.";
    return "Cannot reach the network; retrying.";
}

std::string not_saved(const Error& e) {
    if (e.code == "store.quota_exceeded")
        return "Not sent: this browser's storage for Session Tab is full, so the message could not be kept.";
    return "Not sent: the message could not be saved in this browser.";
}

std::string storage_failure(const Error& e) {
    if (e.code == "store.quota_exceeded")
        return "This browser's storage for Session Tab is full: new messages are not being saved.";
    return "Saving to this browser's storage failed: recent changes may be lost when the tab closes.";
}

std::string name_lookup_failure(const Error& e) {
    const std::string_view c = e.code;
    if (c == "ons.not_found") return "No Session ID is registered for that name.";
    if (c == "ons.invalid_name")
        return "That is neither a Session ID nor a valid name (letters, digits, - and _).";
    if (e.transient()) return "The name could not be looked up: the network is not answering. Try again.";
    return "The name could not be looked up.";
}

}  // namespace st::app::sentences
