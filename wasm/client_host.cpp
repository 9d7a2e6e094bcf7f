// The product's AppHost: st::app::Client on the browser's clock, fetch() and IndexedDB, talking to
// Session nodes through the relay that served the page (same origin: the page's CSP allows
// nothing else). The relay tells its network ("devnet" or "live") at GET /relay/info; the Client
// is built once that answer (or its failure) is in.
#include <emscripten.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "app_host.hpp"
#include "imgui_host.hpp"
#include "platform/fetch_transport.hpp"
#include "platform/idb_kv_store.hpp"
#include "platform/tab_leases.hpp"
#include "st/app/client.hpp"
#include "st/store/memory_kv_store.hpp"
#include "st/base/clock.hpp"
#include "st/base/loop.hpp"
#include "st/net/addressing.hpp"

namespace st::wasm {
namespace {

// clang-format off
EM_JS(char*, st_js_origin, (), {
    var text = location.origin;
    var size = lengthBytesUTF8(text) + 1;
    var ptr = _malloc(size);
    stringToUTF8(text, ptr, size);
    return ptr;
});
// A parameter of the page's query string ("" when absent).
EM_JS(char*, st_js_query, (const char* name), {
    var value = new URLSearchParams(location.search).get(UTF8ToString(name)) || "";
    var size = lengthBytesUTF8(value) + 1;
    var ptr = _malloc(size);
    stringToUTF8(value, ptr, size);
    return ptr;
});
// The URL fragment ("#/dm/05…"), and a listener for its changes (links into the app,
// docs/links.md).
EM_JS(char*, st_js_hash, (), {
    var text = location.hash.slice(0, 512);
    var size = lengthBytesUTF8(text) + 1;
    var ptr = _malloc(size);
    stringToUTF8(text, ptr, size);
    return ptr;
});
EM_JS(void, st_js_watch_hash, (), {
    window.addEventListener('hashchange', function() { _st_hash_changed(); });
});
// The tab's address names the account it shows (docs/accounts.md): replaced in place, so neither
// a history entry nor a hashchange comes of it. "" leaves only the path and query.
EM_JS(void, st_js_replace_hash, (const char* fragment), {
    var hash = UTF8ToString(fragment);
    if (location.hash === hash) return;
    history.replaceState(history.state, "", hash || (location.pathname + location.search));
});
EM_JS(char*, st_js_host, (), {
    var text = location.host;
    var size = lengthBytesUTF8(text) + 1;
    var ptr = _malloc(size);
    stringToUTF8(text, ptr, size);
    return ptr;
});
// clang-format on

// Set by the hashchange listener, taken by the next pump().
bool g_hash_changed = false;

std::string take_js_string(char* p) {
    std::string s = p != nullptr ? p : "";
    std::free(p);
    return s;
}

// A string field of the relay's /relay/info answer, without a JSON library in the host: the
// answer is small and flat, and anything unexpected just means `fallback`.
std::string field_from_info(const Bytes& body, const std::string& name, std::size_t max,
                            const std::string& fallback) {
    const std::string text(body.begin(), body.end());
    const auto key = text.find("\"" + name + "\"");
    if (key == std::string::npos) return fallback;
    const auto open = text.find('"', text.find(':', key) + 1);
    const auto close = open == std::string::npos ? open : text.find('"', open + 1);
    if (close == std::string::npos || close - open > max) return fallback;
    return text.substr(open + 1, close - open - 1);
}

std::string network_from_info(const Bytes& body) {
    return field_from_info(body, "network", 32, "devnet");
}

// A number field of /relay/info (nullopt: absent or not a plain non-negative integer).
std::optional<std::int64_t> number_from_info(const Bytes& body, const std::string& name) {
    const std::string text(body.begin(), body.end());
    const auto key = text.find("\"" + name + "\"");
    if (key == std::string::npos) return std::nullopt;
    auto at = text.find(':', key);
    if (at == std::string::npos) return std::nullopt;
    ++at;
    while (at < text.size() && text[at] == ' ') ++at;
    std::int64_t value = 0;
    std::size_t digits = 0;
    for (; at < text.size() && text[at] >= '0' && text[at] <= '9' && digits < 9; ++at, ++digits)
        value = value * 10 + (text[at] - '0');
    if (digits == 0) return std::nullopt;
    return value;
}

bool true_in_info(const Bytes& body, const std::string& name) {
    const std::string text(body.begin(), body.end());
    const auto key = text.find("\"" + name + "\"");
    if (key == std::string::npos) return false;
    const auto at = text.find_first_not_of(' ', text.find(':', key) + 1);
    return at != std::string::npos && text.compare(at, 4, "true") == 0;
}

// Kiosk idle times accepted from the relay or the operator's URL: 30 s to a day.
std::optional<std::chrono::seconds> kiosk_idle(std::optional<std::int64_t> seconds) {
    if (!seconds || *seconds < 30 || *seconds > 86400) return std::nullopt;
    return std::chrono::seconds(*seconds);
}

class ClientHost final : public AppHost {
public:
    ClientHost()
        : loop_(clock_), transport_(loop_), origin_(take_js_string(st_js_origin())) {
        waiting_.loading = true;
        waiting_.network.state = app::Connectivity::Connecting;
        waiting_.network.relay = take_js_string(st_js_host());
    }

