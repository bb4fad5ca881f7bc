"""The Host check in front of the app: which header values name which host, and which are served."""

import pytest

from server.transport.hosts import HostCheck, host_name, parse_allowed


@pytest.mark.parametrize("header, name", [
    ("Example.ORG", "example.org"), ("example.org:8443", "example.org"), ("example.org.", "example.org"),
    ("[::1]:5000", "::1"), ("[fe80::1]", "fe80::1"), ("::1", "::1"), ("192.168.1.20:5000", "192.168.1.20"),
    ("", ""),
])
def test_a_host_header_names_its_host_without_port_or_brackets(header, name):
    assert host_name(header) == name


def test_allowed_hosts_is_split_on_commas_and_blanks_are_dropped():
    assert parse_allowed(" a.example , ,.B.example.,") == ["a.example", ".b.example"]
    assert parse_allowed(None) == []


def test_by_default_only_loopback_names_ip_literals_and_public_urls_host_are_served():
    check = HostCheck([], public_url="https://Attune.example.org:8443/")
    for host in ("localhost", "a.localhost:5000", "10.0.0.7", "[2001:db8::1]:443", "attune.example.org"):
        assert check.allows(host), host
    for host in ("", "example.org", "localhost.evil.example", "10.0.0.7.nip.io", "attune.example.org.evil"):
        assert not check.allows(host), host


def test_a_leading_dot_allows_a_name_and_its_subdomains_only():
    check = HostCheck(parse_allowed(".clinic.example"))
    assert check.allows("clinic.example") and check.allows("a.b.clinic.example:5000")
    assert not check.allows("badclinic.example")
