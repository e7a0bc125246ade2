#include "app/wiring.hpp"

#include "db/embedded_migrations.hpp"
#include "db/migrate.hpp"
#include "http/routes/health_routes.hpp"
#include "observability/log.hpp"

namespace gw::app {

Application::Application(const Config& config) : pool_(config.db) {
    register_pool_gauges();
    http::add_health_routes(router_, [this] { return check_ready(); }, metrics_);
    server_ = std::make_unique<http::Server>(config.http, router_, metrics_);
}

Application::~Application() {
    stop();
    pool_.close_idle();
}

int Application::bind() { return server_->bind(); }

void Application::serve() { server_->serve(); }

void Application::stop() { server_->stop(); }

Result<void> Application::check_ready() {
    try {
        db::PooledConnection connection = pool_.acquire();
        pqxx::nontransaction tx(*connection, "readyz.ping");
        tx.exec("SELECT 1");
        tx.commit();
        if (auto current = db::check_migrations_current(*connection,
                                                        db::embedded_migration_files());
            !current) {
            return make_error(ErrorCode::service_unavailable, "database schema is not current");
        }
        return {};
    } catch (const std::exception& error) {
        obs::log_warn("readyz.database_unreachable", {{"what", error.what()}});
        return make_error(ErrorCode::service_unavailable, "database unreachable");
    }
}

void Application::register_pool_gauges() {
    metrics_.add_gauge("goldwallet_db_pool_connections", "Database connections by state", [this] {
        const db::PoolStats stats = pool_.stats();
        return std::vector<obs::GaugeSample>{
            {{{"state", "in_use"}}, static_cast<std::int64_t>(stats.in_use)},
            {{{"state", "idle"}}, static_cast<std::int64_t>(stats.open - stats.in_use)},
        };
    });
    metrics_.add_gauge("goldwallet_db_pool_size_max", "Configured database pool size", [this] {
        return std::vector<obs::GaugeSample>{
            {{}, static_cast<std::int64_t>(pool_.stats().size_max)}};
    });
    metrics_.add_gauge("goldwallet_db_pool_waiting", "Threads waiting for a connection", [this] {
        return std::vector<obs::GaugeSample>{
            {{}, static_cast<std::int64_t>(pool_.stats().waiting)}};
    });
}

}  // namespace gw::app
