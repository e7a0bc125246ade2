#include "daraja-sim/wire.hpp"

#include <cctype>
#include <limits>

#include "daraja-sim/url.hpp"

namespace gw::sim {
namespace {

// Marks a decimal_number() string; no text a client sends reaches a document with it in front.
constexpr std::string_view kDecimalMarker = "\\u0001dec:";
constexpr char kDecimalMarkerByte = '\x01';
constexpr std::size_t kAmountDigitsMax = 12;

bool is_decimal_text(std::string_view text) {
    if (text.starts_with('-')) {
        text.remove_prefix(1);
    }
    const std::size_t dot = text.find('.');
    return dot != std::string_view::npos && dot > 0 && text.size() == dot + 3 &&
           all_digits(text.substr(0, dot), kAmountDigitsMax + 1) &&
           all_digits(text.substr(dot + 1), 2);
}

}  // namespace

DarajaError daraja_error(std::string_view error_code, std::string_view error_message) {
    int status = 0;
    for (char c : error_code.substr(0, error_code.find('.'))) {
        if (c < '0' || c > '9' || status > 999) {
            status = 500;
            break;
        }
        status = status * 10 + (c - '0');
    }
    if (status < 100 || status > 599) {
        status = 500;
    }
    return DarajaError{status, std::string(error_code), std::string(error_message)};
}

DarajaError invalid_field(std::string_view field) {
    return daraja_error("400.002.02", "Bad Request - Invalid " + std::string(field));
}

std::string error_envelope(const DarajaError& error, std::string_view request_id) {
    WireJson body;
    body["requestId"] = request_id;
    body["errorCode"] = error.error_code;
    body["errorMessage"] = error.error_message;
    return body.dump();
}

bool all_digits(std::string_view text, std::size_t digits_max) {
    if (text.empty() || text.size() > digits_max) {
        return false;
    }
    for (char c : text) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return true;
}

std::optional<std::string> text_field(const nlohmann::json& body, std::string_view key) {
    if (!body.is_object()) {
        return std::nullopt;
    }
    const auto found = body.find(key);
    if (found == body.end()) {
        return std::nullopt;
    }
    if (found->is_string()) {
        const auto& text = found->get_ref<const std::string&>();
        if (text.size() > kFieldBytesMax) {
            return std::nullopt;
        }
        return text;
    }
    if (found->is_number_unsigned() ||
        (found->is_number_integer() && found->get<std::int64_t>() >= 0)) {
        return std::to_string(found->get<std::uint64_t>());
    }
    return std::nullopt;
}

std::optional<std::string> digits_field(const nlohmann::json& body,
                                        std::string_view key,
                                        std::size_t digits_max) {
    std::optional<std::string> text = text_field(body, key);
    if (!text || !all_digits(*text, digits_max)) {
        return std::nullopt;
    }
    return text;
}

std::optional<std::int64_t> whole_shillings_field(const nlohmann::json& body,
                                                  std::string_view key,
                                                  std::int64_t min_kes) {
    const std::optional<std::string> text = digits_field(body, key, kAmountDigitsMax);
    if (!text) {
        return std::nullopt;
    }
    std::int64_t kes = 0;
    for (char c : *text) {
        kes = kes * 10 + (c - '0');  // 12 digits cannot overflow int64
    }
    if (kes < min_kes) {
        return std::nullopt;
    }
    return kes;
}

bool is_mpesa_msisdn(std::string_view text) {
    return text.size() == 12 && all_digits(text, 12) && text.starts_with("254") &&
           (text[3] == '7' || text[3] == '1');
}

bool is_callback_url(std::string_view text) {
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c)) != 0 ||
            std::iscntrl(static_cast<unsigned char>(c)) != 0) {
            return false;
        }
    }
    return parse_url(text).has_value();
}

WireJson decimal_number(std::int64_t kes) {
    return std::string(1, kDecimalMarkerByte) + "dec:" + kes_text(kes);
}

std::string dump_wire(const WireJson& document) {
    const std::string text = document.dump();
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (true) {
        const std::size_t marker = text.find(kDecimalMarker, at);
        if (marker == std::string::npos || marker == 0 || text[marker - 1] != '"') {
            out.append(text, at, std::string::npos);
            return out;
        }
        const std::size_t value_start = marker + kDecimalMarker.size();
        const std::size_t close = text.find('"', value_start);
        const std::string_view value =
            close == std::string::npos
                ? std::string_view()
                : std::string_view(text.data() + value_start, close - value_start);
        if (!is_decimal_text(value)) {
            out.append(text, at, value_start - at);
            at = value_start;
            continue;
        }
        out.append(text, at, marker - 1 - at);  // drop the opening quote
        out.append(value);
        at = close + 1;  // and the closing one
    }
}

std::string kes_text(std::int64_t kes) {
    if (kes == std::numeric_limits<std::int64_t>::min()) {
        return "-9223372036854775808.00";
    }
    const std::string digits = std::to_string(kes < 0 ? -kes : kes);
    return (kes < 0 ? "-" : "") + digits + ".00";
}

}  // namespace gw::sim
