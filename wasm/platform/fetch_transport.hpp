// FetchTransport: st::net::Transport over the browser's fetch() (architecture.md §4, the sokol
// pattern). C++ hands JS a slot id and the request; JS fetches with an AbortController for the
// timeout, copies the answer into malloc'd memory and calls st_fetch_complete(slot, ...), which
// queues the callback on the Loop. So every callback runs from Loop::run_ready(), exactly once,
// never inline from send() (the Transport contract).
//
// Errors (no HTTP answer at all): net::kTimeout (no answer within request.timeout),
// net::kUnreachable (refused, reset, CORS, CSP), net::kCancelled (cancel()), net::kBadUrl (empty
// URL or one fetch() rejects outright), net::kResponseTooLarge (over max_response_bytes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "st/base/loop.hpp"
#include "st/net/transport.hpp"

namespace st::wasm {

class FetchTransport final : public net::Transport {
public:
    static constexpr std::size_t kDefaultMaxResponse = 16 * 1024 * 1024;

    explicit FetchTransport(Loop& loop, std::size_t max_response_bytes = kDefaultMaxResponse);
    // Aborts requests still in flight; their callbacks are not invoked (the owner is going away).
    ~FetchTransport() override;
    FetchTransport(const FetchTransport&) = delete;
    FetchTransport& operator=(const FetchTransport&) = delete;

    net::RequestId send(net::HttpRequest request, Callback<net::HttpResponse> done) override;
    void cancel(net::RequestId id) override;

    std::size_t in_flight() const { return pending_.size(); }

    // From JS (st_fetch_complete). `body` is malloc'd; ownership passes here.
    void complete(std::uint32_t slot, int status, std::uint8_t* body, std::size_t size, int error);

private:
    Loop& loop_;
    std::size_t max_response_;
    std::unordered_map<std::uint32_t, Callback<net::HttpResponse>> pending_;
};

}  // namespace st::wasm
