#include "support/json_schema_check.hpp"

#include <algorithm>
#include <regex>
#include <set>

namespace gw::test {
namespace {

using Json = nlohmann::json;

bool has_type(const Json& value, const std::string& type) {
    if (type == "object") {
        return value.is_object();
    }
    if (type == "array") {
        return value.is_array();
    }
    if (type == "string") {
        return value.is_string();
    }
    if (type == "integer") {
        return value.is_number_integer();
    }
    if (type == "number") {
        return value.is_number();
    }
    if (type == "boolean") {
        return value.is_boolean();
    }
    return type == "null" && value.is_null();
}

class Checker {
public:
    explicit Checker(const Json& document) : document_(document) {}

    // Adds a line to problems() for every way `value`, found at `where`, breaks `schema`.
    void check(const Json& schema, const Json& value, const std::string& where) {
        if (!schema.is_object()) {
            return;  // `true`, `{}` and friends accept everything
        }
        if (const auto ref = schema.find("$ref"); ref != schema.end()) {
            if (const Json* target = resolve(*ref, where)) {
                check(*target, value, where);
            }
        }
        check_combinators(schema, value, where);
        check_scalar(schema, value, where);
        if (value.is_object()) {
            check_object(schema, value, where);
        }
        if (value.is_array() && schema.contains("items")) {
            for (std::size_t i = 0; i < value.size(); ++i) {
                check(schema["items"], value[i], where + "[" + std::to_string(i) + "]");
            }
        }
    }

    const std::vector<std::string>& problems() const { return problems_; }

private:
    const Json* resolve(const Json& ref, const std::string& where) {
        const std::string text = ref.is_string() ? ref.get<std::string>() : std::string();
        try {
            if (text.starts_with("#")) {
                const Json::json_pointer pointer(text.substr(1));
                if (document_.contains(pointer)) {
                    return &document_.at(pointer);
                }
            }
        } catch (const Json::exception&) {
            // reported below
        }
        problems_.push_back(where + ": $ref " + text + " does not resolve");
        return nullptr;
    }

    bool conforms(const Json& schema, const Json& value, const std::string& where) {
        Checker branch(document_);
        branch.check(schema, value, where);
        return branch.problems().empty();
    }

    void check_combinators(const Json& schema, const Json& value, const std::string& where) {
        for (const Json& member : schema.value("allOf", Json::array())) {
            check(member, value, where);
        }
        for (const char* keyword : {"anyOf", "oneOf"}) {
            if (!schema.contains(keyword)) {
                continue;
            }
            std::size_t matched = 0;
            for (const Json& member : schema[keyword]) {
                matched += conforms(member, value, where) ? 1 : 0;
            }
            const bool one_of = std::string(keyword) == "oneOf";
            if (matched == 0 || (one_of && matched > 1)) {
                problems_.push_back(where + ": " + std::to_string(matched) + " branches of " +
                                    keyword + " match " + value.dump());
            }
        }
    }

    void check_scalar(const Json& schema, const Json& value, const std::string& where) {
        if (const auto type = schema.find("type"); type != schema.end()) {
            const Json types = type->is_array() ? *type : Json::array({*type});
            bool any = false;
            for (const Json& name : types) {
                any = any || has_type(value, name.get<std::string>());
            }
            if (!any) {
                problems_.push_back(where + ": " + value.dump() + " is not of type " +
                                    type->dump());
            }
        }
        if (schema.contains("const") && schema["const"] != value) {
            problems_.push_back(where + ": " + value.dump() + " is not " + schema["const"].dump());
        }
        if (const auto values = schema.find("enum");
            values != schema.end() &&
            std::find(values->begin(), values->end(), value) == values->end()) {
            problems_.push_back(where + ": " + value.dump() + " is not one of " + values->dump());
        }
        if (schema.contains("pattern") && value.is_string() &&
            !std::regex_search(value.get<std::string>(),
                               std::regex(schema["pattern"].get<std::string>()))) {
            problems_.push_back(where + ": " + value.dump() + " does not match " +
                                schema["pattern"].dump());
        }
    }

    // The property names `schema` declares; `deep` also counts those of its $ref and allOf.
    void declared(const Json& schema, bool deep, std::set<std::string>& names) {
        if (!schema.is_object()) {
            return;
        }
        const Json properties = schema.value("properties", Json::object());
        for (const auto& [name, property] : properties.items()) {
            names.insert(name);
        }
        if (!deep) {
            return;
        }
        if (schema.contains("$ref")) {
            if (const Json* target = resolve(schema["$ref"], "$ref")) {
                declared(*target, true, names);
            }
        }
        for (const Json& member : schema.value("allOf", Json::array())) {
            declared(member, true, names);
        }
    }

    void check_object(const Json& schema, const Json& value, const std::string& where) {
        for (const Json& name : schema.value("required", Json::array())) {
            if (!value.contains(name.get<std::string>())) {
                problems_.push_back(where + ": required member " + name.dump() + " is missing");
            }
        }
        const Json properties = schema.value("properties", Json::object());
        for (const auto& [name, member] : value.items()) {
            if (properties.contains(name)) {
                check(properties[name], member, where + "." + name);
            }
        }
        for (const auto& [keyword, deep] :
             {std::pair{"additionalProperties", false}, std::pair{"unevaluatedProperties", true}}) {
            if (schema.value(keyword, Json(true)) != Json(false)) {
                continue;
            }
            std::set<std::string> names;
            declared(schema, deep, names);
            for (const auto& [name, member] : value.items()) {
                if (names.count(name) == 0) {
                    problems_.push_back(where + ": undocumented member \"" + name + "\"");
                }
            }
        }
    }

    const Json& document_;
    std::vector<std::string> problems_;
};

}  // namespace

std::vector<std::string> schema_violations(const nlohmann::json& document,
                                           const nlohmann::json& schema,
                                           const nlohmann::json& value) {
    Checker checker(document);
    checker.check(schema, value, "$");
    return checker.problems();
}

}  // namespace gw::test
