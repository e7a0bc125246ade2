#pragma once

// The binaries the e2e tests spawn, as this tree built them (compile definitions of e2e_cli).

#include <filesystem>

namespace gw::test {

inline const std::filesystem::path kGoldwalletBinary = GW_BINARY_PATH;

}  // namespace gw::test
