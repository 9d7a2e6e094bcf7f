// Runs session-cli (SESSION_CLI_EXE, defined by the test's CMake registration) as a child process
// for the devnet integration tests: the words are passed as they are (no shell, so JSON and
// quotes need no escaping), stdout and stderr are read apart (stdout holds the JSON) and both are
// drained while it runs, so a chatty child never blocks on a full pipe.
#pragma once

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <sstream>
#include <string>
#include <vector>

#include "devnet_client.hpp"

namespace devnet_test {

struct CliRun {
    int status = -1;  // the exit code; -1 if it could not run or died by a signal
    std::string out;  // stdout
    std::string err;  // stderr
};

#ifdef SESSION_CLI_EXE
inline CliRun run_cli(const std::vector<std::string>& words) {
    CliRun r;
    int out_pipe[2], err_pipe[2];
    if (::pipe(out_pipe) != 0) return r;
    if (::pipe(err_pipe) != 0) {
        ::close(out_pipe[0]);
        ::close(out_pipe[1]);
        return r;
    }
    std::vector<std::string> argv_s{SESSION_CLI_EXE};
    argv_s.insert(argv_s.end(), words.begin(), words.end());
    std::vector<char*> argv;
    for (auto& w : argv_s) argv.push_back(w.data());
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(out_pipe[1], 1);
        ::dup2(err_pipe[1], 2);
        ::close(out_pipe[0]);
        ::close(out_pipe[1]);
        ::close(err_pipe[0]);
        ::close(err_pipe[1]);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    if (pid < 0) {
        ::close(out_pipe[0]);
        ::close(err_pipe[0]);
        return r;
    }
    std::array<pollfd, 2> fds{pollfd{out_pipe[0], POLLIN, 0}, pollfd{err_pipe[0], POLLIN, 0}};
    std::array<std::string*, 2> sinks{&r.out, &r.err};
    int open = 2;
    while (open > 0) {
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            std::array<char, 4096> buf{};
            const ssize_t n = ::read(fds[i].fd, buf.data(), buf.size());
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            } else {
                sinks[i]->append(buf.data(), static_cast<std::size_t>(n));
            }
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0) ::close(f.fd);
    int st = 0;
    while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}
#endif

// The lines of `out` that are JSON objects, parsed.
inline std::vector<devnet_client::json> json_lines(const std::string& out) {
    std::vector<devnet_client::json> v;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] == '{') v.push_back(devnet_client::json::parse(line));
    return v;
}

// The first JSON line of `out`, or null.
inline devnet_client::json first_json_line(const std::string& out) {
    auto v = json_lines(out);
    return v.empty() ? devnet_client::json() : v.front();
}

}  // namespace devnet_test
