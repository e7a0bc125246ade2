#include "mpesa/callback_json.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mpesa/callback_parser.hpp"

namespace gw::mpesa::callback_json {
namespace {

using DomParser = nlohmann::detail::json_sax_dom_parser<Json>;

constexpr std::string_view kNotJson = "body is not valid JSON";

// nlohmann's DOM builder with four changes: numbers with a fraction keep their source text (as
// a binary node), exponents are refused, a repeated member name is refused, and nesting is
// bounded. sax_parse is a template over the handler type, so these members hide (not
// override) the base ones.
class ExactDomParser : public DomParser {
public:
    explicit ExactDomParser(Json& result) : DomParser(result, false) {}

    bool number_float(Json::number_float_t /*lossy*/, const std::string& text) {
        if (text.find_first_of("eE") != std::string::npos) {
            return fail("a number uses an exponent");
        }
        Json::binary_t source;
        source.reserve(text.size());
        for (const char c : text) {
            source.push_back(static_cast<std::uint8_t>(c));
        }
        return DomParser::binary(source);
    }
    bool start_object(std::size_t elements) { return enter() && DomParser::start_object(elements); }
    bool key(std::string& name) {
        if (names_.empty() || !names_.back().insert(name).second) {
            return fail("an object repeats a member name");
        }
        return DomParser::key(name);
    }
    bool end_object() {
        leave();
        return DomParser::end_object();
    }
    bool start_array(std::size_t elements) { return enter() && DomParser::start_array(elements); }
    bool end_array() {
        leave();
        return DomParser::end_array();
    }
    bool parse_error(std::size_t position,
                     const std::string& token,
                     const nlohmann::detail::exception& error) {
        fail(std::string(kNotJson));
        return DomParser::parse_error(position, token, error);
    }

    const std::optional<std::string>& problem() const { return problem_; }

private:
    bool enter() {
        if (names_.size() >= kCallbackJsonDepthMax) {
            return fail("JSON is nested too deeply");
        }
        names_.emplace_back();
        return true;
    }
    void leave() {
        if (!names_.empty()) {
            names_.pop_back();
        }
    }
    bool fail(std::string detail) {
        if (!problem_) {
            problem_ = std::move(detail);
        }
        return false;
    }

