//! Parsing the CIDRs and addresses that people type, with messages that say what is wrong.
//!
//! Plans keep CIDRs as text; this module turns text into `Ipv4Net` for the rules and tells a person
//! exactly why a text is not a CIDR (and, for host bits, what they probably meant).

use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// Parses an IPv4 CIDR block in canonical form (`10.0.0.0/16`).
///
/// ```
/// use cen_planner::core::cidr::parse_cidr;
/// assert_eq!(parse_cidr("10.1.0.0/16").unwrap().to_string(), "10.1.0.0/16");
/// assert!(parse_cidr("10.1.0.1/16").unwrap_err().contains("10.1.0.0/16"));
/// ```
pub fn parse_cidr(text: &str) -> Result<Ipv4Net, String> {
    if let Some(net) = canonical_cidr(text.as_bytes()) {
        return Ok(net);
    }
    let t = text.trim();
    if t.is_empty() {
        return Err("a CIDR block is required, for example 192.168.0.0/16".into());
    }
    let Some((addr, len)) = t.split_once('/') else {
        return Err(format!(
            "\"{t}\" has no prefix length: write it as address/length, for example {t}/24"
        ));
    };
    let addr: Ipv4Addr = addr.parse().map_err(|_| {
        if addr.contains(':') {
            format!("\"{t}\" is IPv6: CEN Basic edition plans are IPv4")
        } else {
            format!("\"{addr}\" is not an IPv4 address (four numbers 0–255 separated by dots)")
        }
    })?;
    if len.is_empty() || !len.bytes().all(|b| b.is_ascii_digit()) || len.len() > 2 {
        return Err(format!("\"/{len}\" is not a prefix length: use a number from 0 to 32"));
    }
    let len: u8 = len.parse().map_err(|_| format!("\"/{len}\" is not a prefix length"))?;
    let net = Ipv4Net::new(addr, len).map_err(|_| format!("/{len} is too long: an IPv4 prefix length is at most 32"))?;
    if net.network() != addr {
        return Err(format!(
            "\"{t}\" has host bits set: the block starting at that address is {}",
            net.trunc()
        ));
    }
    Ok(net)
}

/// The block of `a.b.c.d/n` written canonically (no spaces, no leading zeros in an octet, no host
/// bits), or `None` for anything else: the fast path of `parse_cidr`, which accepts exactly these
/// the same way.
fn canonical_cidr(t: &[u8]) -> Option<Ipv4Net> {
    let mut octets = [0u32; 4];
    let mut i = 0;
    for (n, octet) in octets.iter_mut().enumerate() {
        let start = i;
        while i < t.len() && t[i].is_ascii_digit() && i - start < 3 {
            *octet = *octet * 10 + u32::from(t[i] - b'0');
            i += 1;
        }
        let digits = i - start;
        if digits == 0 || (digits > 1 && t[start] == b'0') || *octet > 255 {
            return None;
        }
        let sep = if n < 3 { b'.' } else { b'/' };
        if t.get(i) != Some(&sep) {
            return None;
        }
        i += 1;
    }
    let rest = &t[i..];
    if rest.is_empty() || rest.len() > 2 || !rest.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let len = rest.iter().fold(0u8, |l, d| l * 10 + (d - b'0'));
    let addr = Ipv4Addr::from(octets[0] << 24 | octets[1] << 16 | octets[2] << 8 | octets[3]);
    let net = Ipv4Net::new(addr, len).ok()?;
    (net.network() == addr).then_some(net)
}

/// Parses an IPv4 address (`203.0.113.10`).
pub fn parse_ip(text: &str) -> Result<Ipv4Addr, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("an IPv4 address is required, for example 203.0.113.10".into());
    }
    t.parse()
        .map_err(|_| format!("\"{t}\" is not an IPv4 address (four numbers 0–255 separated by dots)"))
}

