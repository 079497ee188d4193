//! Who may ask the preview: requests for the host it serves, with a bounded target. Pure, so
//! it is tested without a socket.
//!
//! The Host check is what stops DNS rebinding: a page on `evil.example` whose name is made to
//! resolve to 127.0.0.1 can send requests to the preview, but they say `Host: evil.example`.
//! An address (`127.0.0.1`, `[::1]`) cannot be rebound, so a Host naming one is safe.

use super::respond::Reply;
use std::net::IpAddr;

/// The longest request target (path and query) answered; longer ones get 414. The whole
/// request head is bounded separately, by the HTTP layer.
pub const MAX_TARGET: usize = 8 * 1024;

/// The Host names a request may carry, from the address the server is bound to.
#[derive(Debug, Clone, Copy)]
pub struct Guard {
    bind: IpAddr,
}

impl Guard {
    /// For a server bound to `bind`. Bound to a loopback address, only `localhost` and
    /// loopback addresses are accepted; bound to another address (`--bind`), that address
    /// too; bound to every interface (`0.0.0.0`, `::`), any address (but no other name).
    pub fn new(bind: IpAddr) -> Guard {
        Guard { bind }
    }

    /// `Err` with the reply when a request for `target` naming `host` (the authority of an
    /// absolute target, else the Host header; `None` when there is neither, as from an
    /// HTTP/1.0 client) must not be answered.
    pub fn admit(&self, target: &str, host: Option<&str>) -> Result<(), Reply> {
        if target.len() > MAX_TARGET {
            let message = format!("request target longer than {MAX_TARGET} bytes\n");
            return Err(Reply::text(414, &message));
        }
        match host {
            Some(host) if !self.allows(host) => Err(Reply::text(403, &self.refusal(host))),
            _ => Ok(()),
        }
    }

    fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else {
            return false;
        };
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let address = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')).unwrap_or(name);
        match address.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || ip == self.bind || self.bind.is_unspecified(),
            Err(_) => false,
        }
    }

    fn refusal(&self, host: &str) -> String {
        let shown: String = host.chars().take(100).collect();
        let ours = if self.bind.is_loopback() {
            "localhost, 127.0.0.1 or [::1]".to_string()
        } else if self.bind.is_unspecified() {
            "localhost or an IP address".to_string()
        } else {
            format!("localhost, a loopback address or {}", self.bind)
        };
        format!(
            "casebook serve answers only requests for {ours}, not for `{shown}`: other web \
             sites must not read the preview (DNS rebinding). Open the preview by address, \
             or start it with --bind set to the address you use.\n"
        )
    }
}

/// The name part of a Host value (`name`, `name:port`, `[v6]`, `[v6]:port`); `None` when
/// the port is not a number.
fn host_name(host: &str) -> Option<&str> {
    let (name, port) = if host.starts_with('[') {
        host.split_at(host.find(']')? + 1)
    } else {
        host.split_at(host.find(':').unwrap_or(host.len()))
    };
    let port_ok = match port.strip_prefix(':') {
        Some(digits) => digits.bytes().all(|b| b.is_ascii_digit()),
        None => port.is_empty(),
    };
    (port_ok && !name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(bind: &str, target: &str, host: Option<&str>) -> u16 {
        let guard = Guard::new(bind.parse().unwrap());
        guard.admit(target, host).err().map_or(200, |reply| reply.status)
    }

    #[test]
    fn loopback_names_are_accepted_with_or_without_a_port() {
        for host in [
            "localhost",
            "LocalHost:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
            "[::1]",
            "[::1]:8080",
        ] {
            assert_eq!(status("127.0.0.1", "/", Some(host)), 200, "{host}");
        }
        assert_eq!(status("127.0.0.1", "/", None), 200, "HTTP/1.0 without Host");
    }

    #[test]
    fn a_request_for_another_host_is_refused() {
        for host in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "localhost:1111@evil.example",
            "localhost:x",
            "[::1",
            "",
            "192.168.1.20",
        ] {
            assert_eq!(status("127.0.0.1", "/", Some(host)), 403, "{host}");
        }
        let guard = Guard::new("127.0.0.1".parse().unwrap());
        let reply = guard.admit("/", Some("evil.example")).unwrap_err();
        let message = String::from_utf8(reply.body).unwrap();
        assert!(
            message.contains("`evil.example`") && message.contains("--bind"),
            "{message}"
        );
    }

    #[test]
    fn an_explicit_bind_address_is_accepted_too() {
        assert_eq!(status("192.168.1.20", "/", Some("192.168.1.20:1111")), 200);
        assert_eq!(status("192.168.1.20", "/", Some("localhost")), 200);
        assert_eq!(status("192.168.1.20", "/", Some("192.168.1.21")), 403);
        assert_eq!(status("0.0.0.0", "/", Some("10.0.0.7:1111")), 200);
        assert_eq!(status("0.0.0.0", "/", Some("laptop.local:1111")), 403);
    }

    #[test]
    fn a_long_request_target_is_refused_with_414() {
        let long = format!("/{}", "a".repeat(MAX_TARGET));
        assert_eq!(status("127.0.0.1", &long, Some("localhost")), 414);
        assert_eq!(status("127.0.0.1", &long[..MAX_TARGET], Some("localhost")), 200);
    }
}
