// Proves the callback source allowlist: empty allows all; IPv4 CIDR blocks at their edges,
// exact IPv4 and IPv6 addresses; unparsable entries are invalid and unparsable senders refused.

#include "mpesa/source_allowlist.hpp"

#include <gtest/gtest.h>

namespace gw::mpesa {
namespace {

TEST(SourceAllowlist, EmptyAllowsEveryone) {
    EXPECT_TRUE(source_allowed("203.0.113.9", {}));
    EXPECT_TRUE(source_allowed("garbage", {}));
}

TEST(SourceAllowlist, BlocksMatchAtTheirEdgesOnly) {
    const std::vector<std::string> safaricom = {"196.201.212.0/23", "196.201.214.0/24"};
    EXPECT_TRUE(source_allowed("196.201.212.0", safaricom));
    EXPECT_TRUE(source_allowed("196.201.212.69", safaricom));
    EXPECT_TRUE(source_allowed("196.201.213.255", safaricom));
    EXPECT_TRUE(source_allowed("196.201.214.255", safaricom));
    EXPECT_FALSE(source_allowed("196.201.211.255", safaricom));
    EXPECT_FALSE(source_allowed("196.201.215.0", safaricom));
    EXPECT_FALSE(source_allowed("127.0.0.1", safaricom));
    EXPECT_FALSE(source_allowed("not an address", safaricom));
    EXPECT_FALSE(source_allowed("::1", safaricom));
}

TEST(SourceAllowlist, ExactAddressesAndTheWholeInternet) {
    EXPECT_TRUE(source_allowed("127.0.0.1", {"127.0.0.1"}));
    EXPECT_FALSE(source_allowed("127.0.0.2", {"127.0.0.1"}));
    EXPECT_TRUE(source_allowed("::1", {"::1"}));
    EXPECT_TRUE(source_allowed("8.8.8.8", {"0.0.0.0/0"}));
}

TEST(SourceAllowlist, ValidatesEntries) {
    for (const char* good :
         {"196.201.212.0/24", "10.0.0.1", "0.0.0.0/0", "10.0.0.0/32", "::1", "2001:db8::1"}) {
        EXPECT_TRUE(is_valid_allowlist_entry(good)) << good;
    }
    for (const char* bad : {"",
                            "10.0.0.0/33",
                            "10.0.0.0/-1",
                            "10.0.0/24",
                            "10.0.0.0/",
                            "10.0.0.0/2x",
                            "example.com",
                            "2001:db8::/32"}) {
        EXPECT_FALSE(is_valid_allowlist_entry(bad)) << bad;
    }
}

}  // namespace
}  // namespace gw::mpesa
