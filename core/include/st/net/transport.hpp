// The bottom of the network stack (architecture.md §4): one HTTP request out, one answer back. The
// host implements it (a Boost.Asio client natively, fetch through the relay in the browser, a
// scripted fake in tests); nothing above this interface knows how bytes move.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"

namespace st::net {

// Transport error codes. An HTTP answer with any status (404, 502, ...) is not an error: it is an
// HttpResponse; these mean no answer was received at all.
inline constexpr std::string_view kTimeout = "net.timeout";  // no answer within the timeout
inline constexpr std::string_view kUnreachable =
    "net.unreachable";                                           // refused, reset, no route, DNS
inline constexpr std::string_view kCancelled = "net.cancelled";  // cancel() was called
inline constexpr std::string_view kTls = "net.tls";              // the TLS handshake failed
inline constexpr std::string_view kBadUrl = "net.bad_url";       // the URL cannot be used
inline constexpr std::string_view kResponseTooLarge = "net.too_large";  // over the host's limit

struct Header {
    std::string name;
    std::string value;
};

struct HttpRequest {
    std::string method = "POST";
    std::string url;  // http://, https:// (self-signed certificates accepted), or a relay URL
    std::vector<Header> headers;
    Bytes body;
    std::chrono::milliseconds timeout{10000};  // whole request: connect, send, receive
};

struct HttpResponse {
    int status = 0;
    Bytes body;
};

using RequestId = std::uint64_t;

class Transport {
public:
    virtual ~Transport() = default;

    // Starts a request. Contract for every implementation:
    //  * `done` runs exactly once, from the Loop's run_ready(), never inline from send();
    //  * it receives the HTTP answer, whatever its status, or one of the errors above;
    //  * after cancel(id) it still runs once (with kCancelled unless the answer already came).
    // The returned id is unique for the transport's lifetime.
    virtual RequestId send(HttpRequest request, Callback<HttpResponse> done) = 0;
    virtual void cancel(RequestId id) = 0;
};

}  // namespace st::net
