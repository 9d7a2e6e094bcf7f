// Known answers shared by the proto tests: protocol.md §10.4, the full DM pipeline (sender seed 1
// → recipient seed 2, sent at 1700000000000, body "hi", deterministic sealing, no proSig).
#pragma once

#include <cstdint>

namespace st::proto::vectors {

inline constexpr const char* kSeed1 = "0123456789abcdef0123456789abcdef";
inline constexpr const char* kSeed2 = "00112233445566778899aabbccddeeff";
inline constexpr const char* kSeed3 = "ffeeddccbbaa99887766554433221100";
inline constexpr const char* kId1 =
    "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72";
inline constexpr const char* kId2 =
    "05aa654f00fc39fc69fd0db829410ca38177d7732a8d2f0934ab3872ac56d5aa74";

inline constexpr std::uint64_t kSentMs = 1700000000000;

// Step 1: Content{dataMessage{body "hi"}, sigTimestamp}.
inline constexpr const char* kContent = "0a040a0268697880d095ffbc31";

// Step 3: the 160 padded bytes sealed deterministically (304 bytes).
inline constexpr const char* kCiphertext =
    "eadeccfadcb1a4ef8e1600f9d5dcbdc201e619b95324cc0fbce17740d050a138bfb9b7ced2d0eb298fc8a9c7c4e0"
    "9a888ab4db01fc9a0abcc04750d9216e20ca367cc613bea2b8d47c185c091b774586dfa4cc609396f69577957ae3"
    "8c4e0d6665beaba233d143ba0bebf2b4d8a4c570052736c1da07a6050b8a0cd3fff6326a3a64fa53a8b0e6c607fe"
    "890ef6e5a93cad05f84be0d8fe6edfa36eb4fb1f730a1e21130a76a9b0c83773da36222d447c59e92ae93f755731"
    "c7a28297bf8b5960cf4a5b6ae0982d797fcd3091fb00b6aa20f4c4a0dd87ab76c703f25ebd669035779278729078"
    "d1b53d8abeff5bd80b49cecd750878a0357fd4fe795d5a17461cae6225f9a55dd705bbb5cf8060adba37cdd7ff68"
    "19d4954b0c8b6591a414a410512e57251c33242e827024992a7add5a";

// Step 4 and 5: the prefixes before / the suffix after the nested bytes.
inline constexpr const char* kEnvelopePrefix = "08062880d095ffbc31380142b002";
inline constexpr const char* kWebSocketPrefix = "080112c7020a0012001abe02";
inline constexpr const char* kWebSocketSuffix = "2000";

// Step 6: the `data` string (444 characters).
inline constexpr const char* kData =
    "CAESxwIKABIAGr4CCAYogNCV/7wxOAFCsALq3sz63LGk744WAPnV3L3CAeYZuVMkzA+84XdA0FChOL+5t87S0Ospj8ip"
    "x8TgmoiKtNsB/JoKvMBHUNkhbiDKNnzGE76iuNR8GFwJG3dFht+kzGCTlvaVd5V644xODWZlvquiM9FDugvr8rTYpMVw"
    "BSc2wdoHpgULigzT//Yyajpk+lOosObGB/6JDvblqTytBfhL4Nj+bt+jbrT7H3MKHiETCnapsMg3c9o2Ii1EfFnpKuk/"
    "dVcxx6KCl7+LWWDPSltq4JgteX/NMJH7ALaqIPTEoN2Hq3bHA/JevWaQNXeSeHKQeNG1PYq+/1vYC0nOzXUIeKA1f9T+"
    "eV1aF0YcrmIl+aVd1wW7tc+AYK26N83X/2gZ1JVLDItlkaQUpBBRLlclHDMkLoJwJJkqet1aIAA=";

// Step 7: its storage hash in the recipient's swarm, namespace 0.
inline constexpr const char* kHash = "SAiqs/VCUS6Uvp1kiNgbqIm/mPyNxetcAQyC0PkESFQ";

}  // namespace st::proto::vectors
