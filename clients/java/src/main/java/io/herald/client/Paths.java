package io.herald.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** URLs of the API, with caller-given ids encoded as one path segment each. */
final class Paths {

	private Paths() {
	}

	/**
	 * The base with a path made of literal parts and ids: the parts at even positions are
	 * literal, those at odd positions are ids, percent-encoded so that no id can add a
	 * segment or a query.
	 */
	static URI resolve(URI base, String... parts) {
		StringBuilder path = new StringBuilder();
		for (int i = 0; i < parts.length; i++) {
			path.append((i % 2 == 0) ? parts[i] : segment(parts[i]));
		}
		return base.resolve(path.toString());
	}

	static String segment(String id) {
		if (id.isEmpty() || id.equals(".") || id.equals("..")) {
			// A URI resolves "." and ".." away: the call would reach another resource.
			throw new IllegalArgumentException("An id in a path must not be empty, '.' or '..'");
		}
		// RFC 3986 leaves '~' unreserved; encoded, the services' request firewall refuses
		// it.
		return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20").replace("%7E", "~");
	}

}
