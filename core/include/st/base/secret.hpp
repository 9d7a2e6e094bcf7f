// Containers for secret material (seeds, private keys): they zero their memory when destroyed or
// overwritten (sodium_memzero, which the optimiser may not remove), cannot be copied by accident,
// and have no printing or hex conversion of their own, so a secret cannot end up in a log line.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace st {

// Overwrites memory with zeros in a way the compiler may not elide.
void secure_zero(void* data, std::size_t size);

// Fixed-size secret. Copying is explicit (clone()); moving zeroes the source.
template <std::size_t N>
class Secret {
public:
    static constexpr std::size_t size_bytes = N;

    Secret() { data_.fill(0); }
    explicit Secret(std::span<const std::uint8_t, N> bytes) {
        std::copy(bytes.begin(), bytes.end(), data_.begin());
    }
    ~Secret() { secure_zero(data_.data(), N); }

    Secret(const Secret&) = delete;
    Secret& operator=(const Secret&) = delete;
    Secret(Secret&& other) noexcept : data_(other.data_) { secure_zero(other.data_.data(), N); }
    Secret& operator=(Secret&& other) noexcept {
        if (this != &other) {
            data_ = other.data_;
            secure_zero(other.data_.data(), N);
        }
        return *this;
    }

    Secret clone() const { return Secret(std::span<const std::uint8_t, N>(data_)); }

    std::uint8_t* data() { return data_.data(); }
    const std::uint8_t* data() const { return data_.data(); }
    static constexpr std::size_t size() { return N; }
    std::span<const std::uint8_t, N> view() const { return std::span<const std::uint8_t, N>(data_); }
    std::span<std::uint8_t, N> mutable_view() { return std::span<std::uint8_t, N>(data_); }

    // Constant-time comparison, so tests and callers never leak timing about secrets.
    bool equals(const Secret& other) const;

private:
    std::array<std::uint8_t, N> data_;
};

bool secure_equal(const void* a, const void* b, std::size_t size);

// Variable-length secret (a recovery phrase's text, decrypted key material). Same rules as Secret:
// zeroed on destruction, move-only, explicit clone().
class SecretBytes {
public:
    SecretBytes() = default;
    explicit SecretBytes(std::size_t size);
    SecretBytes(const std::uint8_t* data, std::size_t size);
    ~SecretBytes();

    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(SecretBytes&& other) noexcept;

    SecretBytes clone() const { return SecretBytes(data_, size_); }

    // Appends without leaving stale copies behind: growth allocates, copies, zeroes the old block.
    void append(const std::uint8_t* data, std::size_t size);
    void append(std::string_view text) {
        append(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
    }

    std::uint8_t* data() { return data_; }
    const std::uint8_t* data() const { return data_; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::span<const std::uint8_t> view() const { return {data_, size_}; }
    // For secrets that are text (a recovery phrase): the caller must not copy it into a plain string
    // that outlives its use.
    std::string_view str() const { return {reinterpret_cast<const char*>(data_), size_}; }

private:
    void release();
    std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

template <std::size_t N>
bool Secret<N>::equals(const Secret& other) const {
    return secure_equal(data_.data(), other.data_.data(), N);
}

}  // namespace st
