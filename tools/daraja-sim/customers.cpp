#include "daraja-sim/customers.hpp"

#include <array>

namespace gw::sim {
namespace {

constexpr std::string_view kSandboxTestMsisdn = "254708374149";
constexpr std::array<std::string_view, 8> kNames{
    "JANE DOE",
    "JOHN DOE",
    "MARY WANJIKU",
    "PETER OTIENO",
    "GRACE AKINYI",
    "DAVID KAMAU",
    "FAITH CHEBET",
    "BRIAN MUTUA",
};
constexpr std::size_t kMaskKeepPrefix = 4;
constexpr std::size_t kMaskKeepSuffix = 3;
constexpr std::size_t kDigitRunMin = 9;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

}  // namespace

std::string customer_name(std::string_view msisdn) {
    if (msisdn == kSandboxTestMsisdn) {
        return std::string(kNames[0]);
    }
    std::size_t sum = 0;
    for (char c : msisdn) {
        sum = sum * 31 + static_cast<unsigned char>(c);
    }
    return std::string(kNames[sum % kNames.size()]);
}

std::string mask_phone(std::string_view msisdn) {
    if (msisdn.size() <= kMaskKeepPrefix + kMaskKeepSuffix) {
        return std::string(msisdn.size(), '*');
    }
    return std::string(msisdn.substr(0, kMaskKeepPrefix)) + "******" +
           std::string(msisdn.substr(msisdn.size() - kMaskKeepSuffix));
}

std::string mask_digit_runs(std::string_view text) {
    std::string out;
    std::size_t at = 0;
    while (at < text.size()) {
        if (!is_digit(text[at])) {
            out.push_back(text[at++]);
            continue;
        }
        std::size_t end = at;
        while (end < text.size() && is_digit(text[end])) {
            ++end;
        }
        const std::string_view run = text.substr(at, end - at);
        out += run.size() >= kDigitRunMin ? mask_phone(run) : std::string(run);
        at = end;
    }
    return out;
}

}  // namespace gw::sim
