#include "fake_transport.hpp"

namespace st::test {

FakeTransport::Reply FakeTransport::Reply::http(int status, std::string_view body) {
    return http(status, to_bytes(body));
}

FakeTransport::Reply FakeTransport::Reply::http(int status, Bytes body) {
    Reply r;
    r.response.status = status;
    r.response.body = std::move(body);
    return r;
}

FakeTransport::Reply FakeTransport::Reply::fail_with(std::string_view code, std::string message) {
    Reply r;
    r.kind = Kind::error;
    r.error = Error{code, std::move(message)};
    return r;
}

FakeTransport::Reply FakeTransport::Reply::hang() {
    Reply r;
    r.kind = Kind::hang;
    return r;
}

FakeTransport::Reply FakeTransport::Reply::after(std::chrono::milliseconds latency) && {
    delay = latency;
    return std::move(*this);
}

FakeTransport::FakeTransport(Loop& loop) : loop_(loop) {
    fallback_ = [](const net::HttpRequest& r) {
        return Reply::fail_with(net::kUnreachable, "no route to " + r.url);
    };
}

void FakeTransport::route(std::string prefix, Handler handler) {
    routes_[std::move(prefix)] = std::move(handler);
}

void FakeTransport::unroute(const std::string& prefix) { routes_.erase(prefix); }

std::size_t FakeTransport::count(std::string_view url_prefix) const {
    std::size_t n = 0;
    for (const auto& r : sent_)
        if (std::string_view(r.url).substr(0, url_prefix.size()) == url_prefix) ++n;
    return n;
}

net::RequestId FakeTransport::send(net::HttpRequest request, Callback<net::HttpResponse> done) {
    const net::RequestId id = next_id_++;
    sent_.push_back(request);
    const Handler* handler = &fallback_;
    std::size_t best = 0;
    for (const auto& [prefix, h] : routes_)
        if (request.url.compare(0, prefix.size(), prefix) == 0 && prefix.size() >= best) {
            best = prefix.size();
            handler = &h;
        }
    Reply reply = (*handler)(request);
    pending_[id] = Pending{std::move(done), 0};
    if (reply.kind == Reply::Kind::hang) return id;
    Result<net::HttpResponse> result =
        reply.kind == Reply::Kind::error ? Result<net::HttpResponse>(Unexpected<Error>(reply.error))
                                         : Result<net::HttpResponse>(std::move(reply.response));
    auto task = [this, id, result = std::move(result)]() mutable {
        deliver(id, std::move(result));
    };
    if (reply.delay.count() > 0)
        pending_[id].timer = loop_.post_after(reply.delay, std::move(task));
    else
        loop_.post(std::move(task));
    return id;
}

void FakeTransport::cancel(net::RequestId id) {
    auto it = pending_.find(id);
    if (it == pending_.end()) return;
    ++cancelled_;
    if (it->second.timer) loop_.cancel(it->second.timer);
    it->second.timer = 0;
    loop_.post([this, id] { deliver(id, fail(net::kCancelled, "cancelled")); });
}

void FakeTransport::deliver(net::RequestId id, Result<net::HttpResponse> result) {
    auto it = pending_.find(id);
    if (it == pending_.end()) return;  // already delivered (cancel raced an answer)
    auto done = std::move(it->second.done);
    pending_.erase(it);
    done(std::move(result));
}

}  // namespace st::test
