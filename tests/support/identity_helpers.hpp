#pragma once

// Helpers for the identity integration tests: small valid files of each KYC type (and a few
// invalid ones), multipart uploads, the bytes on disk under a KYC directory, and row counts.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include <httplib.h>

#include "support/app_fixture.hpp"

namespace gw::test {

// The password the tests register their users with (long enough, not a common one).
inline constexpr const char* kTestPassword = "correct horse battery staple";

// Distinctive plaintext embedded in the test files, to grep for on disk.
inline constexpr std::string_view kPngMarker = "gw-plaintext-marker-png-5f0c2a";
inline constexpr std::string_view kPdfMarker = "gw-plaintext-marker-pdf-93b7e1";

// A valid 1x1 RGBA PNG with a tEXt chunk holding kPngMarker.
std::string png_bytes();
// The 17 bytes "IHDR" + header data of png_bytes(): a distinctive run of the plaintext.
std::string png_ihdr_chunk();
// A minimal PDF carrying `marker` in a comment; when `size` is not 0 it is padded (inside a
// comment) to exactly `size` bytes. REQUIRES: size is 0 or at least the unpadded size.
std::string pdf_bytes(std::string_view marker = kPdfMarker, std::size_t size = 0);
// A minimal JPEG (SOI, JFIF APP0, EOI).
std::string jpeg_bytes();
// The 64-byte header of an x86-64 ELF executable plus padding: what libmagic calls
// application/x-executable.
std::string elf_bytes();

// POSTs `items` as multipart/form-data to `path` with an optional bearer token.
JsonResponse post_multipart(const RunningApp& app,
                            const std::string& path,
                            const httplib::MultipartFormDataItems& items,
                            const std::string& bearer);

// POST /user/kyc/upload with fields doc_type and file.
JsonResponse upload_kyc(const RunningApp& app,
                        const std::string& bearer,
                        const std::string& doc_type,
                        const std::string& content,
                        const std::string& filename = "document",
                        const std::string& content_type = "application/octet-stream");

// POSTs a raw body with the given Content-Type.
JsonResponse post_raw(const RunningApp& app,
                      const std::string& path,
                      const std::string& body,
                      const std::string& content_type,
                      const std::string& bearer = {});

// The value of header `name` (case-insensitive), or "".
std::string header_of(const JsonResponse& response, const std::string& name);

// Every regular file under `dir` (recursively) by path, with its bytes; empty when `dir` is
// missing.
std::map<std::string, std::string> files_under(const std::filesystem::path& dir);

// Whether `needle` occurs in `haystack` as a byte sequence.
bool contains_bytes(std::string_view haystack, std::string_view needle);

// Lower-case hex of `bytes`.
std::string hex_of(std::string_view bytes);

// `SELECT count(*) FROM <table>` on the node's database.
std::int64_t row_count(const RunningApp& app, const std::string& table);

// POST /auth/register with the four fields.
JsonResponse register_user(const RunningApp& app,
                           const std::string& username,
                           const std::string& email,
                           const std::string& phone,
                           const std::string& password = kTestPassword);

// POST /auth/login.
JsonResponse login(const RunningApp& app, const std::string& username, const std::string& password);

// A pending user who has uploaded all three KYC documents (PNG front, PDF back, JPEG selfie).
// Returns register_and_login's body plus "documents": {doc_type: document id}.
nlohmann::json user_with_documents(const RunningApp& app, const std::string& username);

}  // namespace gw::test
