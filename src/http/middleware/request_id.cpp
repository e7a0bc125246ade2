#include "http/middleware/request_id.hpp"

#include <algorithm>
#include <cctype>
#include <random>

namespace gw::http {
namespace {

constexpr std::size_t kRequestIdLengthMax = 128;

bool usable(std::string_view id) {
    return !id.empty() && id.size() <= kRequestIdLengthMax &&
           std::all_of(id.begin(), id.end(), [](unsigned char c) {
               return std::isalnum(c) != 0 || c == '.' || c == '_' || c == '-';
           });
}

std::string random_id() {
    // Request ids only correlate log lines; they grant nothing, so a fast PRNG is enough.
    thread_local std::mt19937_64 generator{std::random_device{}()};
    constexpr char kHex[] = "0123456789abcdef";
    std::string id(32, '0');
    for (std::size_t i = 0; i < id.size(); i += 16) {
        std::uint64_t bits = generator();
        for (std::size_t j = 0; j < 16; ++j, bits >>= 4) {
            id[i + j] = kHex[bits & 0xF];
        }
    }
    return id;
}

}  // namespace

std::string request_id_for(std::string_view incoming) {
    return usable(incoming) ? std::string(incoming) : random_id();
}

}  // namespace gw::http
