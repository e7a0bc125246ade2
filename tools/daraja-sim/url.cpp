#include "daraja-sim/url.hpp"

#include <algorithm>
#include <cctype>

#include "daraja-sim/wire.hpp"

namespace gw::sim {
namespace {

constexpr int kHttpPort = 80;
constexpr int kHttpsPort = 443;
constexpr int kPortMax = 65535;

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return out;
}

// Splits "host[:port]" or "[v6]:port" into host and port. Returns false when malformed.
bool split_authority(std::string_view authority, Url& url) {
    std::string_view port_text;
    if (authority.starts_with('[')) {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) {
            return false;
        }
        url.host = std::string(authority.substr(1, close - 1));
        const std::string_view rest = authority.substr(close + 1);
        if (!rest.empty() && !rest.starts_with(':')) {
            return false;
        }
        port_text = rest.empty() ? rest : rest.substr(1);
    } else {
        const std::size_t colon = authority.find(':');
        url.host = std::string(authority.substr(0, colon));
        port_text =
            colon == std::string_view::npos ? std::string_view() : authority.substr(colon + 1);
    }
    if (url.host.empty() || url.host.find('@') != std::string::npos) {
        return false;
    }
    if (port_text.empty()) {
        return true;
    }
    if (!all_digits(port_text, 5)) {
        return false;
    }
    url.port = std::stoi(std::string(port_text));
    return url.port >= 1 && url.port <= kPortMax;
}

}  // namespace

std::optional<Url> parse_url(std::string_view text) {
    Url url;
    const std::string lowered_scheme = lower(text.substr(0, std::min<std::size_t>(text.size(), 8)));
    if (lowered_scheme.starts_with("https://")) {
        url.scheme = "https";
        url.port = kHttpsPort;
        text.remove_prefix(8);
    } else if (lowered_scheme.starts_with("http://")) {
        url.scheme = "http";
        url.port = kHttpPort;
        text.remove_prefix(7);
    } else {
        return std::nullopt;
    }
    const std::size_t authority_end = text.find_first_of("/?#");
    const std::string_view authority = text.substr(0, authority_end);
    if (authority.find('@') != std::string_view::npos || !split_authority(authority, url)) {
        return std::nullopt;
    }
    std::string_view target =
        authority_end == std::string_view::npos ? std::string_view() : text.substr(authority_end);
    target = target.substr(0, target.find('#'));
    url.target = target.empty() ? "/" : std::string(target);
    if (url.target.front() == '?') {
        url.target.insert(0, "/");
    }
    return url;
}

bool is_loopback_host(std::string_view host) {
    if (lower(host) == "localhost" || host == "::1") {
        return true;
    }
    // Dotted quad with the first octet 127.
    if (!host.starts_with("127.")) {
        return false;
    }
    int octets = 0;
    std::size_t start = 0;
    while (start <= host.size()) {
        const std::size_t dot = host.find('.', start);
        const std::string_view octet = host.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (!all_digits(octet, 3) || std::stoi(std::string(octet)) > 255) {
            return false;
        }
        ++octets;
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    return octets == 4;
}

std::string url_path(std::string_view url) {
    const std::optional<Url> parsed = parse_url(url);
    if (!parsed) {
        return "";
    }
    return parsed->target.substr(0, parsed->target.find('?'));
}

}  // namespace gw::sim
