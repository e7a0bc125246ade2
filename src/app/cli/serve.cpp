#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>
#include <pthread.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "app/cli/commands.hpp"
#include "app/database.hpp"
#include "app/schema.hpp"
#include "app/version.hpp"
#include "app/wiring.hpp"
#include "db/node_start_store.hpp"
#include "db/outbox_store.hpp"
#include "jobs/scheduler.hpp"
#include "ledger/expiry.hpp"
#include "mpesa/mpesa_gateway.hpp"
#include "observability/log.hpp"

namespace gw::app {
namespace {

// Blocks SIGINT and SIGTERM in this thread and every thread it creates afterwards, so only the
// dedicated waiter below ever receives them.
sigset_t block_shutdown_signals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return signals;
}

// Waits for SIGINT/SIGTERM, or for `wake` (SIGUSR1 sent when serving ended on its own).
void wait_for_shutdown(sigset_t signals, Application& application) {
    int received = 0;
    sigwait(&signals, &received);
    if (received != SIGUSR1) {
        obs::log_info("serve.shutdown_requested", {{"signal", received}});
    }
    application.stop();
}

std::string host_name() {
    char name[256] = {};
    return gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string("unknown");
}

std::string listen_url(const Config& config, int port) {
    const bool tls = !config.http.tls_cert_path.empty();
    return std::string(tls ? "https://" : "http://") + config.http.host + ":" +
           std::to_string(port);
}

// The periodic jobs of one node (each safe with several nodes running it).
void add_background_jobs(jobs::Scheduler& scheduler, const Config& config, Application& application) {
    scheduler.add("kyc_purge", config.kyc_purge_interval, [&application](TimePoint now) {
        return jobs::JobReport{application.kyc().purge_expired(now)};
    });
    scheduler.add("ledger_expiry", std::chrono::seconds(5), [&application](TimePoint now) {
        return jobs::JobReport{ledger::void_expired_pending(application.pool(), application.ledger_writer(),
                                                            now, 500)};
    });
    // Callbacks left for later (confirmation by STK Query, one that beat the gateway's record
    // step, one whose processing failed): picked up once their last attempt is 2 s old.
    scheduler.add("webhook_retry", std::chrono::seconds(1), [&application](TimePoint) {
        const std::size_t processed =
            application.callbacks().retry_pending(std::chrono::seconds(2), 100);
        return jobs::JobReport{processed};
    });
    // Buys past their payment deadline: asked about (STK Query), then settled or voided.
    scheduler.add("buy_sweeper", config.sweep_interval, [&application](TimePoint now) {
        const jobs::SweepReport report = application.buy_sweeper().sweep(now, 200);
        return jobs::JobReport{report.settled + report.expired};
    });
    // B2C payouts past their timeout: asked about (Transaction Status); the answer settles them.
    scheduler.add("payout_sweeper", config.sweep_interval, [&application](TimePoint now) {
        return jobs::JobReport{application.payout_sweeper().sweep(now, 100).asked};
    });
}

// The daily reconciliation, on a scheduler of its own so a long run never delays the sweepers.
// Every node checks each minute; the advisory lock and the one-run-per-day index let one run it.
std::unique_ptr<jobs::Scheduler> start_daily_reconciliation(const Clock& clock, Application& application) {
    auto scheduler = std::make_unique<jobs::Scheduler>(clock, application.metrics());
    scheduler->add("reconciliation_daily", std::chrono::minutes(1), [&application](TimePoint now) {
        const auto run = application.reconciler().run_scheduled_if_due(now);
        return jobs::JobReport{run ? std::size_t{1} : std::size_t{0}};
    });
    scheduler->start();
    return scheduler;
}

// STK callbacks that beat the record of Daraja's answer, processed as soon as that record
// commits on this node (the webhook job above takes the rest), on a thread of their own.
std::unique_ptr<jobs::Scheduler> start_answered_callbacks(const Clock& clock, Application& application) {
    auto scheduler = std::make_unique<jobs::Scheduler>(clock, application.metrics());
    scheduler->add("webhook_answered", std::chrono::seconds(1), [&application](TimePoint) {
        return jobs::JobReport{application.callbacks().process_answered()};
    });
    scheduler->start();
    jobs::Scheduler* wakeable = scheduler.get();
    application.pool().listen(std::string(mpesa::kRequestAnsweredChannel),
                              [&application, wakeable](const std::string& request_id) {
                                  if (application.callbacks().note_answered(request_id)) {
                                      wakeable->wake();
                                  }
                              });
    return scheduler;
}

// The outbox workers, each on its own scheduler thread (a scheduler runs one job at a time).
std::vector<std::unique_ptr<jobs::Scheduler>> start_outbox_workers(const Config& config, const Clock& clock,
                                                                   Application& application) {
    std::vector<std::unique_ptr<jobs::Scheduler>> workers;
    for (std::size_t i = 0; i < config.outbox.worker_count; ++i) {
        auto& worker = workers.emplace_back(std::make_unique<jobs::Scheduler>(clock, application.metrics()));
        worker->add("outbox_" + std::to_string(i), std::chrono::milliseconds(config.outbox.poll_interval_ms),
                    [&application](TimePoint now) { return application.outbox().run_once(now); });
        worker->start();
    }
    // Each message a commit queued wakes one worker (in turn), so a buy's STK push goes out at
    // once rather than at the next poll; the poll remains for retries and other nodes' messages.
    // The schedulers stay where they are when the vector of their owners moves.
    std::vector<jobs::Scheduler*> wakeable;
    for (const auto& worker : workers) {
        wakeable.push_back(worker.get());
    }
    if (!wakeable.empty()) {
        auto turn = std::make_shared<std::atomic<std::size_t>>(0);
        application.pool().listen(std::string(db::kOutboxChannel), [wakeable, turn](const std::string&) {
            wakeable[turn->fetch_add(1, std::memory_order_relaxed) % wakeable.size()]->wake();
        });
    }
    return workers;
}

}  // namespace

