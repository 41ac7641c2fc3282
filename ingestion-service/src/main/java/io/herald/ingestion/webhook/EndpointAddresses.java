package io.herald.ingestion.webhook;

import org.jspecify.annotations.Nullable;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which URLs a webhook endpoint may have: absolute {@code http} or {@code https} URLs with a host,
 * no credentials and no fragment, at most {@link #MAX_URL_LENGTH} characters; unless private
 * networks are allowed, none whose host is, or resolves to, a loopback, private, link-local,
 * unique-local, multicast or unspecified address, so that a tenant cannot make Herald call into the
 * network it runs in. Checked when an endpoint is registered (a literal address, {@code localhost})
 * and again before every call (what the name resolves to then). A name that resolves to a public
 * address when checked and to a private one when connected (DNS rebinding) is not caught: run
 * the sender behind an egress proxy or firewall where that matters (docs/security.md).
 */
final class EndpointAddresses {

	/** The longest URL accepted: far above any real endpoint, small enough to log and store. */
	static final int MAX_URL_LENGTH = 2048;

	private final boolean allowPrivateNetworks;

	EndpointAddresses(boolean allowPrivateNetworks) {
		this.allowPrivateNetworks = allowPrivateNetworks;
	}

	/** What is wrong with a URL an endpoint is registered with, or {@code null} when nothing is. */
	@Nullable String problem(String url) {
		if (url.isEmpty() || url.length() > MAX_URL_LENGTH) {
			return "must be an http or https URL of 1 to " + MAX_URL_LENGTH + " characters";
		}
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			return "is not a URL: " + ex.getReason();
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
			return "must be an absolute http or https URL";
		}
		if (uri.getHost() == null || uri.getHost().isEmpty()) {
			return "must name a host";
		}
		if (uri.getRawUserInfo() != null) {
			return "must not carry credentials: authenticate calls by their signature";
		}
		if (uri.getRawFragment() != null) {
			return "must not have a fragment";
		}
		if (!this.allowPrivateNetworks && privateLiteral(uri.getHost())) {
			return "must not point to a loopback, private or link-local address";
		}
		return null;
	}

	/**
	 * Whether a call may go to the URL's host now.
	 * @return {@code null} when it may, else why not
	 */
	@Nullable String refusal(URI url) {
		if (this.allowPrivateNetworks) {
			return null;
		}
		try {
			for (InetAddress address : InetAddress.getAllByName(url.getHost())) {
				if (isPrivate(address)) {
					return "private_address";
				}
			}
			return null;
		}
		catch (UnknownHostException ex) {
			return null; // the call fails to connect and is retried: names may come back
		}
	}

	private static boolean privateLiteral(String host) {
		String name = host.toLowerCase(Locale.ROOT);
		if (name.equals("localhost") || name.endsWith(".localhost")) {
			return true;
		}
		boolean literal = name.startsWith("[") || name.chars().allMatch((c) -> Character.isDigit(c) || c == '.');
		if (!literal) {
			return false;
		}
		try {
			return isPrivate(InetAddress.getByName(name));
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	static boolean isPrivate(InetAddress address) {
		if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
				|| address.isAnyLocalAddress() || address.isMulticastAddress()) {
			return true;
		}
		if (address instanceof Inet6Address) {
			return (address.getAddress()[0] & 0xfe) == 0xfc; // unique local, fc00::/7
		}
		byte[] bytes = address.getAddress();
		return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64; // carrier-grade NAT, 100.64.0.0/10
	}

}
