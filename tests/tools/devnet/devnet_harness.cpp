#include "devnet_harness.hpp"

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

extern char** environ;

namespace devnet_test {

namespace fs = std::filesystem;

bool DevnetConfig::tls_from_environment() {
    const char* v = std::getenv("DEVNET_TLS");
    return v && std::string{v} == "1";
}

DevnetProcess::DevnetProcess(DevnetConfig config) {
    tls_ = config.tls;
    devnet_client::use_tls(tls_);
    if (config.data_dir.empty()) {
        std::string tmpl = (fs::temp_directory_path() / "devnet-test-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) throw std::runtime_error{"mkdtemp failed"};
        data_dir_ = tmpl;
        own_dir_ = true;
    } else {
        data_dir_ = config.data_dir;
    }

    std::vector<std::string> args{DEVNET_EXE,
                                  "--nodes", std::to_string(config.nodes),
                                  "--swarm-size", std::to_string(config.swarm_size),
                                  "--port", "0",
                                  "--data", data_dir_,
                                  "--relay-timeout", std::to_string(config.relay_timeout_ms),
                                  "--forward-timeout", std::to_string(config.forward_timeout_ms)};
    if (tls_) args.push_back("--tls");
    args.insert(args.end(), config.extra_args.begin(), config.extra_args.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error{"pipe failed"};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    int rc = ::posix_spawn(&pid_, DEVNET_EXE, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    out_fd_ = fds[0];
    if (rc != 0) throw std::runtime_error{"cannot start " DEVNET_EXE};

    // Read lines until "devnet: ready" (the seed line comes first).
    std::string buffer;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{20};
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) throw std::runtime_error{"devnet did not become ready:\n" + buffer};
        pollfd p{out_fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        char chunk[4096];
        auto n = ::read(out_fd_, chunk, sizeof chunk);
        if (n <= 0) throw std::runtime_error{"devnet exited during startup:\n" + buffer};
        buffer.append(chunk, static_cast<std::size_t>(n));
        if (buffer.find("devnet: ready\n") != std::string::npos) break;
    }
    auto pos = buffer.find("devnet: seed  ");
    if (pos == std::string::npos) throw std::runtime_error{"no seed line:\n" + buffer};
    auto end = buffer.find('\n', pos);
    seed_url_ = buffer.substr(pos + 14, end - pos - 14);
    seed_ = devnet_client::parse_url(seed_url_);
    if (seed_.https != tls_) throw std::runtime_error{"unexpected seed URL " + seed_url_};
    if (tls_) {
        auto p = buffer.find("devnet: seed-pin ");
        if (p == std::string::npos) throw std::runtime_error{"no seed-pin line:\n" + buffer};
        seed_pin_ = buffer.substr(p + 17, buffer.find('\n', p) - p - 17);
        auto presented = devnet_client::peer_certificate_sha256(seed_.host, seed_.port);
        if (presented != seed_pin_)
            throw std::runtime_error{"the seed presents " + presented + ", not the printed pin " +
                                     seed_pin_};
    }
}

DevnetProcess::~DevnetProcess() {
    stop();
    if (own_dir_) {
        std::error_code ec;
        fs::remove_all(data_dir_, ec);
    }
}

int DevnetProcess::stop() {
    if (pid_ <= 0) return 0;
    ::kill(pid_, SIGTERM);
    // Drain its output so it never blocks on a full pipe while stopping.
    char chunk[4096];
    while (::read(out_fd_, chunk, sizeof chunk) > 0) {
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    ::close(out_fd_);
    pid_ = -1;
    out_fd_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

json DevnetProcess::admin(const json& cmd) const {
    auto r = devnet_client::http_post(seed_.host, seed_.port, "/admin", cmd.dump());
    if (r.status != 200) throw std::runtime_error{"admin " + cmd.dump() + ": " + r.body};
    return json::parse(r.body);
}

std::vector<devnet_client::NodeInfo> DevnetProcess::nodes() const {
    return devnet_client::fetch_nodes(seed_url_);
}

devnet_client::HttpResult DevnetProcess::rpc(std::uint16_t port, const std::string& method,
                                             const json& params) const {
    return devnet_client::http_post("127.0.0.1", port, "/storage_rpc/v1",
                                    devnet_client::rpc_body(method, params));
}

devnet_client::HttpResult DevnetProcess::onion(std::uint16_t guard_port,
                                               const std::string& body) const {
    return devnet_client::http_post("127.0.0.1", guard_port, "/onion_req/v2", body);
}

std::vector<devnet_client::NodeInfo> members(const std::vector<devnet_client::NodeInfo>& nodes,
                                             std::uint64_t swarm_id) {
    std::vector<devnet_client::NodeInfo> out;
    for (const auto& n : nodes)
        if (n.swarm_id == swarm_id) out.push_back(n);
    return out;
}

std::vector<devnet_client::NodeInfo> non_members(
        const std::vector<devnet_client::NodeInfo>& nodes, std::uint64_t swarm_id) {
    std::vector<devnet_client::NodeInfo> out;
    for (const auto& n : nodes)
        if (n.swarm_id != swarm_id) out.push_back(n);
    return out;
}

}  // namespace devnet_test
