package org.mcpidp.verifier;

import java.net.URI;
import java.util.Optional;

/** What a resource server needs from an issuer's metadata document. */
record IssuerMetadata(String issuer, Optional<URI> jwksUri, Optional<URI> introspectionEndpoint) {
}
