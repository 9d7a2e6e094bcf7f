// Private to core/src/app: the contacts of one account (protocol §8.4, §8.8) — who they are to us
// (approved, approved us, blocked), their name and our nickname for them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "records.hpp"
#include "st/proto/model.hpp"
#include "st/store/kv_store.hpp"

namespace st::app {

class Contacts {
public:
    explicit Contacts(records::Keys keys, std::size_t max_name_chars)
        : keys_(std::move(keys)), max_name_chars_(max_name_chars) {}

    // The entries of a scan of keys.contacts().
    void load(const std::vector<store::KvEntry>& entries);

    const records::Contact* find(const std::string& peer) const;
    // The contact, created (not approved, not blocked) if it is new.
    records::Contact& ensure(const std::string& peer, std::int64_t now_ms);
    void save(const std::string& peer, std::vector<store::KvWrite>& batch) const;

    // What to call them everywhere: nickname › display name › short Session ID.
    std::string title(const std::string& peer) const;
    bool blocked(const std::string& peer) const;
    bool approved(const std::string& peer) const;

    // Takes their name from a profile that came with their message, if it is newer than the one
    // we have (lastProfileUpdateSeconds; a profile without it only fills a missing name).
    // Returns whether the contact changed.
    bool apply_profile(const std::string& peer, const proto::Profile& profile, std::int64_t now_ms);

    const std::map<std::string, records::Contact>& all() const { return contacts_; }

private:
    records::Keys keys_;
    std::size_t max_name_chars_;
    std::map<std::string, records::Contact> contacts_;
};

}  // namespace st::app
