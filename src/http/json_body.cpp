#include "http/json_body.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "core/decimal_text.hpp"

namespace gw::http {
namespace {

using Json = nlohmann::json;
using DomParser = nlohmann::detail::json_sax_dom_parser<Json>;

// Canonical form of a plain decimal: no sign for zero, no leading zeros in the integer part,
// no trailing zeros in the fraction, no trailing '.'.
std::string canonical_decimal(std::string text) {
    bool negative = !text.empty() && text.front() == '-';
    if (negative) {
        text.erase(0, 1);
    }
    std::size_t dot = text.find('.');
    if (dot != std::string::npos) {
        while (text.back() == '0') {
            text.pop_back();
        }
        if (text.back() == '.') {
            text.pop_back();
        }
    }
    const std::size_t first = text.find_first_not_of('0');
    text = first == std::string::npos ? "0" : text.substr(first);
    if (text.front() == '.') {
        text = "0" + text;
    }
    return negative && text != "0" ? "-" + text : text;
}

// True when the double `value` denotes exactly the decimal written as `text`.
bool float_text_is_exact(double value, const std::string& text) {
    const std::optional<std::string> written = plain_decimal_from_json_number_text(text);
    const std::optional<std::string> parsed =
        plain_decimal_from_json_number_text(Json(value).dump());
    return written && parsed && canonical_decimal(*written) == canonical_decimal(*parsed);
}

// The DOM builder of nlohmann-json, plus the depth bound and the exactness rule. sax_parse is a
// template over the handler type, so these members hide (not override) the base ones.
class StrictDomParser : public DomParser {
public:
    StrictDomParser(Json& result, std::size_t depth_max)
        : DomParser(result, false), depth_max_(depth_max) {}

    // Text with U+0000 is refused: PostgreSQL cannot store it, and libpq would cut the value
    // at the NUL without a word (found by the security suite).
    bool string(std::string& value) { return free_of_nul(value) && DomParser::string(value); }
    bool key(std::string& value) { return free_of_nul(value) && DomParser::key(value); }

    bool number_float(double value, const std::string& text) {
        if (text.find_first_of("eE") != std::string::npos) {
            return fail(ErrorCode::invalid_number_format, "numbers must not use exponents");
        }
        if (!float_text_is_exact(value, text)) {
            return fail(ErrorCode::inexact_number, "a number cannot be represented exactly");
        }
        return DomParser::number_float(value, text);
    }
    bool start_object(std::size_t elements) {
        return enter() && DomParser::start_object(elements);
    }
    bool end_object() {
        --depth_;
        return DomParser::end_object();
    }
    bool start_array(std::size_t elements) { return enter() && DomParser::start_array(elements); }
    bool end_array() {
        --depth_;
        return DomParser::end_array();
    }
    bool parse_error(std::size_t position, const std::string& token,
                     const nlohmann::detail::exception& error) {
        fail(ErrorCode::malformed_json, "request body is not valid JSON");
        return DomParser::parse_error(position, token, error);
    }

    const std::optional<Error>& problem() const { return problem_; }

private:
    bool free_of_nul(const std::string& value) {
        return value.find('\0') == std::string::npos ||
               fail(ErrorCode::malformed_json, "JSON strings must not contain U+0000");
    }
    bool enter() {
        if (++depth_ > depth_max_) {
            return fail(ErrorCode::json_too_deep, "JSON is nested too deeply");
        }
        return true;
    }
    bool fail(ErrorCode code, std::string detail) {
        if (!problem_) {
            problem_ = Error{code, std::move(detail)};
        }
        return false;
    }

    std::size_t depth_max_;
    std::size_t depth_ = 0;
    std::optional<Error> problem_;
};

}  // namespace

Result<Json> parse_strict_json(std::string_view text, std::size_t depth_max) {
    Json root;
    StrictDomParser parser(root, depth_max);
    const bool ok = Json::sax_parse(text, &parser, Json::input_format_t::json, true, false);
    if (parser.problem()) {
        return *parser.problem();
    }
    if (!ok || parser.is_errored()) {
        return make_error(ErrorCode::malformed_json, "request body is not valid JSON");
    }
    return root;
}

bool has_media_type(std::string_view content_type, std::string_view media_type) {
    const std::string_view head = content_type.substr(0, content_type.find(';'));
    std::string trimmed(head);
    trimmed.erase(std::remove_if(trimmed.begin(), trimmed.end(),
                                 [](unsigned char c) { return std::isspace(c) != 0; }),
                  trimmed.end());
    return std::equal(trimmed.begin(), trimmed.end(), media_type.begin(), media_type.end(),
                      [](char a, char b) {
                          return std::tolower(static_cast<unsigned char>(a)) ==
                                 std::tolower(static_cast<unsigned char>(b));
                      });
}

Result<Json> parse_json_request(const httplib::Request& request, std::size_t depth_max) {
    if (!has_media_type(request.get_header_value("Content-Type"), "application/json")) {
        return make_error(ErrorCode::unsupported_media_type,
                          "send the body as application/json");
    }
    auto parsed = parse_strict_json(request.body, depth_max);
    if (!parsed) {
        return parsed;
    }
    if (!parsed->is_object()) {
        return make_error(ErrorCode::malformed_json, "request body must be a JSON object");
    }
    return parsed;
}

}  // namespace gw::http
