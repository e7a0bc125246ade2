#pragma once

// The optional state file (--state-file): transactions, balances and the id counter as JSON,
// written to a temporary file and renamed over the old one, so a crash mid-write leaves the
// previous state intact and a restart keeps the statement.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "daraja-sim/transaction.hpp"

namespace gw::sim {

struct PersistedState {
    std::uint64_t id_counter = 0;
    std::map<std::string, std::int64_t> balances_kes;  // shortcode -> balance
    std::vector<Transaction> transactions;
};

// Writes `state` to `path` (via "<path>.tmp" and rename). Throws std::runtime_error when the
// file cannot be written.
void save_state_file(const std::filesystem::path& path, const PersistedState& state);

// Returns the state saved at `path`, or nullopt when there is no such file. Throws
// std::runtime_error (or nlohmann::json::exception) when it exists but cannot be read.
std::optional<PersistedState> load_state_file(const std::filesystem::path& path);

}  // namespace gw::sim
