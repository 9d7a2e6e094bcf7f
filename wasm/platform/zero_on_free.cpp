// Freed memory is zeroed (issue 16: no decrypted data stays in wasm memory). The app frees what a
// locked or removed account held — messages, names, drafts, keys' copies — through operator
// delete; without this the bytes would stay in the wasm heap until reused, readable by anything
// that can read the page's memory. The replacement operators clear the whole block (its usable
// size, from the allocator) before giving it back. C allocations (libsodium's) zero their own
// secrets with sodium_memzero; SecretBytes and Secret<N> zero theirs on destruction.
#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <new>

void operator delete(void* p) noexcept {
    if (p == nullptr) return;
    std::memset(p, 0, malloc_usable_size(p));
    std::free(p);
}
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { operator delete(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { operator delete(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { operator delete(p); }
