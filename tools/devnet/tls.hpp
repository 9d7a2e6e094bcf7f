// TLS identities for `devnet --tls`: one self-signed certificate and key per listener (each node,
// and the seed), made with OpenSSL at the first TLS start in a data folder and reused after, so a
// pinned seed certificate stays valid across restarts.
//
// Like the real network: a service node serves HTTPS with a self-signed certificate on its raw
// IP (clients do not verify it; the onion layer encrypted to the node's X25519 key proves who it
// is), and the seed's long-lived self-signed certificate is pinned by its SHA-256 (protocol.md
// §5.8). Certificates here: EC P-256 key, CN and subjectAltName IP = the listen address, serial
// random, valid from a day before creation for 10 years, signed with SHA-256.
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace devnet {

struct TlsIdentity {
    std::string cert_pem;
    std::string key_pem;
    // SHA-256 of the certificate's DER bytes, 64 lowercase hex digits: what `relay --seed-pin`
    // takes (and what `openssl x509 -fingerprint -sha256` prints, with colons).
    std::string sha256_hex;
};

// Reads DIR/tls.crt and DIR/tls.key, or creates both (the key with mode 0600) when neither
// exists. Throws std::runtime_error when only one exists, a file cannot be parsed, or the key does
// not belong to the certificate (a pinned certificate is never replaced silently).
TlsIdentity load_or_create_tls_identity(const std::filesystem::path& dir, const std::string& ip);

// A server context serving `id` (TLS 1.2 and 1.3 only). Throws on an OpenSSL failure.
std::shared_ptr<boost::asio::ssl::context> make_server_tls(const TlsIdentity& id);

}  // namespace devnet
