#pragma once

#include <string>
#include <vector>

namespace gw::db {

// One SQL migration as shipped: its file name (`NNNN_name.sql`) and its text.
struct MigrationFile {
    std::string file_name;
    std::string sql;
};

// Returns migrations/*.sql as compiled into this binary, sorted by file name.
const std::vector<MigrationFile>& embedded_migration_files();

}  // namespace gw::db
