"""The shared TLS context every SDK client uses still verifies certificates and host names."""

import ssl

from providers.http import tls_context


def test_shared_tls_context_verifies_and_is_built_once():
    ctx = tls_context()
    assert ctx is tls_context()
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    assert ctx.cert_store_stats()["x509_ca"] > 10  # a real CA bundle is loaded
