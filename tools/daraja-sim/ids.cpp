#include "daraja-sim/ids.hpp"

#include <algorithm>
#include <chrono>

#include "core/assert.hpp"
#include "daraja-sim/nairobi_time.hpp"

namespace gw::sim {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::string_view kUpperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view kTokenAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::size_t kTokenLength = 28;
constexpr std::size_t kReceiptRandomLength = 8;
constexpr int kReceiptBaseYear = 2017;  // 'L'
constexpr std::size_t kMsisdnTailDigits = 9;

// SplitMix64: a well-mixed 64-bit word from any counter value.
std::uint64_t mix(std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

}  // namespace

std::uint64_t IdGenerator::next() {
    return mix(mix(seed_) ^ counter_++);
}

std::string IdGenerator::hex(std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) {
        out.push_back(kHexDigits[next() % kHexDigits.size()]);
    }
    return out;
}

std::string IdGenerator::digits(std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) {
        out.push_back(static_cast<char>('0' + next() % 10));
    }
    return out;
}

std::string IdGenerator::merchant_request_id() {
    return hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(12) + digits(4);
}

std::string IdGenerator::checkout_request_id(TimePoint now, std::string_view msisdn) {
    GW_ASSERT(msisdn.size() >= kMsisdnTailDigits, "callers pass a validated MSISDN");
    return "ws_CO_" + nairobi_checkout_stamp(now) + digits(3) +
           std::string(msisdn.substr(msisdn.size() - kMsisdnTailDigits));
}

std::string IdGenerator::receipt(TimePoint now) {
    const std::chrono::year_month_day date{nairobi_day(now)};
    const int year_index =
        std::clamp(static_cast<int>(date.year()) - kReceiptBaseYear + ('L' - 'A'), 0, 25);
    std::string out;
    out.push_back(static_cast<char>('A' + year_index));
    out.push_back(static_cast<char>('A' + static_cast<unsigned>(date.month()) - 1));
    for (std::size_t i = 0; i < kReceiptRandomLength; ++i) {
        out.push_back(kUpperAlnum[next() % kUpperAlnum.size()]);
    }
    return out;
}

std::string IdGenerator::conversation_id(TimePoint now) {
    return "AG_" + nairobi_date_compact(now) + "_" + hex(20);
}

std::string IdGenerator::originator_conversation_id() {
    std::string first = digits(5);
    first[0] = static_cast<char>('1' + next() % 9);
    return first + "-" + digits(8) + "-1";
}

std::string IdGenerator::access_token() {
    std::string out;
    for (std::size_t i = 0; i < kTokenLength; ++i) {
        out.push_back(kTokenAlphabet[next() % kTokenAlphabet.size()]);
    }
    return out;
}

}  // namespace gw::sim
