#pragma once

#include <string_view>

namespace gw::app {

inline constexpr std::string_view kVersion = "0.1.0";

}  // namespace gw::app
