#include "args.hpp"

#include <algorithm>

namespace st::cli {

Args::Args(const std::vector<std::string>& words, const std::vector<std::string>& flags,
           const std::vector<std::string>& switches) {
    for (std::size_t i = 0; i < words.size(); ++i) {
        const auto& w = words[i];
        if (w.rfind("--", 0) == 0 && w.size() > 2) {
            std::string name = w.substr(2);
            if (std::find(switches.begin(), switches.end(), name) != switches.end()) {
                options_.emplace(name, std::string());
                continue;
            }
            if (std::find(flags.begin(), flags.end(), name) == flags.end())
                throw UsageError("unknown option " + w);
            if (i + 1 >= words.size()) throw UsageError("option " + w + " needs a value");
            options_.emplace(name, words[++i]);
        } else {
            positional_.push_back(w);
        }
    }
}

std::optional<std::string> Args::get(const std::string& flag) const {
    auto [lo, hi] = options_.equal_range(flag);
    if (lo == hi) return std::nullopt;
    if (std::next(lo) != hi) throw UsageError("option --" + flag + " given more than once");
    return lo->second;
}

std::string Args::require(const std::string& flag) const {
    auto v = get(flag);
    if (!v) throw UsageError("missing option --" + flag);
    return *v;
}

std::vector<std::string> Args::all(const std::string& flag) const {
    std::vector<std::string> out;
    auto [lo, hi] = options_.equal_range(flag);
    for (auto it = lo; it != hi; ++it) out.push_back(it->second);
    return out;
}

void Args::expect_positional(std::size_t n, const std::string& what) const {
    if (positional_.size() < n) throw UsageError("missing " + what);
    if (positional_.size() > n) throw UsageError("unexpected argument '" + positional_[n] + "'");
}

}  // namespace st::cli
