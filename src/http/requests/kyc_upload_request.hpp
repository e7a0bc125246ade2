#pragma once

// The multipart body of POST /user/kyc/upload: a `doc_type` part and a `file` part. The file
// name and content type the client gives are ignored (the KYC service sniffs the bytes and
// names the file itself). Fuzzed through a real server by tests/fuzz/multipart_parse_fuzz.cpp.

#include <httplib.h>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace gw::http {

struct KycUpload {
    std::string doc_type;      // checked by the KYC service (id_front, id_back or selfie)
    std::string_view content;  // the file's bytes; valid while the request lives
};

// Errors: validation_failed "doc_type: required" / "file: required" when a part is missing,
// "<part>: send it once" when a part is repeated (which one would count is ambiguous).
Result<KycUpload> decode_kyc_upload(const httplib::MultipartFormDataMap& parts);

}  // namespace gw::http
