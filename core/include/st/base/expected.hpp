// A small subset of C++23 std::expected, because neither g++ 12 nor Emscripten 3.1.6's libc++ ships
// it in C++20 mode. Only what the core uses: construction from a value or an Unexpected, has_value,
// value/error access, operator*, operator->. Replace with std::expected once both toolchains have it.
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace st {

template <class E>
class Unexpected {
public:
    explicit Unexpected(E error) : error_(std::move(error)) {}
    E& error() & { return error_; }
    E&& error() && { return std::move(error_); }
    const E& error() const& { return error_; }

private:
    E error_;
};

template <class E>
Unexpected(E) -> Unexpected<E>;

template <class T, class E>
class [[nodiscard]] Expected {
public:
    using value_type = T;
    using error_type = E;

    template <class U = T,
              std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                   !std::is_same_v<std::decay_t<U>, Expected> &&
                                   !std::is_same_v<std::decay_t<U>, Unexpected<E>>,
                               int> = 0>
    Expected(U&& value) : state_(std::in_place_index<0>, std::forward<U>(value)) {}  // NOLINT
    Expected(Unexpected<E> error)  // NOLINT: implicit like std::expected
        : state_(std::in_place_index<1>, std::move(error).error()) {}

    bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { assert(has_value()); return std::get<0>(state_); }
    const T& value() const& { assert(has_value()); return std::get<0>(state_); }
    T&& value() && { assert(has_value()); return std::get<0>(std::move(state_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    E& error() & { assert(!has_value()); return std::get<1>(state_); }
    const E& error() const& { assert(!has_value()); return std::get<1>(state_); }
    E&& error() && { assert(!has_value()); return std::get<1>(std::move(state_)); }

private:
    std::variant<T, E> state_;
};

template <class E>
class [[nodiscard]] Expected<void, E> {
public:
    using value_type = void;
    using error_type = E;

    Expected() = default;
    Expected(Unexpected<E> error) : error_(std::move(error).error()), ok_(false) {}  // NOLINT

    bool has_value() const { return ok_; }
    explicit operator bool() const { return ok_; }
    void value() const { assert(ok_); }

    E& error() & { assert(!ok_); return error_; }
    const E& error() const& { assert(!ok_); return error_; }
    E&& error() && { assert(!ok_); return std::move(error_); }

private:
    E error_{};
    bool ok_ = true;
};

}  // namespace st
