#include "relay/static_files.hpp"

#include <openssl/evp.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <utility>

namespace st::relay {

namespace fs = std::filesystem;

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    const char l = lower(c);
    if (l >= 'a' && l <= 'f') return l - 'a' + 10;
    return -1;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// The extension in lower case, without the dot ("" if none).
std::string extension(std::string_view filename) {
    const std::size_t slash = filename.rfind('/');
    if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
    const std::size_t dot = filename.rfind('.');
    if (dot == std::string_view::npos) return {};
    std::string ext(filename.substr(dot + 1));
    for (char& c : ext) c = lower(c);
    return ext;
}

constexpr std::size_t kMaxTarget = 2048;

// The files the manifest counts, by relative path ('/'-separated), sorted bytewise
// (std::string compares as unsigned char, as `LC_ALL=C sort` does).
Result<std::vector<std::pair<std::string, fs::path>>> manifest_files(const fs::path& root) {
    std::vector<std::pair<std::string, fs::path>> files;
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
    if (ec) return fail("static.fingerprint", "cannot list " + root.string() + ": " + ec.message());
    for (; it != end; it.increment(ec)) {
        if (ec) return fail("static.fingerprint", "cannot list " + root.string() + ": " + ec.message());
        const std::string name = it->path().filename().string();
        const auto status = it->symlink_status(ec);
        if (!name.empty() && name.front() == '.') {
            if (fs::is_directory(status)) it.disable_recursion_pending();
            continue;
        }
        if (!fs::is_regular_file(status)) continue;
        files.emplace_back(it->path().lexically_relative(root).generic_string(), it->path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string to_hex(const unsigned char* data, std::size_t size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out += kDigits[data[i] >> 4];
        out += kDigits[data[i] & 15];
    }
    return out;
}

// SHA-256 of a file read in pieces, or of `text` when `file` is null.
std::optional<std::string> sha256_hex(const fs::path* file, std::string_view text = {}) {
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return std::nullopt;
    if (file) {
        std::ifstream in(*file, std::ios::binary);
        if (!in) return std::nullopt;
        std::array<char, 64 * 1024> buffer;
        while (in) {
            in.read(buffer.data(), buffer.size());
            if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<std::size_t>(in.gcount()));
        }
        if (in.bad()) return std::nullopt;
    } else {
        EVP_DigestUpdate(ctx.get(), text.data(), text.size());
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1) return std::nullopt;
    return to_hex(digest, length);
}

}  // namespace

Result<std::string> static_relative_path(std::string_view target) {
    if (target.size() > kMaxTarget) return fail("static.bad_path", "the path is too long");
    if (target.empty() || target.front() != '/') {
        return fail("static.bad_path", "the path must start with '/'");
    }
    target = target.substr(0, target.find_first_of("?#"));
    target.remove_prefix(1);
    std::string out;
    while (true) {
        const std::size_t slash = target.find('/');
        const std::string_view raw = target.substr(0, slash);
        const bool last = slash == std::string_view::npos;
        if (raw.empty()) {
            if (!last) return fail("static.bad_path", "the path has an empty segment");
            out += "index.html";  // "/" or "/dir/" asks for the folder's index
            break;
        }
        std::string segment;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] != '%') {
                segment += raw[i];
                continue;
            }
            if (i + 2 >= raw.size()) {
                return fail("static.bad_path", "the path has a bad % escape");
            }
            const int hi = hex_value(raw[i + 1]);
            const int lo = hex_value(raw[i + 2]);
            if (hi < 0 || lo < 0) return fail("static.bad_path", "the path has a bad % escape");
            segment += static_cast<char>(hi * 16 + lo);
            i += 2;
        }
        for (char c : segment) {
            const auto u = static_cast<unsigned char>(c);
            if (c == '/' || c == '\\' || u < 0x20 || u == 0x7f) {
                return fail("static.bad_path", "the path has a forbidden character");
            }
        }
        if (segment.front() == '.') {
            return fail("static.bad_path", "dot segments and dotfiles are not served");
        }
        out += segment;
        if (last) break;
        out += '/';
        target.remove_prefix(slash + 1);
    }
    return out;
}

