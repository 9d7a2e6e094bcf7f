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

struct Error {
    std::string_view code;  // static storage: a string literal declared by the producing module
    std::string message;
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
