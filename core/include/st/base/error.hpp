// Errors as values: every public boundary of the core returns Result<T> instead of throwing.
// Error::code is a stable dotted identifier ("mnemonic.unknown_word") that callers and the UI switch
// on; Error::message is an English sentence for logs and command-line tools. Neither may ever
// contain secret material.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "st/base/expected.hpp"

namespace st {

// Whether trying the same thing again later may succeed. Set by the module that produced the
// error (it knows its codes), so callers decide retries without parsing codes.
enum class ErrorCategory : unsigned char {
    Permanent,  // the same request will fail again: bad input, refused, not found
    Transient,  // the network, a node or a clock may recover: try again later
};

struct Error {
    std::string_view code;  // static storage: a string literal declared by the producing module
    std::string message;
    ErrorCategory category = ErrorCategory::Permanent;

    bool transient() const { return category == ErrorCategory::Transient; }
};

template <class T = void>
using Result = Expected<T, Error>;

// Async completion, invoked exactly once and never inline from the call that started the work.
template <class T = void>
using Callback = std::function<void(Result<T>)>;

inline Unexpected<Error> fail(std::string_view code, std::string message) {
    return Unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace st
