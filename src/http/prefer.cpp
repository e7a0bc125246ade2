#include "http/prefer.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "core/assert.hpp"

namespace gw::http {
namespace {

constexpr std::int64_t kWaitSecondsLimit = 1'000'000'000;

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

bool is_wait(std::string_view name) {
    return name.size() == 4 && std::equal(name.begin(), name.end(), "wait", [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == b;
           });
}

// "10" or "\"10\"" as seconds, at most `max`; nullopt for anything else.
std::optional<std::chrono::seconds> whole_seconds(std::string_view value, std::chrono::seconds max) {
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
    }
    if (value.empty()) {
        return std::nullopt;
    }
    std::int64_t seconds = 0;
    for (char c : value) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        // Never overflows: seconds <= max <= kWaitSecondsLimit before each step.
        seconds = std::min<std::int64_t>(seconds * 10 + (c - '0'), max.count());
    }
    return std::chrono::seconds(seconds);
}

}  // namespace

std::optional<std::chrono::seconds> preferred_wait(std::string_view prefer, std::chrono::seconds max) {
    GW_ASSERT(max.count() >= 0 && max.count() <= kWaitSecondsLimit, "a wait the parser can hold");
    while (!prefer.empty()) {
        const std::size_t comma = prefer.find(',');
        std::string_view preference = prefer.substr(0, comma);
        prefer = comma == std::string_view::npos ? std::string_view{} : prefer.substr(comma + 1);
        preference = trim(preference.substr(0, preference.find(';')));  // parameters are not used
        const std::size_t equals = preference.find('=');
        if (equals != std::string_view::npos && is_wait(trim(preference.substr(0, equals)))) {
            return whole_seconds(trim(preference.substr(equals + 1)), max);
        }
    }
    return std::nullopt;
}

}  // namespace gw::http