    // Member names seen so far, one set per open object or array (empty for arrays).
    std::vector<std::set<std::string>> names_;
    std::optional<std::string> problem_;
};

bool is_control(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
}

// Returns the member `key` of `object`, or nullptr when absent or null.
const Json* find_member(const Json& object, std::string_view key) {
    const auto found = object.find(std::string(key));
    if (found == object.end() || found->is_null()) {
        return nullptr;
    }
    return &*found;
}

// Reads one list entry: an object with a non-empty string `name_key` and an optional Value.
Result<NamedText> read_entry(const Json& entry,
                             std::string_view list_key,
                             std::string_view name_key) {
    if (!entry.is_object()) {
        return malformed(std::string(list_key) + " holds an entry that is not an object");
    }
    Result<std::string> name = required_text(entry, name_key, Accept::string);
    if (!name) {
        return malformed(std::string(list_key) + " entry: " + name.error().detail);
    }
    const Json* value = find_member(entry, "Value");
    if (value == nullptr) {
        return NamedText{std::move(*name), std::nullopt};
    }
    Result<std::string> text = scalar_text(*value, Accept::number_or_string, "Value");
    if (!text) {
        return malformed(std::string(list_key) + " entry: " + text.error().detail);
    }
    const ValueType type = value->is_string()   ? ValueType::string
                           : value->is_binary() ? ValueType::decimal
                                                : ValueType::integer;
    return NamedText{std::move(*name), std::move(*text), type};
}

}  // namespace

Error malformed(std::string detail) {
    return make_error(ErrorCode::malformed_callback, std::move(detail));
}

Result<Json> parse_document(std::string_view body) {
    if (body.size() > kCallbackBodyBytesMax) {
        return malformed("body is larger than " + std::to_string(kCallbackBodyBytesMax) + " bytes");
    }
    Json root;
    ExactDomParser parser(root);
    bool parsed = false;
    try {
        parsed = Json::sax_parse(body, &parser, Json::input_format_t::json, true, false);
    } catch (const Json::exception&) {
        // nlohmann reports JSON errors through parse_error; this backstop keeps the parser
        // total should a library version throw instead.
        return malformed(std::string(kNotJson));
    }
    if (parser.problem()) {
        return malformed(*parser.problem());
    }
    if (!parsed || parser.is_errored()) {
        return malformed(std::string(kNotJson));
    }
    if (!root.is_object()) {
        return malformed("body is not a JSON object");
    }
    return root;
}

Result<const Json*> optional_object(const Json& parent, std::string_view key) {
    const Json* member = find_member(parent, key);
    if (member != nullptr && !member->is_object()) {
        return malformed(std::string(key) + " is not an object");
    }
    return member;
}

Result<const Json*> required_object(const Json& parent, std::string_view key) {
    Result<const Json*> member = optional_object(parent, key);
    if (member && *member == nullptr) {
        return malformed(std::string(key) + " is missing");
    }
    return member;
}

Result<std::string> scalar_text(const Json& value, Accept accept, std::string_view field) {
    std::string text;
    if (value.is_string()) {
        text = value.get_ref<const std::string&>();
    } else if (accept != Accept::string && value.is_number_unsigned()) {
        text = std::to_string(value.get<std::uint64_t>());
    } else if (accept != Accept::string && value.is_number_integer()) {
        text = std::to_string(value.get<std::int64_t>());
    } else if (accept == Accept::number_or_string && value.is_binary()) {
        const Json::binary_t& source = value.get_binary();
        text.reserve(source.size());
        for (const std::uint8_t byte : source) {
            text.push_back(static_cast<char>(byte));
        }
    } else {
        return malformed(std::string(field) + " has the wrong type");
    }
    if (text.size() > kCallbackTextBytesMax) {
        return malformed(std::string(field) + " is longer than " +
                         std::to_string(kCallbackTextBytesMax) + " bytes");
    }
    for (const char c : text) {
        if (is_control(c)) {
            return malformed(std::string(field) + " contains a control character");
        }
    }
    return text;
}

Result<std::optional<std::string>> optional_text(const Json& object,
                                                 std::string_view key,
                                                 Accept accept) {
    const Json* member = find_member(object, key);
    if (member == nullptr) {
        return std::optional<std::string>{};
    }
    Result<std::string> text = scalar_text(*member, accept, key);
    if (!text) {
        return text.error();
    }
    return std::optional<std::string>{std::move(*text)};
}

Result<std::string> required_text(const Json& object, std::string_view key, Accept accept) {
    Result<std::optional<std::string>> text = optional_text(object, key, accept);
    if (!text) {
        return text.error();
    }
    if (!text->has_value() || (*text)->empty()) {
        return malformed(std::string(key) + " is missing");
    }
    return std::move(**text);
}

Result<std::vector<NamedText>> named_list(const Json& parent,
                                          std::string_view list_key,
                                          std::string_view name_key) {
    const Json* list = find_member(parent, list_key);
    if (list == nullptr) {
        return std::vector<NamedText>{};
    }
    std::vector<const Json*> entries;
    if (list->is_object()) {
        entries.push_back(list);
    } else if (!list->is_array()) {
        return malformed(std::string(list_key) + " is neither an object nor an array");
    } else if (list->size() > kCallbackItemsMax) {
        return malformed(std::string(list_key) + " has more than " +
                         std::to_string(kCallbackItemsMax) + " entries");
    } else {
        for (const Json& entry : *list) {
            entries.push_back(&entry);
        }
    }
    std::vector<NamedText> named;
    for (const Json* entry : entries) {
        Result<NamedText> read = read_entry(*entry, list_key, name_key);
        if (!read) {
            return read.error();
        }
        const NamedText* earlier = find_named(named, read->name);
        if (earlier == nullptr) {
            named.push_back(std::move(*read));
        } else if (earlier->value != read->value) {
            return malformed(std::string(list_key) + " repeats a " + std::string(name_key) +
                             " with a different Value");
        }
    }
    return named;
}

const NamedText* find_named(const std::vector<NamedText>& list, std::string_view name) {
    for (const NamedText& entry : list) {
        if (entry.name == name) {
            return &entry;
        }
    }
    return nullptr;
}

Result<std::optional<std::string>> named_value(const std::vector<NamedText>& list,
                                               std::string_view name,
                                               Accept accept) {
    const NamedText* entry = find_named(list, name);
    if (entry == nullptr || !entry->value) {
        return std::optional<std::string>{};
    }
    const bool allowed = entry->type == ValueType::string ||
                         (entry->type == ValueType::integer && accept != Accept::string) ||
                         accept == Accept::number_or_string;
    if (!allowed) {
        return malformed(std::string(name) + " has the wrong type");
    }
    return entry->value;
}

Result<Cents> amount_from_text(std::string_view text, std::string_view field) {
    Result<Cents> amount = parse_kes(text, kCallbackAmountMax);
    if (!amount) {
        return malformed(std::string(field) + ": " + amount.error().detail);
    }
    return *amount;
}

}  // namespace gw::mpesa::callback_json
