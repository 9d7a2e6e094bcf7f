#include "st/base/secret.hpp"

#include <sodium.h>

#include <cstring>
#include <new>

namespace st {

void secure_zero(void* data, std::size_t size) { sodium_memzero(data, size); }

bool secure_equal(const void* a, const void* b, std::size_t size) {
    return sodium_memcmp(a, b, size) == 0;
}

SecretBytes::SecretBytes(std::size_t size)
    : data_(size ? new std::uint8_t[size]() : nullptr), size_(size), capacity_(size) {}

SecretBytes::SecretBytes(const std::uint8_t* data, std::size_t size) : SecretBytes(size) {
    if (size) std::memcpy(data_, data, size);
}

SecretBytes::~SecretBytes() { release(); }

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(other.data_), size_(other.size_), capacity_(other.capacity_) {
    other.data_ = nullptr;
    other.size_ = other.capacity_ = 0;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
        release();
        data_ = other.data_;
        size_ = other.size_;
        capacity_ = other.capacity_;
        other.data_ = nullptr;
        other.size_ = other.capacity_ = 0;
    }
    return *this;
}

void SecretBytes::append(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return;
    if (size_ + size > capacity_) {
        std::size_t capacity = std::max(size_ + size, capacity_ * 2);
        auto* grown = new std::uint8_t[capacity]();
        if (size_) std::memcpy(grown, data_, size_);
        std::size_t keep = size_;
        release();
        data_ = grown;
        size_ = keep;
        capacity_ = capacity;
    }
    std::memcpy(data_ + size_, data, size);
    size_ += size;
}

void SecretBytes::release() {
    if (data_) {
        sodium_memzero(data_, capacity_);
        delete[] data_;
    }
    data_ = nullptr;
    size_ = capacity_ = 0;
}

}  // namespace st
