#include "daraja-sim/state_file.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace gw::sim {
namespace {

constexpr int kStateVersion = 1;

}  // namespace

void save_state_file(const std::filesystem::path& path, const PersistedState& state) {
    nlohmann::json json;
    json["version"] = kStateVersion;
    json["id_counter"] = state.id_counter;
    json["balances_kes"] = state.balances_kes;
    json["transactions"] = nlohmann::json::array();
    for (const Transaction& t : state.transactions) {
        json["transactions"].push_back(to_state_json(t));
    }
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path());
    }
    std::filesystem::path temporary = path;
    temporary += ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << json.dump() << '\n';
        out.flush();
        if (!out) {
            throw std::runtime_error("daraja-sim: cannot write state file " + temporary.string());
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) {
        throw std::runtime_error("daraja-sim: cannot replace state file " + path.string());
    }
}

std::optional<PersistedState> load_state_file(const std::filesystem::path& path) {
    if (!std::filesystem::exists(path)) {
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
        throw std::runtime_error("daraja-sim: cannot read state file " + path.string());
    }
    const nlohmann::json json = nlohmann::json::parse(text.str());
    if (json.at("version").get<int>() != kStateVersion) {
        throw std::runtime_error("daraja-sim: state file " + path.string() +
                                 " has another version");
    }
    PersistedState state;
    state.id_counter = json.at("id_counter").get<std::uint64_t>();
    state.balances_kes = json.at("balances_kes").get<std::map<std::string, std::int64_t>>();
    for (const nlohmann::json& t : json.at("transactions")) {
        state.transactions.push_back(from_state_json(t));
    }
    return state;
}

}  // namespace gw::sim