int run_serve(const Config& config, Secrets secrets) {
    sigset_t signals = block_shutdown_signals();
    sigaddset(&signals, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    Database database(config, EmbeddedStopPolicy::always);
    if (config.auto_migrate) {
        const auto report = apply_schema(database.connection_string());
        if (!report) {
            std::cerr << "goldwallet serve: " << to_string(report.error().code) << ": "
                      << report.error().detail << "\n";
            return kExitFailure;
        }
    }
    Config serving = config;
    serving.db.connection_string = database.connection_string();
    const SystemClock clock;
    Application application(serving, std::move(secrets), clock);
    db::record_node_start(application.pool(), std::string(kVersion), host_name());
    const int port = application.bind();
    obs::log_info("serve.listening", {{"url", listen_url(config, port)},
                                      {"embedded_db", database.embedded()}});

    jobs::Scheduler scheduler(clock, application.metrics());
    add_background_jobs(scheduler, config, application);
    scheduler.start();
    const auto answered_callbacks = start_answered_callbacks(clock, application);
    const auto outbox_workers = start_outbox_workers(config, clock, application);
    const auto daily_reconciliation = start_daily_reconciliation(clock, application);

    std::thread waiter(wait_for_shutdown, signals, std::ref(application));
    application.serve();
    application.pool().listen(std::string(db::kOutboxChannel), {});
    for (auto& worker : outbox_workers) {
        worker->stop();
    }
    application.pool().listen(std::string(mpesa::kRequestAnsweredChannel), {});
    answered_callbacks->stop();
    daily_reconciliation->stop();
    scheduler.stop();
    pthread_kill(waiter.native_handle(), SIGUSR1);  // harmless when the waiter already returned
    waiter.join();
    obs::log_info("serve.stopped");
    return kExitOk;
}

}  // namespace gw::app
