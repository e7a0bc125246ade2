// Replays a checked-in fuzz corpus through an LLVMFuzzerTestOneInput entry point, so under GCC
// (no libFuzzer) every *_fuzz.cpp still runs as a plain CTest, inside the ASan+UBSan build too
// (STYLE 18). Usage: fuzz_<name> <corpus-directory>. Files are fed in name order for
// reproducible runs. Exits 0 after "replayed N inputs"; exits 1 if the directory is missing,
// unreadable or holds no files, because a test that replays nothing proves nothing. A property
// violation traps inside the entry point and fails the test with a signal.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

// NOLINTNEXTLINE(readability-identifier-naming): the libFuzzer entry point name is fixed.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

// Every regular file directly in `directory`, sorted; empty if the directory cannot be read.
std::vector<std::filesystem::path> corpus_files(const std::filesystem::path& directory) {
    std::vector<std::filesystem::path> files;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
        if (entry.is_regular_file(error)) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

bool read_file(const std::filesystem::path& path, std::string& contents) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    contents.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <corpus-directory>\n", argc > 0 ? argv[0] : "replay");
        return 1;
    }
    const std::filesystem::path directory(argv[1]);
    std::error_code error;
    if (!std::filesystem::is_directory(directory, error)) {
        std::fprintf(stderr, "corpus directory not found: %s\n", argv[1]);
        return 1;
    }
    const std::vector<std::filesystem::path> files = corpus_files(directory);
    if (files.empty()) {
        std::fprintf(stderr, "corpus directory is empty: %s\n", argv[1]);
        return 1;
    }
    std::string contents;
    for (const auto& path : files) {
        if (!read_file(path, contents)) {
            std::fprintf(stderr, "cannot read corpus file: %s\n", path.c_str());
            return 1;
        }
        // A copy in an exactly sized heap buffer, so ASan flags any read past the end.
        std::vector<std::uint8_t> input(contents.begin(), contents.end());
        LLVMFuzzerTestOneInput(input.data(), input.size());
    }
    std::printf("replayed %zu inputs\n", files.size());
    return 0;
}
