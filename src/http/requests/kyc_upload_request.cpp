#include "http/requests/kyc_upload_request.hpp"

namespace gw::http {
namespace {

// The one part called `name`, or the error naming it.
Result<const httplib::MultipartFormData*> single_part(const httplib::MultipartFormDataMap& parts,
                                                      const std::string& name) {
    switch (parts.count(name)) {
        case 0:
            return make_error(ErrorCode::validation_failed, name + ": required");
        case 1:
            return &parts.find(name)->second;
        default:
            return make_error(ErrorCode::validation_failed, name + ": send it once");
    }
}

}  // namespace

Result<KycUpload> decode_kyc_upload(const httplib::MultipartFormDataMap& parts) {
    auto doc_type = single_part(parts, "doc_type");
    if (!doc_type) {
        return doc_type.error();
    }
    auto file = single_part(parts, "file");
    if (!file) {
        return file.error();
    }
    return KycUpload{(*doc_type)->content, (*file)->content};
}

}  // namespace gw::http