std::optional<fs::path> resolve_in_root(const fs::path& canonical_root, std::string_view relative) {
    std::error_code ec;
    const fs::path real = fs::canonical(canonical_root / fs::path(relative), ec);
    if (ec) return std::nullopt;
    // Inside the root means: the root's components are a proper prefix of the file's.
    auto r = canonical_root.begin();
    auto f = real.begin();
    for (; r != canonical_root.end(); ++r, ++f) {
        if (f == real.end() || *r != *f) return std::nullopt;
    }
    if (f == real.end()) return std::nullopt;  // the root itself
    if (!fs::is_regular_file(real, ec) || ec) return std::nullopt;
    return real;
}

Result<SiteManifest> site_manifest(const fs::path& root) {
    auto files = manifest_files(root);
    if (!files) return Unexpected<Error>(files.error());
    SiteManifest manifest;
    for (const auto& [relative, path] : *files) {
        // A newline in a name would make the manifest ambiguous; the build never makes one.
        if (relative.find('\n') != std::string::npos) continue;
        auto sum = sha256_hex(&path);
        if (!sum) return fail("static.fingerprint", "cannot read " + path.string());
        manifest.text += *sum + "  " + relative + "\n";
    }
    auto sum = sha256_hex(nullptr, manifest.text);
    if (!sum) return fail("static.fingerprint", "SHA-256 is not available");
    manifest.sha256 = std::move(*sum);
    return manifest;
}

std::string group_hex(std::string_view hex) {
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 4) {
        if (i > 0) out += ' ';
        out += hex.substr(i, 4);
    }
    return out;
}

const std::string& SiteFingerprint::get() {
    std::vector<Stamp> stamps;
    auto files = manifest_files(root_);
    if (files) {
        for (const auto& [relative, path] : *files) {
            std::error_code ec;
            const auto size = fs::file_size(path, ec);
            const auto time = fs::last_write_time(path, ec);
            stamps.push_back(Stamp{relative, ec ? 0 : size,
                                   ec ? 0 : static_cast<std::int64_t>(time.time_since_epoch().count())});
        }
    }
    if (known_ && stamps == stamps_) return grouped_;
    auto manifest = site_manifest(root_);
    grouped_ = manifest ? group_hex(manifest->sha256) : std::string();
    // A failed read is tried again on the next call.
    known_ = manifest.has_value();
    stamps_ = std::move(stamps);
    return grouped_;
}

std::string_view mime_type(std::string_view filename) {
    static const std::array<std::pair<std::string_view, std::string_view>, 22> types = {{
        {"html", "text/html; charset=utf-8"},
        {"htm", "text/html; charset=utf-8"},
        {"js", "text/javascript; charset=utf-8"},
        {"mjs", "text/javascript; charset=utf-8"},
        {"wasm", "application/wasm"},
        {"css", "text/css; charset=utf-8"},
        {"json", "application/json"},
        {"map", "application/json"},
        {"webmanifest", "application/manifest+json"},
        {"txt", "text/plain; charset=utf-8"},
        {"data", "application/octet-stream"},
        {"ttf", "font/ttf"},
        {"otf", "font/otf"},
        {"woff", "font/woff"},
        {"woff2", "font/woff2"},
        {"png", "image/png"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"gif", "image/gif"},
        {"svg", "image/svg+xml"},
        {"ico", "image/x-icon"},
        {"webp", "image/webp"},
    }};
    const std::string ext = extension(filename);
    for (const auto& [e, type] : types) {
        if (e == ext) return type;
    }
    return "application/octet-stream";
}

bool is_compressible(std::string_view filename) {
    static const std::array<std::string_view, 14> exts = {
        "html", "htm",         "js",  "mjs",  "wasm", "css", "json",
        "map",  "webmanifest", "txt", "data", "ttf",  "otf", "svg"};
    const std::string ext = extension(filename);
    for (auto e : exts) {
        if (e == ext) return true;
    }
    return false;
}

