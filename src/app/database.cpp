#include "app/database.hpp"

#include "observability/log.hpp"

namespace gw::app {

Database::Database(const Config& config, EmbeddedStopPolicy policy) : policy_(policy) {
    if (!config.use_embedded_db) {
        connection_string_ = config.db.connection_string;
        return;
    }
    embedded_ = std::make_unique<db::EmbeddedPostgres>(db::embedded_settings_for_data_dir(
        config.data_dir, config.embedded_db.pg_bin_dir, config.embedded_db.os_user));
    started_here_ = embedded_->start();
    connection_string_ = embedded_->connection_string();
    obs::log_info("db.embedded.ready", {{"data_dir", config.data_dir.string()},
                                        {"started_here", started_here_}});
}

Database::~Database() {
    try {
        shut_down();
    } catch (const std::exception& error) {
        obs::log_error("db.embedded.stop_failed", {{"what", error.what()}});
    }
}

void Database::shut_down() {
    if (!embedded_) {
        return;
    }
    if (policy_ == EmbeddedStopPolicy::always || started_here_) {
        embedded_->stop();
        obs::log_info("db.embedded.stopped");
    }
    embedded_.reset();
}

}  // namespace gw::app
