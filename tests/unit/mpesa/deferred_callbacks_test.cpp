// Proves the deferred-callback memory: an answer makes that request's events ready, oldest
// first, once; other requests' events wait; an event deferred again is kept once; old events
// and bodies beyond the byte bound are left to the webhook job.

#include "mpesa/deferred_callbacks.hpp"

#include <gtest/gtest.h>

namespace gw::mpesa {
namespace {

using std::chrono::seconds;

const TimePoint kStart = TimePoint{} + std::chrono::hours(24 * 365 * 50);

StoredEvent event_with_id(std::string id, std::size_t body_bytes = 10) {
    StoredEvent event;
    event.id = std::move(id);
    event.body = std::string(body_bytes, 'x');
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
    DeferredCallbacks deferred(1000, seconds(60));
    deferred.remember("request-a", event_with_id("second"), kStart + seconds(2));
    deferred.remember("request-b", event_with_id("other"), kStart);
    deferred.remember("request-a", event_with_id("first"), kStart + seconds(1));

    EXPECT_TRUE(deferred.answered("request-a"));
    EXPECT_EQ(ids_of(deferred.take_ready()), (std::vector<std::string>{"first", "second"}));
    EXPECT_TRUE(deferred.take_ready().empty()) << "taken once";
    EXPECT_EQ(deferred.waiting(), 1u) << "request-b was not answered";
}

TEST(DeferredCallbacks, AnAnswerNobodyWaitsForReportsNothing) {
    DeferredCallbacks deferred(1000, seconds(60));
    deferred.remember("request-a", event_with_id("event"), kStart);
    EXPECT_FALSE(deferred.answered("request-z"));
    EXPECT_TRUE(deferred.take_ready().empty());
    EXPECT_TRUE(deferred.answered("request-a"));
    EXPECT_FALSE(deferred.answered("request-a")) << "a second answer finds nothing left";
}

TEST(DeferredCallbacks, EventsOlderThanKeptForAreDropped) {
    DeferredCallbacks deferred(1000, seconds(60));
    deferred.remember("request-old", event_with_id("old"), kStart);
    deferred.remember("request-new", event_with_id("new"), kStart + seconds(61));
    EXPECT_EQ(deferred.waiting(), 1u);
    EXPECT_FALSE(deferred.answered("request-old")) << "left to the webhook job";
    EXPECT_TRUE(deferred.answered("request-new"));
}

TEST(DeferredCallbacks, AnEventDeferredAgainIsKeptOnce) {
    DeferredCallbacks deferred(1000, seconds(60));
    deferred.remember("request-a", event_with_id("event"), kStart);
    deferred.remember("request-a", event_with_id("event"), kStart + seconds(3));  // webhook job
    EXPECT_EQ(deferred.waiting(), 1u);
    ASSERT_TRUE(deferred.answered("request-a"));
    EXPECT_EQ(ids_of(deferred.take_ready()), std::vector<std::string>{"event"});
}

TEST(DeferredCallbacks, NoBodyIsKeptBeyondTheByteBoundReadyEventsIncluded) {
    DeferredCallbacks deferred(250, seconds(60));
    deferred.remember("request-a", event_with_id("a", 100), kStart);
    ASSERT_TRUE(deferred.answered("request-a"));  // ready, not yet taken: still counts
    deferred.remember("request-b", event_with_id("b", 150), kStart);  // exactly at the bound
    deferred.remember("request-c", event_with_id("c", 1), kStart);    // one byte over
    EXPECT_EQ(deferred.waiting(), 1u);
    EXPECT_FALSE(deferred.answered("request-c"));
    EXPECT_EQ(ids_of(deferred.take_ready()), std::vector<std::string>{"a"});
    deferred.remember("request-d", event_with_id("d", 100), kStart);
    EXPECT_TRUE(deferred.answered("request-d")) << "room again once the ready ones are taken";
}

TEST(DeferredCallbacks, DroppingOldEventsGivesTheirBytesBack) {
    DeferredCallbacks deferred(100, seconds(60));
    deferred.remember("request-old", event_with_id("old", 100), kStart);
    deferred.remember("request-new", event_with_id("new", 100), kStart + seconds(61));
    EXPECT_TRUE(deferred.answered("request-new"));
}

}  // namespace
}  // namespace gw::mpesa