/// Splits a typed list of CIDRs (commas, spaces or new lines between them) into its items.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether two blocks share at least one address (one contains the other).
pub fn overlaps(a: &Ipv4Net, b: &Ipv4Net) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The slow path alone (what `parse_cidr` was before its fast path).
    fn careful(text: &str) -> Result<Ipv4Net, String> {
        let t = text.trim();
        let (addr, len) = t.split_once('/').ok_or("no slash")?;
        let addr: Ipv4Addr = addr.parse().map_err(|_| "address")?;
        if len.is_empty() || !len.bytes().all(|b| b.is_ascii_digit()) || len.len() > 2 {
            return Err("length".into());
        }
        let net = Ipv4Net::new(addr, len.parse().map_err(|_| "length")?).map_err(|_| "too long")?;
        if net.network() != addr {
            return Err("host bits".into());
        }
        Ok(net)
    }

    #[test]
    fn the_fast_path_accepts_only_what_the_careful_parser_accepts_and_the_same_block() {
        let tricky = [
            "10.0.0.0/8",
            "0.0.0.0/0",
            "255.255.255.255/32",
            "10.0.0.0/08",
            "10.0.0.0/33",
            "10.0.0.1/8",
            "010.0.0.0/8",
            "10.0.0.0/",
            "10.0.0/8",
            "10.0.0.0.0/8",
            "256.0.0.0/8",
            " 10.0.0.0/8",
            "10.0.0.0/8 ",
            "10.0.0.0/008",
            "1.2.3.4/32",
            "1.2.3.4/+3",
            "1.2.3.4/-3",
            "1..3.4/32",
            "1.2.3.4//32",
            "１.2.3.4/32",
        ];
        for t in tricky {
            if let Some(net) = canonical_cidr(t.as_bytes()) {
                assert_eq!(careful(t), Ok(net), "{t}");
            }
            assert_eq!(parse_cidr(t).ok(), careful(t).ok(), "{t}");
        }
        proptest::proptest!(|(t in "[0-9./ ]{0,20}")| {
            if let Some(net) = canonical_cidr(t.as_bytes()) {
                proptest::prop_assert_eq!(careful(&t), Ok(net));
            }
            proptest::prop_assert_eq!(parse_cidr(&t).ok(), careful(&t).ok());
        });
        proptest::proptest!(|(a in 0u32..300, b in 0u32..300, c in 0u32..300, d in 0u32..300, l in 0u32..40, zero in 0usize..4)| {
            let mut parts = [a.to_string(), b.to_string(), c.to_string(), d.to_string()];
            if let Some(p) = parts.get_mut(zero) {
                p.insert(0, '0');
            }
            for t in [format!("{}.{}.{}.{}/{l}", parts[0], parts[1], parts[2], parts[3]), format!("{a}.{b}.{c}.{d}/{l}")] {
                if let Some(net) = canonical_cidr(t.as_bytes()) {
                    proptest::prop_assert_eq!(careful(&t), Ok(net));
                }
                proptest::prop_assert_eq!(parse_cidr(&t).ok(), careful(&t).ok());
            }
        });
    }

    #[test]
    fn accepts_canonical_blocks() {
        for t in ["0.0.0.0/0", "10.0.0.0/8", "172.16.1.128/25", " 192.168.1.0/24 ", "10.1.1.1/32"] {
            assert!(parse_cidr(t).is_ok(), "{t}");
        }
    }

    #[test]
    fn explains_every_kind_of_mistake() {
        assert!(parse_cidr("").unwrap_err().contains("required"));
        assert!(parse_cidr("10.0.0.0").unwrap_err().contains("no prefix length"));
        assert!(parse_cidr("10.0.0.256/24").unwrap_err().contains("not an IPv4 address"));
        assert!(parse_cidr("10.0.0.0/33").unwrap_err().contains("at most 32"));
        assert!(parse_cidr("10.0.0.0/x").unwrap_err().contains("prefix length"));
        assert!(parse_cidr("10.0.0.0/-1").unwrap_err().contains("prefix length"));
        assert!(parse_cidr("fd00::/8").unwrap_err().contains("IPv6"));
        assert!(parse_cidr("172.16.1.1/16").unwrap_err().contains("172.16.0.0/16"));
    }

    #[test]
    fn lists_split_on_commas_and_spaces() {
        assert_eq!(
            split_list("10.0.0.0/8, 192.168.0.0/16\n1.1.1.0/24"),
            vec!["10.0.0.0/8", "192.168.0.0/16", "1.1.1.0/24"]
        );
        assert!(split_list(" , ").is_empty());
    }

    #[test]
    fn overlap_is_containment_either_way() {
        let p = |s| parse_cidr(s).unwrap();
        assert!(overlaps(&p("172.16.0.0/16"), &p("172.16.1.0/24")));
        assert!(overlaps(&p("172.16.1.0/24"), &p("172.16.0.0/16")));
        assert!(!overlaps(&p("172.16.1.0/25"), &p("172.16.1.128/25")));
    }
}