    void start() override {
        net::HttpRequest info;
        info.method = "GET";
        info.url = origin_ + "/relay/info";
        info.timeout = std::chrono::milliseconds(5000);
        transport_.send(std::move(info), [this](Result<net::HttpResponse> r) {
            std::string network = "devnet";
            // Kiosk mode (docs/kiosk.md): the relay's operator (relay --kiosk) or an operator URL
            // (?kiosk=1, with ?kiosk_idle_s=N) turns it on; a page cannot turn off the relay's.
            bool kiosk = take_js_string(st_js_query("kiosk")) == "1";
            std::optional<std::chrono::seconds> idle;
            if (r && r->status == 200) {
                network = network_from_info(r->body);
                // The SHA-256 of the site the relay serves, shown in Settings → About.
                site_fingerprint_ = field_from_info(r->body, "site_fingerprint", 80, "");
                if (true_in_info(r->body, "kiosk")) {
                    kiosk = true;
                    idle = kiosk_idle(number_from_info(r->body, "kiosk_idle_s"));
                }
            }
            if (kiosk) {
                const auto query = take_js_string(st_js_query("kiosk_idle_s"));
                if (!query.empty() && query.size() <= 6 &&
                    query.find_first_not_of("0123456789") == std::string::npos) {
                    if (auto from_url = kiosk_idle(std::stoll(query))) idle = from_url;
                }
            }
            build_client(network, kiosk, idle);
        });
    }

    std::size_t pump(std::chrono::milliseconds budget) override {
        const auto deadline = clock_.steady() + budget;
        std::size_t ran = 0;
        if (g_hash_changed && client_) {
            g_hash_changed = false;
            client_->dispatch(app::intent::OpenLink{take_js_string(st_js_hash())});
        }
        do {
            const std::size_t n = loop_.run_ready(64);
            ran += n;
            if (n == 0) break;
        } while (clock_.steady() < deadline);
        return ran;
    }

    const app::AppView& view() override {
        if (!client_) return waiting_;
        const app::AppView& v = client_->view();
        // Kept on the account shown, so a reload of this tab opens it whatever others chose.
        if (v.account_fragment != shown_fragment_ && !v.loading) {
            shown_fragment_ = v.account_fragment;
            if (!shown_fragment_.empty()) st_js_replace_hash(shown_fragment_.c_str());
        }
        return v;
    }

    void dispatch(app::Intent intent) override {
        if (client_) client_->dispatch(std::move(intent));
    }

    void set_foreground(bool foreground) override {
        foreground_ = foreground;
        if (client_) client_->set_foreground(foreground);
    }

    // pagehide: run everything queued, so writes the Client has posted reach the store, then hand
    // the store's waiting batches to IndexedDB while the page can still start transactions
    // (docs/storage.md).
    void flush() override {
        loop_.run_ready();
        if (idb_) idb_->flush();
    }

    void note_input() override {
        if (client_) client_->note_activity();
    }

    std::int64_t now_ms() const override { return clock_.now_ms(); }
    std::optional<std::chrono::milliseconds> next_timer_in() const override {
        if (loop_.has_ready()) return std::chrono::milliseconds(0);
        return loop_.next_timer_in();
    }

private:
    void build_client(const std::string& network, bool kiosk, std::optional<std::chrono::seconds> idle) {
        // The store: IndexedDB, or in kiosk mode memory only — no database is even opened.
        // Tabs sharing IndexedDB share its accounts through leases (docs/accounts.md).
        if (kiosk) {
            store_ = std::make_unique<store::MemoryKvStore>(loop_);
        } else {
            auto idb = std::make_unique<IdbKvStore>(loop_);
            idb_ = idb.get();
            store_ = std::move(idb);
            if (TabLeases::supported()) leases_ = std::make_unique<TabLeases>(loop_);
        }
        app::ClientConfig config;
        config.kiosk = kiosk;
        if (idle) config.kiosk_idle = *idle;
        config.app_version = ST_APP_VERSION;
        config.build_id = ST_BUILD_ID;
        config.site_fingerprint = site_fingerprint_;
        config.network_name = network;
        config.relay_label = waiting_.network.relay;
        // The relay forwards onion requests to the guard named by its Ed25519 key and seed
        // requests to its seed (tools/relay); there is no direct route to a node from a page.
        config.addressing =
            std::make_shared<net::UrlTemplateAddressing>(net::UrlTemplateAddressing::relay(origin_));
        config.network.pool.seed_urls = {origin_ + "/relay/seed"};
        // The local devnet has load to spare: poll every second while a conversation is open so
        // a reply shows within about a second; otherwise every 5 s, as desktop does (protocol
        // §7.1). The live network keeps desktop's 5 s throughout.
        if (network == "devnet") config.poller.conversation_interval = std::chrono::milliseconds(1000);
        config.short_disappearing_timers = network == "devnet";
        // The devnet has a dozen nodes, not thousands: its pool refresh from the nodes (protocol
        // §5.8) must accept agreement on fewer than the live network's 24.
        if (network == "devnet") config.network.pool.min_agreed = 6;
        client_ = std::make_unique<app::Client>(loop_, clock_, transport_, *store_, config, leases_.get());
        client_->set_foreground(foreground_);
        client_->start();
        // A link the page was opened with waits in the Client until the stored account is read.
        client_->dispatch(app::intent::OpenLink{take_js_string(st_js_hash())});
        st_js_watch_hash();
    }

    SystemClock clock_;
    Loop loop_;
    FetchTransport transport_;
    std::unique_ptr<store::KvStore> store_;
    IdbKvStore* idb_ = nullptr;  // store_, when it is IndexedDB
    std::unique_ptr<TabLeases> leases_;
    std::string shown_fragment_;
    std::string origin_;
    std::string site_fingerprint_;
    app::AppView waiting_;
    bool foreground_ = true;
    std::unique_ptr<app::Client> client_;
};

}  // namespace

std::unique_ptr<AppHost> make_app_host() { return std::make_unique<ClientHost>(); }

}  // namespace st::wasm

extern "C" EMSCRIPTEN_KEEPALIVE void st_hash_changed() {
    st::wasm::g_hash_changed = true;
    if (auto* host = st::wasm::active_imgui_host()) host->changed();
}