bool accepts_encoding(std::string_view header, std::string_view wanted) {
    bool allowed = false;
    bool star = false;
    bool named = false;
    const bool want_gzip = iequals(wanted, "gzip");
    while (!header.empty()) {
        const std::size_t comma = header.find(',');
        std::string_view item = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        const std::size_t semi = item.find(';');
        const std::string_view coding = trim(item.substr(0, semi));
        bool refused = false;
        if (semi != std::string_view::npos) {
            std::string_view params = item.substr(semi + 1);
            // q=0, q=0.0, q=0.00, q=0.000 refuse the coding; any other q accepts it.
            while (!params.empty()) {
                const std::size_t next = params.find(';');
                std::string_view param = trim(params.substr(0, next));
                params =
                    next == std::string_view::npos ? std::string_view{} : params.substr(next + 1);
                if (param.size() >= 2 && lower(param[0]) == 'q' && param[1] == '=') {
                    std::string_view q = trim(param.substr(2));
                    refused = !q.empty() && q.front() == '0' &&
                              q.find_first_not_of("0.") == std::string_view::npos;
                }
            }
        }
        if (iequals(coding, wanted) || (want_gzip && iequals(coding, "x-gzip"))) {
            named = true;
            allowed = !refused;
        } else if (coding == "*") {
            star = !refused;
        }
    }
    return named ? allowed : star;
}

bool is_content_hashed(std::string_view filename) {
    const std::size_t slash = filename.rfind('/');
    if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
    // Parts between dots, excluding the first (the name) and the last (the extension).
    std::size_t start = filename.find('.');
    while (start != std::string_view::npos) {
        const std::size_t end = filename.find('.', start + 1);
        if (end == std::string_view::npos) break;
        const std::string_view part = filename.substr(start + 1, end - start - 1);
        if (part.size() >= 8 && part.size() <= 64 &&
            part.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos) {
            return true;
        }
        start = end;
    }
    return false;
}

std::string_view cache_control(std::string_view filename) {
    const std::string ext = extension(filename);
    // HTML is never used from a cache without asking: it names the (content-hashed) scripts to
    // run, so a stale copy could pin an old app. "no-cache" rather than "no-store": every use
    // revalidates (a 304 of a few hundred bytes on reload), and Chrome keeps the page eligible
    // for the back/forward cache. Names without a hash revalidate the same way.
    if (ext == "html" || ext == "htm" || !is_content_hashed(filename)) return "no-cache";
    return "public, max-age=31536000, immutable";
}

std::string make_etag(std::uintmax_t size, std::int64_t mtime, std::string_view variant) {
    char buffer[64];
    const int n =
        std::snprintf(buffer, sizeof buffer, "\"%jx-%llx%s%.*s\"",
                      static_cast<std::uintmax_t>(size), static_cast<unsigned long long>(mtime),
                      variant.empty() ? "" : "-", static_cast<int>(variant.size()), variant.data());
    return std::string(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
}

bool if_none_match_hits(std::string_view header, std::string_view etag) {
    const auto opaque = [](std::string_view tag) {
        tag = trim(tag);
        if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
        return tag;
    };
    const std::string_view wanted = opaque(etag);
    while (!header.empty()) {
        const std::size_t comma = header.find(',');
        const std::string_view item = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        if (item == "*" || (!item.empty() && opaque(item) == wanted)) return true;
    }
    return false;
}

Result<std::string> gzip_compress(std::string_view data, int level) {
    z_stream z{};
    // windowBits 15 + 16: a gzip header and trailer instead of a zlib one.
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return fail("static.gzip_failed", "zlib could not start");
    }
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    const auto produced = static_cast<std::size_t>(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END) return fail("static.gzip_failed", "zlib could not finish");
    out.resize(produced);
    return out;
}

const std::string* GzipCache::get(const fs::path& file, std::uintmax_t size, std::int64_t mtime) {
    if (size > max_file_) return nullptr;
    const std::string key = file.string();
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.size == size && it->second.mtime == mtime) {
        return it->second.gz ? &*it->second.gz : nullptr;
    }
    if (it != entries_.end()) {
        total_ -= it->second.gz ? it->second.gz->size() : 0;
        entries_.erase(it);
    }
    std::ifstream in(file, std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) return nullptr;
    if (content.size() != size) return nullptr;  // changed while being read: try next time
    std::optional<std::string> gz;
    if (auto compressed = gzip_compress(content, 9);
        compressed && compressed->size() * 10 < content.size() * 9) {
        gz = std::move(*compressed);
    }
    const std::size_t bytes = gz ? gz->size() : 0;
    if (total_ + bytes > max_total_) {
        entries_.clear();
        total_ = 0;
    }
    total_ += bytes;
    auto& entry = entries_[key] = Entry{size, mtime, std::move(gz)};
    return entry.gz ? &*entry.gz : nullptr;
}

}  // namespace st::relay
