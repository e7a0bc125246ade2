#include "core/msisdn.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace gw {

namespace {

constexpr std::string_view kCountryCode = "254";
constexpr std::size_t kNationalDigits = 9;  // 7XXXXXXXX or 1XXXXXXXX
constexpr std::size_t kCanonicalDigits = 12;
constexpr std::size_t kMaskKeepPrefix = 4;
constexpr std::size_t kMaskKeepSuffix = 2;

constexpr std::string_view kInvalidPhoneDetail =
    "phone must be a Kenyan mobile number such as 0712345678 or +254712345678";

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

Error invalid_phone() {
    return make_error(ErrorCode::invalid_phone, std::string(kInvalidPhoneDetail));
}

// The digits of `text` with spaces removed, and whether a leading '+' was present. Returns
// false for any byte other than a digit, a space, or one '+' before the first digit.
bool collect_digits(std::string_view text, std::string& digits, bool& has_plus) {
    has_plus = false;
    for (char c : text) {
        if (c == ' ') {
            continue;
        }
        if (c == '+' && digits.empty() && !has_plus) {
            has_plus = true;
            continue;
        }
        if (!is_digit(c)) {
            return false;
        }
        digits.push_back(c);
    }
    return true;
}

// The national significant number (9 digits) of a digit string in one of the accepted forms,
// or an empty string when the form is not recognised.
std::string_view national_number(std::string_view digits, bool has_plus) {
    if (digits.size() == kCanonicalDigits && digits.starts_with(kCountryCode)) {
        return digits.substr(kCountryCode.size());
    }
    if (has_plus) {
        return {};  // "+" is only ever followed by the country code.
    }
    if (digits.size() == kNationalDigits + 1 && digits.front() == '0') {
        return digits.substr(1);
    }
    if (digits.size() == kNationalDigits) {
        return digits;
    }
    return {};
}

}  // namespace

Result<std::string> normalize_msisdn(std::string_view text) {
    if (text.size() > kMsisdnTextBytesMax) {
        return invalid_phone();
    }
    std::string digits;
    bool has_plus = false;
    if (!collect_digits(text, digits, has_plus)) {
        return invalid_phone();
    }
    std::string_view national = national_number(digits, has_plus);
    // ^254[71]\d{8}$: the national number is 9 digits and starts with 7 or 1.
    if (national.size() != kNationalDigits ||
        (national.front() != '7' && national.front() != '1')) {
        return invalid_phone();
    }
    std::string canonical(kCountryCode);
    canonical.append(national);
    return canonical;
}

std::string mask_msisdn(std::string_view normalized) {
    if (normalized.size() <= kMaskKeepPrefix + kMaskKeepSuffix) {
        return std::string(normalized.size(), '*');
    }
    std::string masked(normalized.substr(0, kMaskKeepPrefix));
    masked.append(normalized.size() - kMaskKeepPrefix - kMaskKeepSuffix, '*');
    masked.append(normalized.substr(normalized.size() - kMaskKeepSuffix));
    return masked;
}

}  // namespace gw
