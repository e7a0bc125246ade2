// Proves the deferred-callback memory: an answer makes that request's events ready, oldest
// first, once; other requests' events wait; old events and those beyond capacity are left to
// the webhook job.

#include "mpesa/deferred_callbacks.hpp"

#include <gtest/gtest.h>

namespace gw::mpesa {
namespace {

using namespace std::chrono_literals;

const TimePoint kStart = TimePoint{} + std::chrono::hours(24 * 365 * 50);

StoredEvent event_with_id(std::string id) {
    StoredEvent event;
    event.id = std::move(id);
    return event;
}

std::vector<std::string> ids_of(const std::vector<StoredEvent>& events) {
    std::vector<std::string> ids;
    for (const StoredEvent& event : events) {
        ids.push_back(event.id);
    }
    return ids;
}

TEST(DeferredCallbacks, AnAnswerMakesThatRequestsEventsReadyOldestFirst) {
    DeferredCallbacks deferred(16, 60s);
    deferred.remember("request-a", event_with_id("second"), kStart + 2s);
    deferred.remember("request-b", event_with_id("other"), kStart);
    deferred.remember("request-a", event_with_id("first"), kStart + 1s);

    EXPECT_TRUE(deferred.answered("request-a"));
    EXPECT_EQ(ids_of(deferred.take_ready()), (std::vector<std::string>{"first", "second"}));
    EXPECT_TRUE(deferred.take_ready().empty()) << "taken once";
    EXPECT_EQ(deferred.waiting(), 1u) << "request-b was not answered";
}

TEST(DeferredCallbacks, AnAnswerNobodyWaitsForReportsNothing) {
    DeferredCallbacks deferred(16, 60s);
    deferred.remember("request-a", event_with_id("event"), kStart);
    EXPECT_FALSE(deferred.answered("request-z"));
    EXPECT_TRUE(deferred.take_ready().empty());
    EXPECT_TRUE(deferred.answered("request-a"));
    EXPECT_FALSE(deferred.answered("request-a")) << "a second answer finds nothing left";
}

TEST(DeferredCallbacks, EventsOlderThanKeptForAreDropped) {
    DeferredCallbacks deferred(16, 60s);
    deferred.remember("request-old", event_with_id("old"), kStart);
    deferred.remember("request-new", event_with_id("new"), kStart + 61s);
    EXPECT_EQ(deferred.waiting(), 1u);
    EXPECT_FALSE(deferred.answered("request-old")) << "left to the webhook job";
    EXPECT_TRUE(deferred.answered("request-new"));
}

TEST(DeferredCallbacks, NothingIsKeptBeyondCapacityReadyEventsIncluded) {
    DeferredCallbacks deferred(2, 60s);
    deferred.remember("request-a", event_with_id("a"), kStart);
    ASSERT_TRUE(deferred.answered("request-a"));  // ready, not yet taken: still counts
    deferred.remember("request-b", event_with_id("b"), kStart);
    deferred.remember("request-c", event_with_id("c"), kStart);
    EXPECT_EQ(deferred.waiting(), 1u);
    EXPECT_FALSE(deferred.answered("request-c"));
    EXPECT_EQ(ids_of(deferred.take_ready()), std::vector<std::string>{"a"});
    deferred.remember("request-d", event_with_id("d"), kStart);
    EXPECT_TRUE(deferred.answered("request-d")) << "room again once the ready ones are taken";
}

}  // namespace
}  // namespace gw::mpesa
