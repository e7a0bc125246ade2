#include "identity/account_rules.hpp"

#include <algorithm>
#include <cctype>

namespace gw::identity {
namespace {

constexpr std::size_t kUsernameLengthMin = 3;
constexpr std::size_t kUsernameLengthMax = 32;
constexpr std::size_t kEmailLengthMax = 254;

bool username_char(unsigned char c) {
    return std::isalnum(c) != 0 || c == '_' || c == '.' || c == '-';
}

}  // namespace

Result<void> check_username(std::string_view username) {
    if (username.size() < kUsernameLengthMin || username.size() > kUsernameLengthMax ||
        std::isalnum(static_cast<unsigned char>(username.front())) == 0 ||
        !std::all_of(username.begin(), username.end(),
                     [](char c) { return username_char(static_cast<unsigned char>(c)); })) {
        return make_error(ErrorCode::validation_failed,
                          "username: 3-32 letters, digits, '_', '.' or '-', starting with a "
                          "letter or digit");
    }
    return {};
}

Result<void> check_email(std::string_view email) {
    const std::size_t at = email.find('@');
    const bool shape_ok = !email.empty() && email.size() <= kEmailLengthMax &&
                          at != std::string_view::npos && at > 0 &&
                          email.find('@', at + 1) == std::string_view::npos;
    const std::string_view domain = shape_ok ? email.substr(at + 1) : std::string_view{};
    const bool domain_ok = domain.size() >= 3 && domain.find('.') != std::string_view::npos &&
                           domain.front() != '.' && domain.back() != '.' &&
                           domain.find("..") == std::string_view::npos;
    const bool chars_ok = std::none_of(email.begin(), email.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return std::isspace(u) != 0 || std::iscntrl(u) != 0;
    });
    if (!shape_ok || !domain_ok || !chars_ok) {
        return make_error(ErrorCode::invalid_email, "email: not a valid address");
    }
    return {};
}

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

}  // namespace gw::identity
