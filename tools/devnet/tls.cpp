#include "tls.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <boost/asio/buffer.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "util.hpp"

namespace devnet {

namespace fs = std::filesystem;

namespace {

// Owners for OpenSSL objects.
struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
    void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct X509Free {
    void operator()(X509* p) const { X509_free(p); }
};
struct BioFree {
    void operator()(BIO* p) const { BIO_free(p); }
};
struct ExtFree {
    void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;
using Bio = std::unique_ptr<BIO, BioFree>;

[[noreturn]] void openssl_fail(const std::string& what) {
    throw std::runtime_error{"TLS identity: " + what + " failed (OpenSSL)"};
}

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(n));
}

Pkey new_p256_key() {
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx{EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nullptr)};
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx.get(), NID_X9_62_prime256v1) != 1)
        openssl_fail("P-256 key set-up");
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_keygen(ctx.get(), &raw) != 1) openssl_fail("P-256 key generation");
    return Pkey{raw};
}

void add_extension(X509* cert, int nid, const char* value) {
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, cert, cert, nullptr, nullptr, 0);
    std::unique_ptr<X509_EXTENSION, ExtFree> ext{
            X509V3_EXT_conf_nid(nullptr, &v3, nid, value)};
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) openssl_fail("certificate extension");
}

Cert self_signed(EVP_PKEY* key, const std::string& ip) {
    Cert cert{X509_new()};
    if (!cert || X509_set_version(cert.get(), 2) != 1) openssl_fail("certificate");
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1) openssl_fail("serial");
    serial[0] &= 0x7f;  // a positive INTEGER
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()))) {
        BN_free(bn);
        openssl_fail("serial");
    }
    BN_free(bn);
    constexpr long kDay = 24L * 3600;
    if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kDay) ||
        !X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3650 * kDay))
        openssl_fail("validity");
    X509_NAME* name = X509_get_subject_name(cert.get());
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(ip.c_str()), -1, -1,
                                   0) != 1 ||
        X509_set_issuer_name(cert.get(), name) != 1 || X509_set_pubkey(cert.get(), key) != 1)
        openssl_fail("certificate names");
    add_extension(cert.get(), NID_subject_alt_name, ("IP:" + ip).c_str());
    add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), NID_key_usage, "critical,digitalSignature");
    add_extension(cert.get(), NID_ext_key_usage, "serverAuth");
    if (X509_sign(cert.get(), key, EVP_sha256()) == 0) openssl_fail("signing the certificate");
    return cert;
}

std::string read_file(const fs::path& file) {
    std::ifstream in{file, std::ios::binary};
    std::ostringstream out;
    out << in.rdbuf();
    if (!in) throw std::runtime_error{"cannot read " + file.string()};
    return out.str();
}

void write_file(const fs::path& file, const std::string& text, bool secret) {
    auto tmp = file;
    tmp += ".tmp";
    {
        std::ofstream out{tmp, std::ios::binary | std::ios::trunc};
        if (secret) ::chmod(tmp.c_str(), 0600);
        out << text;
        if (!out) throw std::runtime_error{"cannot write " + tmp.string()};
    }
    if (secret) ::chmod(tmp.c_str(), 0600);
    fs::rename(tmp, file);
}

Cert parse_cert(const std::string& pem, const fs::path& file) {
    Bio bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
    Cert cert{bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr};
    if (!cert) throw std::runtime_error{"cannot parse the certificate " + file.string()};
    return cert;
}

Pkey parse_key(const std::string& pem, const fs::path& file) {
    Bio bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
    Pkey key{bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr};
    if (!key) throw std::runtime_error{"cannot parse the private key " + file.string()};
    return key;
}

std::string fingerprint(X509* cert) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (X509_digest(cert, EVP_sha256(), digest, &size) != 1 || size != 32)
        openssl_fail("certificate digest");
    return to_hex({reinterpret_cast<const char*>(digest), size});
}

}  // namespace

TlsIdentity load_or_create_tls_identity(const fs::path& dir, const std::string& ip) {
    const auto cert_file = dir / "tls.crt";
    const auto key_file = dir / "tls.key";
    const bool have_cert = fs::exists(cert_file), have_key = fs::exists(key_file);
    TlsIdentity id;
    if (!have_cert && !have_key) {
        auto key = new_p256_key();
        auto cert = self_signed(key.get(), ip);
        Bio cbio{BIO_new(BIO_s_mem())}, kbio{BIO_new(BIO_s_mem())};
        if (!cbio || !kbio || PEM_write_bio_X509(cbio.get(), cert.get()) != 1 ||
            PEM_write_bio_PrivateKey(kbio.get(), key.get(), nullptr, nullptr, 0, nullptr,
                                     nullptr) != 1)
            openssl_fail("PEM encoding");
        id.cert_pem = bio_text(cbio.get());
        id.key_pem = bio_text(kbio.get());
        fs::create_directories(dir);
        write_file(key_file, id.key_pem, true);
        write_file(cert_file, id.cert_pem, false);
        id.sha256_hex = fingerprint(cert.get());
        return id;
    }
    if (!have_cert || !have_key)
        throw std::runtime_error{"found only one of " + cert_file.string() + " and " +
                                 key_file.string() + "; remove it to make a new pair"};
    id.cert_pem = read_file(cert_file);
    id.key_pem = read_file(key_file);
    auto cert = parse_cert(id.cert_pem, cert_file);
    auto key = parse_key(id.key_pem, key_file);
    if (X509_check_private_key(cert.get(), key.get()) != 1)
        throw std::runtime_error{key_file.string() + " is not the key of " + cert_file.string()};
    id.sha256_hex = fingerprint(cert.get());
    return id;
}

std::shared_ptr<boost::asio::ssl::context> make_server_tls(const TlsIdentity& id) {
    namespace ssl = boost::asio::ssl;
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                     ssl::context::single_dh_use);
    ctx->use_certificate_chain(boost::asio::buffer(id.cert_pem));
    ctx->use_private_key(boost::asio::buffer(id.key_pem), ssl::context::pem);
    return ctx;
}

}  // namespace devnet
