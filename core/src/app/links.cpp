// Links into the app (docs/links.md): the host hands over the URL fragment at start and whenever
// it changes. "#/dm/<Session ID>" opens that conversation, or offers to start it (the New
// conversation panel, filled in: nothing is approved or sent until the person says so);
// "#/account/<ID prefix>" shows that account of this browser (the host keeps a tab's address on
// the account it shows, so a reload stays on it). A link that cannot be followed says
// why and changes nothing.
#include <algorithm>
#include <cctype>

#include "account_session.hpp"
#include "held_account.hpp"
#include "st/app/client.hpp"
#include "st/crypto/session_id.hpp"
#include "text.hpp"

namespace st::app {
namespace {

// Longer than any link we make (a Session ID is 66 characters).
constexpr std::size_t kMaxLinkChars = 200;
// An account prefix must say enough to tell accounts apart.
constexpr std::size_t kMinAccountPrefix = 8;

bool all_hex(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

void Client::open_link(std::string fragment) {
    if (!fragment.empty() && fragment.front() == '#') fragment.erase(0, 1);
    if (fragment.empty() || fragment == "/") return;  // no link: the app as it was
    link_.problem.reset();
    changed();
    // Until an account is open the link waits (it is followed after creating or restoring one).
    if (!account() || account()->awaiting_name() || view_.loading) {
        pending_link_ = std::move(fragment);
        return;
    }
    apply_link(fragment);
}

void Client::refuse_link(std::string code, std::string sentence) {
    link_.problem = Problem{std::move(code), std::move(sentence), std::nullopt};
    changed();
}

void Client::apply_link(const std::string& fragment) {
    if (fragment.size() > kMaxLinkChars) {
        return refuse_link("link.too_long", "This link is too long to be a Session Tab link.");
    }
    const std::string me = account()->identity().session_id().hex();
    if (fragment.starts_with("/dm/")) {
        const std::string typed = fragment.substr(4);
        auto id = crypto::SessionId::parse(typed);
        if (!id) {
            return refuse_link(std::string(id.error().code),
                               "This link does not lead to a conversation: " + id.error().message);
        }
        const std::string peer = id->hex();
        if (peer == me) return refuse_link("link.own_id", "This link leads to your own Session ID.");
        if (account()->has_conversation(peer)) {
            dispatch(intent::OpenConversation{peer});
        } else {
            link_.offer_session_id = peer;
            ++link_.offers;
        }
        changed();
        return;
    }
    if (fragment.starts_with("/account/")) {
        const std::string prefix = fragment.substr(9);
        if (prefix.size() < kMinAccountPrefix || prefix.size() > me.size() || !all_hex(prefix)) {
            return refuse_link("link.bad_account",
                               "This link does not name an account: it needs at least the first " +
                                   std::to_string(kMinAccountPrefix) + " characters of a Session ID.");
        }
        std::string lower = prefix;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
        if (me.starts_with(lower)) return;  // the account on screen is the one the link names
        for (const auto& [id, held] : held_) {
            if (id.starts_with(lower)) return switch_account(id);
        }
        return refuse_link("link.other_account", "This link is for the account " + text::short_id(lower) +
                                                     ", which is not in this browser. You are using " +
                                                     text::short_id(me) + ".");
    }
    refuse_link("link.unknown", "Session Tab does not understand this link.");
}

}  // namespace st::app
