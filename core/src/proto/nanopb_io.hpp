// Private glue between nanopb's generated C structs and C++ values (never included by a public
// header: nanopb is a private dependency of st_core).
//
// Why callbacks: the schema's strings, bytes and repeated fields have no max_size, so nanopb
// generates callback fields for them. Decoding then writes each value straight into a
// std::string / Bytes / std::vector sized from the field's length prefix, which nanopb has
// already checked against the bytes actually left in the input — so no field can allocate more
// than the input holds, and there are no fixed-size buffers to overflow or to make every message
// struct 76 KB. Fields without a bound callback are skipped without allocating. The alternatives
// were worse: static max_size arrays make the structs huge and reject legal long fields with a
// generic error, and PB_ENABLE_MALLOC hands nanopb the heap and needs pb_release on every path.
//
// A callback never lets a C++ exception cross nanopb's C frames: it catches and reports failure.
#pragma once

#include <pb.h>
#include <pb_decode.h>
#include <pb_encode.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"
#include "st/proto/errors.hpp"

namespace st::proto::detail {

// [SECTION] Decoding ------------------------------------------------------------------------------

template <class Container>
bool read_all_into(pb_istream_t* stream, Container& out) noexcept {
    try {
        out.resize(stream->bytes_left);
    } catch (...) {
        PB_RETURN_ERROR(stream, "out of memory");
    }
    return out.empty() || pb_read(stream, reinterpret_cast<pb_byte_t*>(out.data()), out.size());
}

inline bool read_string(pb_istream_t* stream, const pb_field_t*, void** arg) noexcept {
    return read_all_into(stream, *static_cast<std::string*>(*arg));
}
inline bool read_optional_string(pb_istream_t* stream, const pb_field_t*, void** arg) noexcept {
    auto& out = *static_cast<std::optional<std::string>*>(*arg);
    out.emplace();
    return read_all_into(stream, *out);
}
inline bool read_bytes(pb_istream_t* stream, const pb_field_t*, void** arg) noexcept {
    return read_all_into(stream, *static_cast<Bytes*>(*arg));
}
inline bool read_optional_bytes(pb_istream_t* stream, const pb_field_t*, void** arg) noexcept {
    auto& out = *static_cast<std::optional<Bytes>*>(*arg);
    out.emplace();
    return read_all_into(stream, *out);
}
// One element of a repeated uint64 (nanopb calls this once per element, packed or not). The list
// grows by 8 bytes per element of at least 1 input byte: bounded by the input.
inline bool read_uint64_element(pb_istream_t* stream, const pb_field_t*, void** arg) noexcept {
    std::uint64_t value = 0;
    if (!pb_decode_varint(stream, &value)) return false;
    try {
        static_cast<std::vector<std::uint64_t>*>(*arg)->push_back(value);
    } catch (...) {
        PB_RETURN_ERROR(stream, "out of memory");
    }
    return true;
}

inline void bind(pb_callback_t& cb, std::string* out) {
    cb.funcs.decode = &read_string;
    cb.arg = out;
}
inline void bind(pb_callback_t& cb, std::optional<std::string>* out) {
    cb.funcs.decode = &read_optional_string;
    cb.arg = out;
}
inline void bind(pb_callback_t& cb, Bytes* out) {
    cb.funcs.decode = &read_bytes;
    cb.arg = out;
}
inline void bind(pb_callback_t& cb, std::optional<Bytes>* out) {
    cb.funcs.decode = &read_optional_bytes;
    cb.arg = out;
}
inline void bind(pb_callback_t& cb, std::vector<std::uint64_t>* out) {
    cb.funcs.decode = &read_uint64_element;
    cb.arg = out;
}

// Decodes a whole message; on failure `error` gets nanopb's reason ("missing required field", …).
inline bool decode(ByteView in, const pb_msgdesc_t* fields, void* msg, std::string& error) {
    pb_istream_t stream = pb_istream_from_buffer(in.data(), in.size());
    if (pb_decode(&stream, fields, msg)) return true;
    error = PB_GET_ERROR(&stream);
    return false;
}

// nanopb stores whatever varint arrives into an enum-typed field without checking it against the
// enum. In C++, reading such a field as its enum type when the value is outside the enum's range
// is undefined behaviour (UBSan's -fsanitize=enum reports it), so enum fields are only ever read
// and written as their raw integer through these two.
template <class E>
std::int64_t enum_value(const E& field) {
    static_assert(std::is_enum_v<E>);
    std::underlying_type_t<E> raw;
    std::memcpy(&raw, &field, sizeof raw);
    return static_cast<std::int64_t>(raw);
}
template <class E>
void set_enum(E& field, std::int64_t value) {
    static_assert(std::is_enum_v<E>);
    const auto raw = static_cast<std::underlying_type_t<E>>(value);
    std::memcpy(&field, &raw, sizeof raw);
}

// [SECTION] Encoding ------------------------------------------------------------------------------

inline bool write_string(pb_ostream_t* stream, const pb_field_t* field, void* const* arg) noexcept {
    const auto& s = *static_cast<const std::string*>(*arg);
    return pb_encode_tag_for_field(stream, field) &&
           pb_encode_string(stream, reinterpret_cast<const pb_byte_t*>(s.data()), s.size());
}
inline bool write_bytes(pb_ostream_t* stream, const pb_field_t* field, void* const* arg) noexcept {
    const auto& b = *static_cast<const ByteView*>(*arg);
    return pb_encode_tag_for_field(stream, field) && pb_encode_string(stream, b.data(), b.size());
}
// Repeated uint64 written one tagged varint per element (proto2's unpacked form, as desktop and
// libsession write it).
inline bool write_uint64_list(pb_ostream_t* stream, const pb_field_t* field,
                              void* const* arg) noexcept {
    for (std::uint64_t v : *static_cast<const std::vector<std::uint64_t>*>(*arg))
        if (!pb_encode_tag_for_field(stream, field) || !pb_encode_varint(stream, v)) return false;
    return true;
}

// The referenced value must outlive the encode call.
inline void bind_out(pb_callback_t& cb, const std::string& s) {
    cb.funcs.encode = &write_string;
    cb.arg = const_cast<std::string*>(&s);
}
inline void bind_out(pb_callback_t& cb, const ByteView& b) {
    cb.funcs.encode = &write_bytes;
    cb.arg = const_cast<ByteView*>(&b);
}
inline void bind_out(pb_callback_t& cb, const std::vector<std::uint64_t>& list) {
    cb.funcs.encode = &write_uint64_list;
    cb.arg = const_cast<std::vector<std::uint64_t>*>(&list);
}

// Encodes a whole message into exactly-sized bytes (one sizing pass, one writing pass).
inline Result<Bytes> encode(const pb_msgdesc_t* fields, const void* msg) {
    std::size_t size = 0;
    if (!pb_get_encoded_size(&size, fields, msg))
        return fail(kErrEncodeFailed, "protobuf encoding failed while sizing the message");
    Bytes out(size);
    pb_ostream_t stream = pb_ostream_from_buffer(out.data(), out.size());
    if (!pb_encode(&stream, fields, msg))
        return fail(kErrEncodeFailed,
                    std::string("protobuf encoding failed: ") + PB_GET_ERROR(&stream));
    out.resize(stream.bytes_written);
    return out;
}

}  // namespace st::proto::detail
