// A tiny argument reader for session-cli: positional words and "--name value" options, with a
// UsageError for anything malformed. Every command reports failure the same way: exit code 2 and
// one line on stderr.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace st::cli {

inline constexpr int kExitBadInput = 2;

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Args {
public:
    // `flags` lists the options that take a value, `switches` those that take none (get() gives
    // "" when present); anything else starting with "--" is an error.
    Args(const std::vector<std::string>& words, const std::vector<std::string>& flags,
         const std::vector<std::string>& switches = {});

    const std::vector<std::string>& positional() const { return positional_; }
    std::optional<std::string> get(const std::string& flag) const;
    std::string require(const std::string& flag) const;
    std::vector<std::string> all(const std::string& flag) const;  // a repeatable option
    // Exactly n positional words, else a UsageError naming `what`.
    void expect_positional(std::size_t n, const std::string& what) const;

private:
    std::vector<std::string> positional_;
    std::multimap<std::string, std::string> options_;
};

}  // namespace st::cli
