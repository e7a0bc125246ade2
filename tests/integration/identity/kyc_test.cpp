// Proves the KYC flow through HTTP: uploads show in the status, reviewers (admin, kyc_reviewer)
// see the queue with cursor pagination, download and decide (audited with before/after), users
// never reach each other's documents, and every bad upload is refused with its exact code while
// the kyc_documents table and the KYC directory stay exactly as they were.

#include <set>

#include <gtest/gtest.h>

#include "support/app_fixture.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test {
namespace {

using nlohmann::json;

std::string str(const json& value) {
    return value.get<std::string>();
}

JsonResponse kyc_status(const RunningApp& app, const std::string& token) {
    return request_json(app, "GET", "/user/kyc/status", nullptr, token);
}

JsonResponse decide(const RunningApp& app,
                    const std::string& token,
                    const std::string& user_id,
                    const json& body) {
    return request_json(app, "POST", "/admin/kyc/" + user_id + "/decision", body, token);
}

JsonResponse download(const RunningApp& app,
                      const std::string& token,
                      const std::string& user_id,
                      const std::string& document_id) {
    return request_json(
        app, "GET", "/admin/kyc/" + user_id + "/documents/" + document_id, nullptr, token);
}

// What a refused upload must leave untouched.
struct StoredState {
    std::int64_t documents = 0;
    std::map<std::string, std::string> files;
    std::int64_t audit = 0;
};

StoredState stored_state(const RunningApp& app) {
    return {
        row_count(app, "kyc_documents"), files_under(app.kyc_dir()), row_count(app, "audit_log")};
}

void expect_unchanged(const RunningApp& app, const StoredState& before, const std::string& what) {
    const StoredState after = stored_state(app);
    EXPECT_EQ(after.documents, before.documents) << what << ": a kyc_documents row was stored";
    EXPECT_EQ(after.files.size(), before.files.size()) << what << ": a file was stored";
    EXPECT_TRUE(after.files == before.files) << what << ": the KYC directory changed";
    EXPECT_EQ(after.audit, before.audit) << what << ": an audit row was written";
}

// Uploads, expects `status` and `code`, and that nothing was stored.
void expect_upload_refused(const RunningApp& app,
                           const std::string& token,
                           const httplib::MultipartFormDataItems& items,
                           int status,
                           const std::string& code,
                           const std::string& what) {
    const StoredState before = stored_state(app);
    const auto response = post_multipart(app, "/user/kyc/upload", items, token);
    EXPECT_EQ(response.status, status) << what << ": " << response.raw.substr(0, 300);
    EXPECT_EQ(response.body.value("code", ""), code) << what << ": " << response.raw.substr(0, 300);
    expect_unchanged(app, before, what);
}

std::vector<std::string> queue_user_ids(const JsonResponse& page) {
    std::vector<std::string> ids;
    for (const auto& item : page.body.at("items")) {
        ids.push_back(item.at("user_id"));
    }
    return ids;
}

TEST(Kyc, UploadedDocumentsShowInTheStatusUntilNoneIsMissing) {
    RunningApp app;
    const json user = register_and_login(app, "alice");
    const std::string token = user.at("access_token");
    const auto empty = kyc_status(app, token);
    ASSERT_EQ(empty.status, 200) << empty.raw;
    EXPECT_EQ(empty.body.at("status"), "pending");
    EXPECT_TRUE(empty.body.at("documents").empty());
    EXPECT_EQ(empty.body.at("missing"), json({"id_front", "id_back", "selfie"}));
    EXPECT_TRUE(empty.body.at("rejection_reason").is_null());

    const std::vector<std::tuple<std::string, std::string, std::string>> uploads = {
        {"id_front", png_bytes(), "image/png"},
        {"id_back", pdf_bytes(), "application/pdf"},
        {"selfie", jpeg_bytes(), "image/jpeg"}};
    std::set<std::string> ids;
    for (const auto& [doc_type, bytes, content_type] : uploads) {
        const auto uploaded = upload_kyc(app, token, doc_type, bytes);
        ASSERT_EQ(uploaded.status, 201) << uploaded.raw;
        EXPECT_EQ(uploaded.body.at("doc_type"), doc_type);
        EXPECT_EQ(uploaded.body.at("content_type"), content_type);
        EXPECT_EQ(uploaded.body.at("size_bytes"), bytes.size());
        ids.insert(str(uploaded.body.at("id")));
    }
    const auto full = kyc_status(app, token);
    ASSERT_EQ(full.status, 200) << full.raw;
    EXPECT_EQ(full.body.at("status"), "pending");
    EXPECT_TRUE(full.body.at("missing").empty()) << full.raw;
    std::set<std::string> listed;
    for (const auto& document : full.body.at("documents")) {
        listed.insert(str(document.at("id")));
    }
    EXPECT_EQ(listed, ids);
    EXPECT_EQ(row_count(app, "kyc_documents"), 3);
    EXPECT_EQ(files_under(app.kyc_dir()).size(), 3u);
    EXPECT_EQ(app.query("SELECT count(*) FROM audit_log WHERE action = 'kyc.upload'"), "3");
}

TEST(Kyc, AdminAndReviewerSeeTheQueueDownloadEveryDocumentAndApprove) {
    RunningApp app;
    const json user = user_with_documents(app, "bob");
    const std::string user_id = user.at("user_id");
    const std::string admin = staff_login(app, "admin", identity::Role::admin).at("access_token");
    const std::string reviewer =
        staff_login(app, "reviewer", identity::Role::kyc_reviewer).at("access_token");
    const std::map<std::string, std::string> originals = {
        {"id_front", png_bytes()}, {"id_back", pdf_bytes()}, {"selfie", jpeg_bytes()}};

    for (const std::string& staff : {admin, reviewer}) {
        const auto queue = request_json(app, "GET", "/admin/kyc?status=pending", nullptr, staff);
        ASSERT_EQ(queue.status, 200) << queue.raw;
        ASSERT_EQ(queue_user_ids(queue), std::vector<std::string>{user_id})
            << "staff are not queued";
        EXPECT_EQ(queue.body.at("items")[0].at("documents").size(), 3u);
        for (const auto& [doc_type, original] : originals) {
            const auto file = download(app, staff, user_id, user.at("documents").at(doc_type));
            ASSERT_EQ(file.status, 200) << file.raw;
            EXPECT_EQ(file.raw, original) << doc_type;
            EXPECT_EQ(header_of(file, "Cache-Control"), "no-store");
        }
    }
    EXPECT_EQ(app.query("SELECT count(*) FROM audit_log WHERE action = 'kyc.document.view'"), "6");

    const auto approved = decide(app, reviewer, user_id, {{"status", "verified"}});
    ASSERT_EQ(approved.status, 200) << approved.raw;
    EXPECT_EQ(approved.body.at("status"), "verified");
    EXPECT_EQ(kyc_status(app, user.at("access_token")).body.at("status"), "verified");
    EXPECT_EQ(request_json(app, "GET", "/user/me", nullptr, user.at("access_token"))
                  .body.at("kyc_status"),
              "verified");
    const auto limits = request_json(app, "GET", "/user/limits", nullptr, user.at("access_token"));
    EXPECT_EQ(limits.body.at("buy").at("per_trade_kes"), "250000.00") << limits.raw;
    EXPECT_TRUE(queue_user_ids(request_json(app, "GET", "/admin/kyc", nullptr, admin)).empty());
    EXPECT_EQ(
        queue_user_ids(request_json(app, "GET", "/admin/kyc?status=verified", nullptr, admin)),
        std::vector<std::string>{user_id});

    const auto audit = request_json(app, "GET", "/admin/audit", nullptr, admin);
    ASSERT_EQ(audit.status, 200) << audit.raw;
    const json& newest = audit.body.at("items").at(0);
    EXPECT_EQ(newest.at("action"), "kyc.decision");
    EXPECT_EQ(newest.at("target_id"), user_id);
    EXPECT_EQ(newest.at("actor_role"), "kyc_reviewer");
    EXPECT_EQ(newest.at("before").at("kyc_status"), "pending");
    EXPECT_EQ(newest.at("after").at("kyc_status"), "verified");
    EXPECT_FALSE(newest.at("request_id").is_null());

    // Verified: documents can no longer be replaced.
    const StoredState before = stored_state(app);
    const auto late = upload_kyc(app, user.at("access_token"), "selfie", jpeg_bytes());
    EXPECT_EQ(late.status, 409) << late.raw;
    EXPECT_EQ(late.body.value("code", ""), "kyc_already_verified");
    expect_unchanged(app, before, "upload after verification");
}

TEST(Kyc, ARejectionNeedsAReasonAndAFreshUploadMakesTheUserPendingAgain) {
    RunningApp app;
    const json user = user_with_documents(app, "carol");
    const std::string user_id = user.at("user_id");
    const std::string admin = staff_login(app, "admin", identity::Role::admin).at("access_token");
    const auto audit_before = row_count(app, "audit_log");

    const std::vector<std::pair<json, std::string>> invalid = {
        {{{"status", "rejected"}}, "reason: required when rejecting"},
        {{{"status", "rejected"}, {"reason", ""}}, "reason: required when rejecting"},
        {{{"status", "pending"}}, "status: must be verified or rejected"},
        {{{"status", "approved"}}, "status: must be verified or rejected"},
        {json::object(), "status: required"},
        {{{"status", 1}}, "status: must be a string"},
    };
    for (const auto& [body, detail] : invalid) {
        const auto refused = decide(app, admin, user_id, body);
        EXPECT_EQ(refused.status, 400) << body.dump() << ": " << refused.raw;
        EXPECT_EQ(refused.body.value("code", ""), "validation_failed") << body.dump();
        EXPECT_EQ(refused.body.value("detail", ""), detail) << body.dump();
    }
    EXPECT_EQ(app.query("SELECT kyc_status FROM users WHERE id = '" + user_id + "'"), "pending");
    EXPECT_EQ(row_count(app, "audit_log"), audit_before);

    const auto rejected =
        decide(app, admin, user_id, {{"status", "rejected"}, {"reason", "blurry photo"}});
    ASSERT_EQ(rejected.status, 200) << rejected.raw;
    const auto status = kyc_status(app, user.at("access_token"));
    EXPECT_EQ(status.body.at("status"), "rejected");
    EXPECT_EQ(status.body.at("rejection_reason"), "blurry photo");
    EXPECT_EQ(app.query("SELECT reason FROM audit_log WHERE action = 'kyc.decision'"),
              "blurry photo");

    const auto again = upload_kyc(app, user.at("access_token"), "selfie", jpeg_bytes());
    ASSERT_EQ(again.status, 201) << again.raw;
    const auto pending = kyc_status(app, user.at("access_token"));
    EXPECT_EQ(pending.body.at("status"), "pending");
    EXPECT_TRUE(pending.body.at("rejection_reason").is_null()) << pending.raw;
    EXPECT_EQ(queue_user_ids(request_json(app, "GET", "/admin/kyc", nullptr, admin)),
              std::vector<std::string>{user_id});
}

TEST(Kyc, DecisionsOnUnknownOrStaffAccountsAreNotFound) {
    RunningApp app;
    const json admin = staff_login(app, "admin", identity::Role::admin);
    const std::string token = admin.at("access_token");
    const auto audit_before = row_count(app, "audit_log");
    const std::vector<std::string> targets = {
        "00000000-0000-4000-8000-000000000000", "not-a-uuid", str(admin.at("user_id"))};
    for (const std::string& target : targets) {
        const auto response = decide(app, token, target, {{"status", "verified"}});
        EXPECT_EQ(response.status, 404) << target << ": " << response.raw;
        EXPECT_EQ(response.body.value("code", ""), "not_found") << target;
    }
    EXPECT_EQ(row_count(app, "audit_log"), audit_before);
}

TEST(Kyc, AUserCannotReachAnotherUsersDocuments) {
    RunningApp app;
    const json a = user_with_documents(app, "alice");
    const json b = user_with_documents(app, "bob");
    const std::string b_id = b.at("user_id");
    const std::string b_document = b.at("documents").at("id_front");

    const auto direct = download(app, a.at("access_token"), b_id, b_document);
    EXPECT_EQ(direct.status, 403) << direct.raw;
    EXPECT_EQ(direct.body.value("code", ""), "forbidden");
    EXPECT_FALSE(contains_bytes(direct.raw, kPngMarker));

    const auto own = kyc_status(app, a.at("access_token"));
    ASSERT_EQ(own.status, 200) << own.raw;
    std::set<std::string> listed;
    for (const auto& document : own.body.at("documents")) {
        listed.insert(str(document.at("id")));
    }
    std::set<std::string> a_documents;
    for (const auto& [doc_type, id] : a.at("documents").items()) {
        a_documents.insert(str(id));
    }
    EXPECT_EQ(listed, a_documents) << "A's status lists exactly A's documents";

    // Even staff cannot fetch B's document under A's id.
    const std::string admin = staff_login(app, "admin", identity::Role::admin).at("access_token");
    const auto audit_before = row_count(app, "audit_log");
    const auto crossed = download(app, admin, a.at("user_id"), b_document);
    EXPECT_EQ(crossed.status, 404) << crossed.raw;
    EXPECT_EQ(crossed.body.value("code", ""), "not_found");
    EXPECT_FALSE(contains_bytes(crossed.raw, kPngMarker));
    const auto garbage = download(app, admin, b_id, "not-a-uuid");
    EXPECT_EQ(garbage.status, 404) << garbage.raw;
    EXPECT_EQ(row_count(app, "audit_log"), audit_before) << "no view was logged";
    EXPECT_EQ(download(app, admin, b_id, b_document).status, 200) << "control";
}

TEST(KycUpload, FilesOverTheDefaultTenMebibytesAreTooLarge) {
    RunningApp app;
    const std::string token = register_and_login(app, "dave").at("access_token");
    const std::size_t limit = std::size_t{10} << 20;
    expect_upload_refused(
        app,
        token,
        {{"doc_type", "id_back", "", ""},
         {"file", pdf_bytes(kPdfMarker, 11u << 20), "big.pdf", "application/pdf"}},
        413,
        "payload_too_large",
        "11 MiB");
    expect_upload_refused(
        app,
        token,
        {{"doc_type", "id_back", "", ""},
         {"file", pdf_bytes(kPdfMarker, limit + 1), "big.pdf", "application/pdf"}},
        413,
        "payload_too_large",
        "10 MiB + 1 byte");
    const auto at_limit = upload_kyc(app, token, "id_back", pdf_bytes(kPdfMarker, limit));
    EXPECT_EQ(at_limit.status, 201) << at_limit.raw;
    EXPECT_EQ(at_limit.body.value("size_bytes", 0), static_cast<std::int64_t>(limit));
}

TEST(KycUpload, ASmallConfiguredLimitHoldsToTheByte) {
    RunningApp app([](app::Config& config) {
        config.kyc.file_bytes_max = 4096;
        config.http.upload_bytes_max = 4096 + 65536;
    });
    const std::string token = register_and_login(app, "erin").at("access_token");
    expect_upload_refused(
        app,
        token,
        {{"doc_type", "id_back", "", ""}, {"file", pdf_bytes(kPdfMarker, 4097), "a.pdf", ""}},
        413,
        "payload_too_large",
        "4097 bytes");
    expect_upload_refused(app,
                          token,
                          {{"doc_type", "id_back", "", ""},
                           {"file", pdf_bytes(kPdfMarker, 4096 + 65536 + 1), "a.pdf", ""}},
                          413,
                          "payload_too_large",
                          "over the transport limit");
    const auto exact = upload_kyc(app, token, "id_back", pdf_bytes(kPdfMarker, 4096));
    EXPECT_EQ(exact.status, 201) << exact.raw;
    EXPECT_EQ(app.query("SELECT size_bytes FROM kyc_documents"), "4096");
}

TEST(KycUpload, ExecutablesAndTextAreUnsupportedWhateverTheyClaimToBe) {
    RunningApp app;
    const std::string token = register_and_login(app, "frank").at("access_token");
    expect_upload_refused(
        app,
        token,
        {{"doc_type", "selfie", "", ""}, {"file", elf_bytes(), "selfie.png", "image/png"}},
        415,
        "unsupported_media_type",
        "ELF named .png");
    expect_upload_refused(
        app,
        token,
        {{"doc_type", "id_back", "", ""},
         {"file", "Just some text, not an ID card.\n", "id.pdf", "application/pdf"}},
        415,
        "unsupported_media_type",
        "plain text named .pdf");
    expect_upload_refused(app,
                          token,
                          {{"doc_type", "id_back", "", ""},
                           {"file",
                            "<html><body>" + std::string(kPdfMarker) + "</body></html>",
                            "id.pdf",
                            "application/pdf"}},
                          415,
                          "unsupported_media_type",
                          "HTML named .pdf");
}

TEST(KycUpload, TheTypeComesFromTheBytesNotTheFileNameOrContentType) {
    RunningApp app;
    const json user = register_and_login(app, "grace");
    const auto uploaded = upload_kyc(
        app, user.at("access_token"), "id_front", png_bytes(), "id.pdf", "application/pdf");
    ASSERT_EQ(uploaded.status, 201) << uploaded.raw;
    EXPECT_EQ(uploaded.body.at("content_type"), "image/png");
    EXPECT_EQ(app.query("SELECT content_type FROM kyc_documents"), "image/png");
    const std::string admin = staff_login(app, "admin", identity::Role::admin).at("access_token");
    const auto file = download(app, admin, user.at("user_id"), uploaded.body.at("id"));
    EXPECT_EQ(header_of(file, "Content-Type"), "image/png");
    EXPECT_EQ(file.raw, png_bytes());
}

TEST(KycUpload, MissingOrUnknownFieldsAreNamedAndJsonIsRefused) {
    RunningApp app;
    const std::string token = register_and_login(app, "heidi").at("access_token");
    const std::vector<std::tuple<httplib::MultipartFormDataItems, std::string, std::string>> cases =
        {
            {{{"file", png_bytes(), "a.png", "image/png"}}, "doc_type: required", "no doc_type"},
            {{{"doc_type", "id_front", "", ""}}, "file: required", "no file"},
            {{{"doc_type", "passport", "", ""}, {"file", png_bytes(), "a.png", ""}},
             "doc_type: must be one of id_front, id_back, selfie",
             "unknown doc_type"},
            {{{"doc_type", "", "", ""}, {"file", png_bytes(), "a.png", ""}},
             "doc_type: must be one of id_front, id_back, selfie",
             "empty doc_type"},
            {{{"doc_type", "id_front", "", ""}, {"file", "", "a.png", ""}},
             "file: the uploaded file is empty",
             "empty file"},
        };
    for (const auto& [items, detail, what] : cases) {
        const StoredState before = stored_state(app);
        const auto response = post_multipart(app, "/user/kyc/upload", items, token);
        EXPECT_EQ(response.status, 400) << what << ": " << response.raw;
        EXPECT_EQ(response.body.value("code", ""), "validation_failed") << what;
        EXPECT_EQ(response.body.value("detail", ""), detail) << what;
        expect_unchanged(app, before, what);
    }
    const StoredState before = stored_state(app);
    const auto as_json = request_json(app,
                                      "POST",
                                      "/user/kyc/upload",
                                      {{"doc_type", "id_front"}, {"file", "iVBORw0KGgo="}},
                                      token);
    EXPECT_EQ(as_json.status, 415) << as_json.raw;
    EXPECT_EQ(as_json.body.value("code", ""), "unsupported_media_type");
    const auto anonymous = upload_kyc(app, "", "id_front", png_bytes());
    EXPECT_EQ(anonymous.status, 401) << anonymous.raw;
    EXPECT_EQ(anonymous.body.value("code", ""), "unauthorized");
    expect_unchanged(app, before, "JSON body or no token");
}

TEST(KycQueue, PagesThroughPendingUsersWithACursorAndNoDuplicates) {
    RunningApp app;
    std::set<std::string> expected;
    for (const std::string name : {"user1", "user2", "user3"}) {
        expected.insert(str(user_with_documents(app, name).at("user_id")));
    }
    register_and_login(app, "no_documents");  // pending, but nothing to review yet
    const std::string admin = staff_login(app, "admin", identity::Role::admin).at("access_token");

    const auto first =
        request_json(app, "GET", "/admin/kyc?status=pending&limit=2", nullptr, admin);
    ASSERT_EQ(first.status, 200) << first.raw;
    ASSERT_EQ(first.body.at("items").size(), 2u) << first.raw;
    ASSERT_TRUE(first.body.at("next_before").is_string()) << first.raw;
    const auto second = request_json(
        app,
        "GET",
        "/admin/kyc?status=pending&limit=2&before=" + str(first.body.at("next_before")),
        nullptr,
        admin);
    ASSERT_EQ(second.status, 200) << second.raw;
    ASSERT_EQ(second.body.at("items").size(), 1u) << second.raw;
    EXPECT_TRUE(second.body.at("next_before").is_null()) << second.raw;

    std::vector<std::string> seen = queue_user_ids(first);
    for (const std::string& id : queue_user_ids(second)) {
        seen.push_back(id);
    }
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), expected);
    EXPECT_EQ(seen.size(), 3u) << "no user on two pages";

    for (const std::string query :
         {"limit=0", "limit=101", "limit=two", "before=not-a-uuid", "status=approved"}) {
        const auto bad = request_json(app, "GET", "/admin/kyc?" + query, nullptr, admin);
        EXPECT_EQ(bad.status, 400) << query << ": " << bad.raw;
        EXPECT_EQ(bad.body.value("code", ""), "validation_failed") << query;
    }
    EXPECT_EQ(request_json(app, "GET", "/admin/kyc?limit=100", nullptr, admin).status, 200);
}

}  // namespace
}  // namespace gw::test
