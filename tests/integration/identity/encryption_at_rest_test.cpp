// Proves personal data is encrypted at rest: the raw bytes of the users row and of the KYC files
// on disk are grepped for the plaintext (phone digits, PNG header and markers, PDF marker) and
// hold none of it, while the service still decrypts them exactly (masked phone, byte-exact
// downloads with no-store) and refuses ciphertext that was moved or tampered with.

#include <fstream>

#include <gtest/gtest.h>

#include "support/app_fixture.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test {
namespace {

using nlohmann::json;

TEST(EncryptionAtRest, ThePhoneIsStoredOnlyEncryptedUnderAKeyedBlindIndex) {
    RunningApp app;
    const auto alice = register_user(app, "alice", "alice@example.com", "0712345678");
    const auto bob = register_user(app, "bob", "bob@example.com", "0712345679");
    ASSERT_EQ(alice.status, 201) << alice.raw;
    ASSERT_EQ(bob.status, 201) << bob.raw;
    const std::string alice_id = alice.body.at("id");
    const std::string bob_id = bob.body.at("id");
    const std::string alice_row = " FROM users WHERE id = '" + alice_id + "'";

    const std::string sealed = app.query("SELECT encode(phone_sealed, 'hex')" + alice_row);
    ASSERT_FALSE(sealed.empty());
    EXPECT_GT(sealed.size(), hex_of("254712345678").size())
        << "the ciphertext carries nonce and tag";
    for (const std::string digits : {"254712345678", "0712345678", "712345678"}) {
        EXPECT_FALSE(contains_bytes(sealed, hex_of(digits))) << digits << " in " << sealed;
        for (const std::string& id : {alice_id, bob_id}) {
            const std::string row =
                app.query("SELECT row_to_json(u)::text FROM users u WHERE id = '" + id + "'");
            ASSERT_FALSE(row.empty());
            EXPECT_FALSE(contains_bytes(row, digits)) << digits << " in " << row;
        }
    }
    EXPECT_EQ(app.query("SELECT phone_key_id" + alice_row), "1");

    const std::string alice_index =
        app.query("SELECT encode(phone_blind_index, 'hex')" + alice_row);
    const std::string bob_index =
        app.query("SELECT encode(phone_blind_index, 'hex') FROM users WHERE id = '" + bob_id + "'");
    EXPECT_FALSE(alice_index.empty());
    EXPECT_NE(alice_index, bob_index);
    EXPECT_NE(alice_index, app.query("SELECT encode(sha256('254712345678'), 'hex')"))
        << "the blind index is keyed, not a plain hash anyone can recompute";
    EXPECT_NE(
        sealed,
        app.query("SELECT encode(phone_sealed, 'hex') FROM users WHERE id = '" + bob_id + "'"));

    // The ciphertext really is the phone: the service opens it.
    EXPECT_EQ(app.application().accounts().phone_of(alice_id), "254712345678");
}

TEST(EncryptionAtRest, APhoneCiphertextMovedToAnotherUserDoesNotOpen) {
    RunningApp app;
    const json alice = register_and_login(app, "alice");
    const json bob = register_and_login(app, "bob");
    const std::string bob_id = bob.at("user_id");
    app.query(
        "UPDATE users SET phone_sealed = (SELECT phone_sealed FROM users WHERE username = 'alice') "
        "WHERE id = '" +
        bob_id + "' RETURNING 1");

    EXPECT_EQ(app.application().accounts().phone_of(bob_id), std::nullopt)
        << "the associated data binds the ciphertext to its user";
    const auto profile = request_json(app, "GET", "/user/me", nullptr, bob.at("access_token"));
    ASSERT_EQ(profile.status, 200) << profile.raw;
    EXPECT_TRUE(profile.body.at("phone").is_null()) << profile.raw;
    EXPECT_FALSE(contains_bytes(profile.raw, alice.at("phone").get<std::string>().substr(1)));
}

TEST(EncryptionAtRest, KycFilesOnDiskHoldNoPlaintextAndDownloadsAreByteExact) {
    RunningApp app;
    const json user = register_and_login(app, "carol");
    const std::string token = user.at("access_token");
    const std::string user_id = user.at("user_id");
    const std::string png = png_bytes();
    const std::string pdf = pdf_bytes();
    const auto png_upload = upload_kyc(app, token, "id_front", png, "front.png", "image/png");
    const auto pdf_upload = upload_kyc(app, token, "id_back", pdf, "back.pdf", "application/pdf");
    ASSERT_EQ(png_upload.status, 201) << png_upload.raw;
    ASSERT_EQ(pdf_upload.status, 201) << pdf_upload.raw;

    const auto files = files_under(app.kyc_dir());
    ASSERT_EQ(files.size(), 2u);
    const std::vector<std::string> plaintexts = {png_ihdr_chunk(),
                                                 std::string(kPngMarker),
                                                 std::string(kPdfMarker),
                                                 "%PDF-1.4",
                                                 std::string("\x89PNG\r\n\x1a\n", 8),
                                                 png.substr(0, 33)};
    for (const auto& [path, bytes] : files) {
        EXPECT_GT(bytes.size(), 24u + 17u) << path;
        for (const std::string& plaintext : plaintexts) {
            EXPECT_FALSE(contains_bytes(bytes, plaintext))
                << path << " holds " << hex_of(plaintext);
        }
    }
    const std::string documents_text =
        app.query("SELECT string_agg(row_to_json(d)::text, ',') FROM kyc_documents d");
    EXPECT_FALSE(contains_bytes(documents_text, kPdfMarker));
    EXPECT_FALSE(contains_bytes(documents_text, kPngMarker));

    const std::string admin = staff_login(app, "admin", identity::Role::admin).at("access_token");
    const std::vector<std::tuple<std::string, std::string, std::string>> expected = {
        {png_upload.body.at("id"), png, "image/png"},
        {pdf_upload.body.at("id"), pdf, "application/pdf"}};
    for (const auto& [document_id, original, content_type] : expected) {
        const auto download = request_json(
            app, "GET", "/admin/kyc/" + user_id + "/documents/" + document_id, nullptr, admin);
        ASSERT_EQ(download.status, 200) << download.raw;
        EXPECT_EQ(download.raw, original) << content_type;
        EXPECT_EQ(header_of(download, "Content-Type"), content_type);
        EXPECT_EQ(header_of(download, "Cache-Control"), "no-store");
        EXPECT_EQ(header_of(download, "X-Content-Type-Options"), "nosniff");
    }
}

TEST(EncryptionAtRest, ATamperedKycFileIsRefusedNotServed) {
    RunningApp app;
    const json user = register_and_login(app, "dave");
    const auto upload = upload_kyc(app, user.at("access_token"), "id_back", pdf_bytes());
    ASSERT_EQ(upload.status, 201) << upload.raw;
    const auto files = files_under(app.kyc_dir());
    ASSERT_EQ(files.size(), 1u);
    std::string bytes = files.begin()->second;
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
    std::ofstream(files.begin()->first, std::ios::binary | std::ios::trunc) << bytes;

    const std::string admin = staff_login(app, "admin", identity::Role::admin).at("access_token");
    const auto download = request_json(app,
                                       "GET",
                                       "/admin/kyc/" + user.at("user_id").get<std::string>() +
                                           "/documents/" + upload.body.at("id").get<std::string>(),
                                       nullptr,
                                       admin);
    EXPECT_EQ(download.status, 500) << download.raw;
    EXPECT_EQ(download.body.value("code", ""), "internal_error");
    EXPECT_FALSE(contains_bytes(download.raw, kPdfMarker));
}

}  // namespace
}  // namespace gw::test
