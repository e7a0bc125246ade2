#include "trading/fineness.hpp"

#include <cctype>

namespace gw::trading {
namespace {

constexpr std::int32_t kTenthsMax = 10'000;

Error invalid() {
    return make_error(ErrorCode::validation_failed,
                      "purity: millesimal fineness like 999.9 (above 0, at most 1000.0)");
}

}  // namespace

Result<Fineness> parse_fineness(std::string_view text) {
    const std::size_t dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
    if (whole.empty() || whole.size() > 4 || (dot != std::string_view::npos && fraction.size() != 1)) {
        return invalid();
    }
    std::int32_t tenths = 0;
    for (char c : whole) {
        if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
            return invalid();
        }
        tenths = tenths * 10 + (c - '0');
    }
    tenths *= 10;
    if (!fraction.empty()) {
        if (std::isdigit(static_cast<unsigned char>(fraction[0])) == 0) {
            return invalid();
        }
        tenths += fraction[0] - '0';
    }
    if (tenths <= 0 || tenths > kTenthsMax) {
        return invalid();
    }
    return Fineness{tenths};
}

std::string format_fineness(Fineness fineness) {
    return std::to_string(fineness.tenths / 10) + "." + std::to_string(fineness.tenths % 10);
}

}  // namespace gw::trading
