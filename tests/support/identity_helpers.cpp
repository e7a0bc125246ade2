#include "support/identity_helpers.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

namespace gw::test {
namespace {

std::uint32_t crc32(std::string_view bytes) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (const char c : bytes) {
        crc ^= static_cast<unsigned char>(c);
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}

std::string big_endian32(std::uint32_t value) {
    std::string out(4, '\0');
    for (int i = 0; i < 4; ++i) {
        out[static_cast<std::size_t>(i)] = static_cast<char>((value >> (24 - 8 * i)) & 0xFFu);
    }
    return out;
}

std::string png_chunk(std::string_view type, std::string_view data) {
    const std::string typed = std::string(type) + std::string(data);
    return big_endian32(static_cast<std::uint32_t>(data.size())) + typed +
           big_endian32(crc32(typed));
}

std::string ihdr_data() {
    // width 1, height 1, bit depth 8, colour type 6 (RGBA), compression, filter, interlace 0.
    return big_endian32(1) + big_endian32(1) + std::string("\x08\x06\x00\x00\x00", 5);
}

std::string bytes_of(std::initializer_list<int> values) {
    std::string out;
    for (const int value : values) {
        out.push_back(static_cast<char>(value));
    }
    return out;
}

}  // namespace

std::string png_bytes() {
    // zlib stream of one scanline: filter byte 0 and one transparent black RGBA pixel.
    const std::string idat =
        bytes_of({0x78, 0xda, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01});
    return std::string("\x89PNG\r\n\x1a\n", 8) + png_chunk("IHDR", ihdr_data()) +
           png_chunk("tEXt", "Comment" + std::string(1, '\0') + std::string(kPngMarker)) +
           png_chunk("IDAT", idat) + png_chunk("IEND", "");
}

std::string png_ihdr_chunk() {
    return "IHDR" + ihdr_data();
}

std::string pdf_bytes(std::string_view marker, std::size_t size) {
    const std::string head = "%PDF-1.4\n%" + std::string(marker) + "\n";
    const std::string tail =
        "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        "trailer\n<< /Root 1 0 R >>\n%%EOF\n";
    const std::size_t natural = head.size() + tail.size();
    if (size == 0) {
        return head + tail;
    }
    EXPECT_GE(size, natural + 2) << "pdf_bytes: too small to pad";
    const std::size_t padding = size > natural + 2 ? size - natural - 2 : 0;
    return head + "%" + std::string(padding, 'x') + "\n" + tail;
}

std::string jpeg_bytes() {
    return bytes_of({0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J',  'F',  'I',  'F',  0x00,
                     0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9});
}

std::string elf_bytes() {
    std::string elf = bytes_of({0x7F, 'E', 'L', 'F', 2, 1, 1, 0});  // 64-bit, LSB, version 1
    elf.append(8, '\0');
    elf += bytes_of({2, 0, 62, 0, 1, 0, 0, 0});                // ET_EXEC, x86-64, version 1
    elf += bytes_of({0x00, 0x10, 0x40, 0, 0, 0, 0, 0});        // entry 0x401000
    elf += bytes_of({64, 0, 0, 0, 0, 0, 0, 0});                // program headers at 64
    elf.append(8, '\0');                                       // no section headers
    elf.append(4, '\0');                                       // flags
    elf += bytes_of({64, 0, 56, 0, 0, 0, 64, 0, 0, 0, 0, 0});  // sizes and counts
    elf.append(64, '\0');
    return elf;
}

JsonResponse post_multipart(const RunningApp& app,
                            const std::string& path,
                            const httplib::MultipartFormDataItems& items,
                            const std::string& bearer) {
    httplib::Client client = app.client();
    httplib::Headers headers;
    if (!bearer.empty()) {
        headers.emplace("Authorization", "Bearer " + bearer);
    }
    return to_json_response(client.Post(path.c_str(), headers, items), "POST " + path);
}

JsonResponse upload_kyc(const RunningApp& app,
                        const std::string& bearer,
                        const std::string& doc_type,
                        const std::string& content,
                        const std::string& filename,
                        const std::string& content_type) {
    return post_multipart(
        app,
        "/user/kyc/upload",
        {{"doc_type", doc_type, "", ""}, {"file", content, filename, content_type}},
        bearer);
}

JsonResponse post_raw(const RunningApp& app,
                      const std::string& path,
                      const std::string& body,
                      const std::string& content_type,
                      const std::string& bearer) {
    httplib::Client client = app.client();
    httplib::Headers headers;
    if (!bearer.empty()) {
        headers.emplace("Authorization", "Bearer " + bearer);
    }
    return to_json_response(client.Post(path.c_str(), headers, body, content_type.c_str()),
                            "POST " + path);
}

std::string header_of(const JsonResponse& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
        if (key.size() == name.size() &&
            std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) ==
                       std::tolower(static_cast<unsigned char>(b));
            })) {
            return value;
        }
    }
    return {};
}

std::map<std::string, std::string> files_under(const std::filesystem::path& dir) {
    std::map<std::string, std::string> files;
    std::error_code error;
    if (!std::filesystem::exists(dir, error)) {
        return files;
    }
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file()) {
            continue;
        }
        std::ifstream in(entry.path(), std::ios::binary);
        files.emplace(
            entry.path().string(),
            std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()));
    }
    return files;
}

bool contains_bytes(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

std::string hex_of(std::string_view bytes) {
    static constexpr std::array<char, 16> kDigits = {
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        hex.push_back(kDigits[byte >> 4]);
        hex.push_back(kDigits[byte & 0x0F]);
    }
    return hex;
}

std::int64_t row_count(const RunningApp& app, const std::string& table) {
    return std::stoll(app.query("SELECT count(*) FROM " + table));
}

JsonResponse register_user(const RunningApp& app,
                           const std::string& username,
                           const std::string& email,
                           const std::string& phone,
                           const std::string& password) {
    return request_json(
        app,
        "POST",
        "/auth/register",
        {{"username", username}, {"email", email}, {"phone", phone}, {"password", password}});
}

JsonResponse login(const RunningApp& app,
                   const std::string& username,
                   const std::string& password) {
    return request_json(
        app, "POST", "/auth/login", {{"username", username}, {"password", password}});
}

nlohmann::json user_with_documents(const RunningApp& app, const std::string& username) {
    nlohmann::json user = register_and_login(app, username);
    const std::string token = user.value("access_token", "");
    const std::map<std::string, std::string> files = {
        {"id_front", png_bytes()}, {"id_back", pdf_bytes()}, {"selfie", jpeg_bytes()}};
    for (const auto& [doc_type, content] : files) {
        const JsonResponse uploaded = upload_kyc(app, token, doc_type, content);
        EXPECT_EQ(uploaded.status, 201) << uploaded.raw;
        user["documents"][doc_type] =
            uploaded.body.is_object() ? uploaded.body.value("id", "") : "";
    }
    return user;
}

}  // namespace gw::test
