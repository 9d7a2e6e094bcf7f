#include "platform/fetch_transport.hpp"

#include <emscripten.h>

#include <cstdlib>
#include <string>
#include <utility>

#include "platform/lifecycle.hpp"

extern "C" {
// platform/fetch_transport.js
void st_fetch_start(std::uint32_t slot, const char* url, const char* method, const char* headers,
                    const std::uint8_t* body, std::size_t body_size, double timeout_ms,
                    double max_response_bytes);
void st_fetch_abort(std::uint32_t slot);
}

namespace st::wasm {
namespace {

// Completion kinds reported by fetch_transport.js.
enum FetchError : int { kOk = 0, kNetwork = 1, kTimedOut = 2, kAborted = 3, kTooLarge = 4, kUrl = 5 };

// Slots are unique across all transports of the page, so a completion finds its transport even
// after another transport was created.
std::uint32_t g_next_slot = 1;
std::unordered_map<std::uint32_t, FetchTransport*> g_slots;

}  // namespace

FetchTransport::FetchTransport(Loop& loop, std::size_t max_response_bytes)
    : loop_(loop), max_response_(max_response_bytes) {}

FetchTransport::~FetchTransport() {
    for (auto& [slot, done] : pending_) {
        st_fetch_abort(slot);
        g_slots.erase(slot);
    }
}

net::RequestId FetchTransport::send(net::HttpRequest request, Callback<net::HttpResponse> done) {
    const std::uint32_t slot = g_next_slot++;
    if (request.url.empty()) {
        loop_.post([done = std::move(done)] { done(fail(net::kBadUrl, "The request has no URL.")); });
        wake_loop();
        return slot;
    }
    // Headers travel as "name: value" lines; a line break inside a header would split it, so
    // such headers are dropped (no legitimate header has one).
    std::string headers;
    for (const net::Header& h : request.headers) {
        if (h.name.find_first_of("\r\n:") != std::string::npos ||
            h.value.find_first_of("\r\n") != std::string::npos) {
            continue;
        }
        headers += h.name;
        headers += ": ";
        headers += h.value;
        headers += '\n';
    }
    pending_.emplace(slot, std::move(done));
    g_slots.emplace(slot, this);
    // fetch() copies the body before st_fetch_start returns, so `request` may go now.
    st_fetch_start(slot, request.url.c_str(), request.method.c_str(), headers.c_str(),
                   request.body.data(), request.body.size(),
                   static_cast<double>(request.timeout.count()),
                   static_cast<double>(max_response_));
    return slot;
}

void FetchTransport::cancel(net::RequestId id) {
    const auto slot = static_cast<std::uint32_t>(id);
    auto it = pending_.find(slot);
    if (it == pending_.end()) return;  // unknown, or already answered (the answer stands)
    auto done = std::move(it->second);
    pending_.erase(it);
    g_slots.erase(slot);
    st_fetch_abort(slot);
    loop_.post([done = std::move(done)] { done(fail(net::kCancelled, "The request was cancelled.")); });
    wake_loop();
}

void FetchTransport::complete(std::uint32_t slot, int status, std::uint8_t* body, std::size_t size,
                              int error) {
    net::HttpResponse response;
    if (body != nullptr) response.body.assign(body, body + size);
    std::free(body);
    auto it = pending_.find(slot);
    if (it == pending_.end()) return;
    auto done = std::move(it->second);
    pending_.erase(it);
    g_slots.erase(slot);

    Result<net::HttpResponse> result = [&]() -> Result<net::HttpResponse> {
        switch (error) {
            case kOk:
                response.status = status;
                return response;
            case kTimedOut: return fail(net::kTimeout, "No answer in time.");
            case kAborted: return fail(net::kCancelled, "The request was cancelled.");
            case kTooLarge:
                return fail(net::kResponseTooLarge,
                            "The answer was larger than " + std::to_string(max_response_) +
                                " bytes.");
            case kUrl: return fail(net::kBadUrl, "The browser cannot fetch this URL.");
            default: return fail(net::kUnreachable, "The server could not be reached.");
        }
    }();
    loop_.post([done = std::move(done), result = std::move(result)]() mutable {
        done(std::move(result));
    });
    wake_loop();
}

}  // namespace st::wasm

extern "C" EMSCRIPTEN_KEEPALIVE void st_fetch_complete(std::uint32_t slot, int status,
                                                       std::uint8_t* body, std::size_t size,
                                                       int error) {
    auto it = st::wasm::g_slots.find(slot);
    if (it == st::wasm::g_slots.end()) {
        std::free(body);  // cancelled or its transport is gone
        return;
    }
    it->second->complete(slot, status, body, size, error);
}
