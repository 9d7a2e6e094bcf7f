// Serving the web build: which file a request names, what type it is, how it may be cached and
// whether a gzip form can be sent. Everything here is a pure decision except resolve_in_root
// (which asks the file system where a path really leads) and GzipCache (which reads files).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "st/base/error.hpp"

namespace st::relay {

// Maps a request target ("/a/b.js?v=1") to a relative path inside the web root ("a/b.js").
// The query is dropped; each segment is percent-decoded; "/" and a trailing "/" mean index.html.
// Refused (Error "static.bad_path"): a target not starting with '/', longer than 2048 bytes, a bad
// percent escape, an empty segment ("//"), a segment "." or "..", a segment starting with '.'
// (dotfiles such as .git are never served), or a decoded '/', '\', NUL or control byte (so
// "%2e%2e", "%2f" and "..%5c" cannot climb out).
Result<std::string> static_relative_path(std::string_view target);

// Where `relative` really leads under `canonical_root` (which must itself be canonical): the
// canonical path of an existing regular file inside the root, or nothing. Symlinks are followed
// and the result must still be inside the root, so a link pointing out is never served.
std::optional<std::filesystem::path> resolve_in_root(const std::filesystem::path& canonical_root,
                                                     std::string_view relative);

// The Content-Type for a file name ("application/wasm" for .wasm: browsers refuse streaming
// compilation otherwise). Unknown extensions are application/octet-stream.
std::string_view mime_type(std::string_view filename);

// Text-like types worth gzipping (html, js, css, json, wasm, fonts, .data ...); not images or
// already-compressed formats.
bool is_compressible(std::string_view filename);

// Whether an Accept-Encoding header value allows `coding` ("gzip", "br"; q=0 refuses it; "*"
// allows it unless the coding is named with q=0). "x-gzip" counts as "gzip".
bool accepts_encoding(std::string_view accept_encoding, std::string_view coding);
inline bool accepts_gzip(std::string_view accept_encoding) {
    return accepts_encoding(accept_encoding, "gzip");
}

// A file name carrying a content hash as a dot-separated part of 8 to 64 hex digits
// ("app.3f2a9c1b.wasm"): its content never changes, so it may be cached as immutable.
bool is_content_hashed(std::string_view filename);

// Cache-Control: "no-cache" (kept, but revalidated with the ETag on every use) for HTML and for
// other names without a content hash, a year and immutable for content-hashed names.
std::string_view cache_control(std::string_view filename);

// A strong ETag from the file's size and modification time; `variant` tells encodings apart.
std::string make_etag(std::uintmax_t size, std::int64_t mtime, std::string_view variant);

// Whether an If-None-Match header value matches `etag` (weak comparison, "*" matches).
bool if_none_match_hits(std::string_view if_none_match, std::string_view etag);

// gzip (RFC 1952) of `data` at zlib `level`. Errors: "static.gzip_failed".
Result<std::string> gzip_compress(std::string_view data, int level);

// Compressed copies of served files, made on first request and kept while the file's size and
// modification time stay the same. Bounded: files above max_file are never compressed, and the
// cache empties itself when it would exceed max_total.
class GzipCache {
public:
    GzipCache(std::size_t max_file, std::size_t max_total)
        : max_file_(max_file), max_total_(max_total) {}

    // The gzip form of `file`, or nullptr when it is too large, unreadable, or compresses badly
    // (less than 10 % saved: then the plain file is served).
    const std::string* get(const std::filesystem::path& file, std::uintmax_t size,
                           std::int64_t mtime);

private:
    struct Entry {
        std::uintmax_t size;
        std::int64_t mtime;
        std::optional<std::string> gz;
    };
    std::size_t max_file_;
    std::size_t max_total_;
    std::size_t total_ = 0;
    std::unordered_map<std::string, Entry> entries_;
};

// [SECTION] Site fingerprint (docs/deployment.md) ---------------------------------------------
// What a user can compare with the SHA-256 tools/package printed for a release. The manifest of
// a folder: one line "<sha256 hex>  <relative path>\n" (sha256sum's format, so `sha256sum -c`
// checks it) for every regular file under it, paths joined with '/', sorted bytewise; names with
// a segment starting with '.' (never served) and symlinks are left out. The fingerprint is the
// SHA-256 of that text: independent of file times and of the order the folder lists them in.
struct SiteManifest {
    std::string text;    // the manifest itself
    std::string sha256;  // 64 lower-case hex digits
};
// Errors: "static.fingerprint" (the folder or a file in it cannot be read).
Result<SiteManifest> site_manifest(const std::filesystem::path& root);

// "3f2a 9c1b …": the hex in groups of 4, as tools/package prints it and Settings shows it.
std::string group_hex(std::string_view hex);

// The fingerprint of the served folder, recomputed only when a file's name, size or
// modification time changed since the last call (a development build rewrites the site while
// the relay runs; a release never changes). Listing the folder costs one stat per file.
class SiteFingerprint {
public:
    explicit SiteFingerprint(std::filesystem::path root) : root_(std::move(root)) {}
    // The grouped fingerprint, or "" when the folder cannot be read.
    const std::string& get();

private:
    struct Stamp {
        std::string path;
        std::uintmax_t size;
        std::int64_t mtime;
        bool operator==(const Stamp&) const = default;
    };
    std::filesystem::path root_;
    std::vector<Stamp> stamps_;
    bool known_ = false;
    std::string grouped_;
};

}  // namespace st::relay
