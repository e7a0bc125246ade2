// Proves the pool's in-process notices: the channel's listener hears each announced key, a
// replaced or removed listener hears nothing more, and a listener that throws does not make the
// announcement (and so the commit it stands for) fail.

#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "db/pool.hpp"

namespace gw::db {
namespace {

TEST(PoolListen, TheChannelsListenerHearsEachKeyUntilRemoved) {
    ConnectionPool pool(Settings{});  // never connects: nothing here acquires
    std::vector<std::string> heard;
    pool.listen("channel", [&heard](const std::string& key) { heard.push_back(key); });
    pool.announce("channel", "a");
    pool.announce("other", "b");
    pool.announce("channel", "c");
    pool.listen("channel", {});
    pool.announce("channel", "d");
    EXPECT_EQ(heard, (std::vector<std::string>{"a", "c"}));
}

TEST(PoolListen, AListenerThatThrowsDoesNotFailTheAnnouncement) {
    ConnectionPool pool(Settings{});
    int calls = 0;
    pool.listen("channel", [&calls](const std::string&) {
        ++calls;
        throw std::runtime_error("listener broke");
    });
    EXPECT_NO_THROW(pool.announce("channel", "a"));
    EXPECT_NO_THROW(pool.announce("channel", "b"));
    EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace gw::db
