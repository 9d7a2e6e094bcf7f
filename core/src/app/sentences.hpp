// Private to core/src/app: error codes turned into sentences for people. The UI never shows a
// code; these are what it shows instead.
#pragma once

#include <string>

#include "st/base/error.hpp"

namespace st::app::sentences {

// Why the network refused a message for good (it shows under the message, with Retry).
std::string send_failure(const Error& e);
// Why we are offline, for the network status line.
std::string offline(const Error& e);
// Why a message could not even be kept in this browser (it shows under the message).
std::string not_saved(const Error& e);
// A storage failure, for the app-wide banner.
std::string storage_failure(const Error& e);
// Why "New conversation" with a name failed.
std::string name_lookup_failure(const Error& e);

}  // namespace st::app::sentences
