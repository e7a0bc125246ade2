#include "mpesa/mpesa_request.hpp"

#include <array>
#include <utility>

namespace gw::mpesa {
namespace {

constexpr std::array<std::pair<RequestKind, std::string_view>, 2> kKinds = {{
    {RequestKind::stk_push, "stk_push"},
    {RequestKind::b2c_payment, "b2c_payment"},
}};

constexpr std::array<std::pair<RequestStatus, std::string_view>, 6> kStatuses = {{
    {RequestStatus::created, "created"},
    {RequestStatus::accepted, "accepted"},
    {RequestStatus::rejected, "rejected"},
    {RequestStatus::unknown, "unknown"},
    {RequestStatus::succeeded, "succeeded"},
    {RequestStatus::failed, "failed"},
}};

template <typename Enum, std::size_t N>
std::string_view name_in(const std::array<std::pair<Enum, std::string_view>, N>& table,
                         Enum value) {
    for (const auto& [candidate, name] : table) {
        if (candidate == value) {
            return name;
        }
    }
    return "unknown";
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_in(const std::array<std::pair<Enum, std::string_view>, N>& table,
                             std::string_view text) {
    for (const auto& [candidate, name] : table) {
        if (name == text) {
            return candidate;
        }
    }
    return std::nullopt;
}

}  // namespace

std::string_view to_string(RequestKind kind) {
    return name_in(kKinds, kind);
}
std::string_view to_string(RequestStatus status) {
    return name_in(kStatuses, status);
}

std::optional<RequestKind> parse_request_kind(std::string_view text) {
    return value_in(kKinds, text);
}

std::optional<RequestStatus> parse_request_status(std::string_view text) {
    return value_in(kStatuses, text);
}

bool is_final(RequestStatus status) {
    return status == RequestStatus::rejected || status == RequestStatus::succeeded ||
           status == RequestStatus::failed;
}

}  // namespace gw::mpesa
