#pragma once

// A Daraja credential (consumer key or secret, STK passkey, B2C SecurityCredential). It cannot
// be printed or streamed, so a log line that tries to show one does not compile (STYLE 12, 15);
// the text is reachable only through reveal(), whose callers build Daraja requests.

#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>

namespace gw::mpesa {

class Credential {
public:
    Credential() = default;
    explicit Credential(std::string text) : text_(std::move(text)) {}

    // Returns the secret text, for the one place that puts it on the wire.
    std::string_view reveal() const { return text_; }
    bool empty() const { return text_.empty(); }

    friend std::ostream& operator<<(std::ostream&, const Credential&) = delete;

private:
    std::string text_;
};

}  // namespace gw::mpesa
