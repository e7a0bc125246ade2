#include "db/prepared.hpp"

#include <array>
#include <cstdint>

namespace gw::db {

std::string statement_name(std::string_view sql) {
    constexpr std::uint64_t kOffsetBasis = 14695981039346656037ULL;
    constexpr std::uint64_t kPrime = 1099511628211ULL;
    std::uint64_t hash = kOffsetBasis;
    for (const char c : sql) {
        hash ^= static_cast<unsigned char>(c);
        hash *= kPrime;
    }
    constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                           '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    std::string name = "gw_";
    for (int shift = 60; shift >= 0; shift -= 4) {
        name += kHex[(hash >> shift) & 0xFU];
    }
    return name;
}

std::string prepare_on(pqxx::transaction_base& tx, const std::string& sql) {
    std::string name = statement_name(sql);
    // A no-op when the connection knows the statement already (same name, same text); libpqxx
    // registers it with the server on its first execution, then keeps it for the connection.
    tx.conn().prepare(name, sql);
    return name;
}

}  // namespace gw::db
