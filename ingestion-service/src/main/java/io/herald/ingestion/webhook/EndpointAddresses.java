package io.herald.ingestion.webhook;

import org.jspecify.annotations.Nullable;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which URLs a webhook endpoint may have: absolute {@code http} or {@code https} URLs
 * with a host, no credentials and no fragment, at most {@link #MAX_URL_LENGTH}
 * characters, whose host is a name or an address in its usual form (dotted decimal IPv4,
 * bracketed IPv6): a number such as {@code 2130706433}, {@code 0x7f000001} or
 * {@code 0177.0.0.1} is refused, as clients read such forms differently. Unless private
 * networks are allowed, no host may be, or resolve to, a loopback, private, carrier-grade
 * NAT, link-local (cloud metadata {@code 169.254.169.254} included), unique-local,
 * multicast, unspecified or reserved address, also not one written as an IPv4-mapped,
 * IPv4-compatible, NAT64 or 6to4 IPv6 address, so that a tenant cannot make Herald call
 * into the network it runs in. Checked when an endpoint is registered (a literal address,
 * {@code localhost}) and again before every call (what the name resolves to then). A name
 * that resolves to a public address when checked and to a private one when connected (DNS
 * rebinding) is not caught: run the sender behind an egress proxy or firewall where that
 * matters (docs/security.md).
 */
final class EndpointAddresses {

	/**
	 * The longest URL accepted: far above any real endpoint, small enough to log and
	 * store.
	 */
	static final int MAX_URL_LENGTH = 2048;

	/** An IPv4 address as people write it: four decimal numbers without leading zeros. */
	private static final Pattern DOTTED_QUAD = Pattern.compile(
			"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");

	/**
	 * A label that makes a host an IPv4 address to some parser: decimal, octal or hex
	 * digits.
	 */
	private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");

	private final boolean allowPrivateNetworks;

	private final Resolver resolver;

	EndpointAddresses(boolean allowPrivateNetworks) {
		this(allowPrivateNetworks, InetAddress::getAllByName);
	}

	/**
	 * @param resolver what a host name resolves to before a call
	 */
	EndpointAddresses(boolean allowPrivateNetworks, Resolver resolver) {
		this.allowPrivateNetworks = allowPrivateNetworks;
		this.resolver = resolver;
	}

	/**
	 * What is wrong with a URL an endpoint is registered with, or {@code null} when
	 * nothing is.
	 */
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
		if (uri.getRawUserInfo() != null) {
			return "must not carry credentials: authenticate calls by their signature";
		}
		if (uri.getHost() == null || uri.getHost().isEmpty()) {
			return "must name a host";
		}
		if (uri.getRawFragment() != null) {
			return "must not have a fragment";
		}
		String host = normalized(uri.getHost());
		if (ambiguousNumber(host)) {
			return "must name its host by a name, a dotted decimal IPv4 address or a bracketed IPv6 address";
		}
		if (!this.allowPrivateNetworks && privateLiteral(host)) {
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
		String host = (url.getHost() != null) ? normalized(url.getHost()) : "";
		if (host.isEmpty() || ambiguousNumber(host)) {
			return "invalid_host";
		}
		if (localName(host)) {
			return "private_address";
		}
		if (literal(host)) {
			try {
				return isPrivate(InetAddress.getByName(host)) ? "private_address" : null;
			}
			catch (UnknownHostException ex) {
				return "invalid_host";
			}
		}
		try {
			for (InetAddress address : this.resolver.resolve(host)) {
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

	/** The host in lower case, without the trailing dot of a fully qualified name. */
	private static String normalized(String host) {
		String name = host.toLowerCase(Locale.ROOT);
		while (name.endsWith(".")) {
			name = name.substring(0, name.length() - 1);
		}
		return name;
	}

	/**
	 * Whether a host looks like an IPv4 address but is not in dotted decimal form: its
	 * last label is a number (as URL parsers decide), but it is not four decimal numbers
	 * of 0 to 255.
	 */
	private static boolean ambiguousNumber(String host) {
		if (host.startsWith("[")) {
			return false;
		}
		String last = host.substring(host.lastIndexOf('.') + 1);
		return NUMERIC_LABEL.matcher(last).matches() && !DOTTED_QUAD.matcher(host).matches();
	}

	private static boolean privateLiteral(String host) {
		if (localName(host)) {
			return true;
		}
		if (!literal(host)) {
			return false; // a name: checked before each call, as what it resolves to then
		}
		try {
			return isPrivate(InetAddress.getByName(host));
		}
		catch (UnknownHostException ex) {
			return true; // brackets around something that is no IPv6 address
		}
	}

	/**
	 * {@code localhost} and its subdomains, which resolvers answer with a loopback
	 * address.
	 */
	private static boolean localName(String host) {
		return host.equals("localhost") || host.endsWith(".localhost");
	}

	/**
	 * A literal address, which {@link InetAddress#getByName} parses and never looks up.
	 */
	private static boolean literal(String host) {
		return host.startsWith("[") || DOTTED_QUAD.matcher(host).matches();
	}

	/**
	 * Whether calls to an address would stay inside the network Herald runs in, or go
	 * nowhere.
	 */
	static boolean isPrivate(InetAddress address) {
		if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
				|| address.isAnyLocalAddress() || address.isMulticastAddress()) {
			return true;
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet6Address) {
			byte[] embedded = embeddedIpv4(bytes);
			if (embedded != null) {
				return isPrivateIpv4(embedded);
			}
			return (bytes[0] & 0xfe) == 0xfc; // unique local, fc00::/7
		}
		return isPrivateIpv4(bytes);
	}

	private static boolean isPrivateIpv4(byte[] bytes) {
		int first = bytes[0] & 0xff;
		int second = bytes[1] & 0xff;
		if (first == 0 || first == 10 || first == 127 || first >= 224) {
			// This network, private, loopback, multicast, reserved and broadcast.
			return true;
		}
		return (first == 100 && (second & 0xc0) == 64) // carrier-grade NAT, 100.64.0.0/10
				|| (first == 169 && second == 254) // link-local, cloud metadata
				|| (first == 172 && (second & 0xf0) == 16) // private, 172.16.0.0/12
				|| (first == 192 && second == 168) // private
				|| (first == 192 && second == 0 && (bytes[2] & 0xff) == 0) // IETF
				|| (first == 198 && (second & 0xfe) == 18); // benchmarking, 198.18.0.0/15
	}

	/**
	 * The IPv4 address an IPv6 address carries to be reached by: IPv4-mapped
	 * ({@code ::ffff:0:0/96}), IPv4-compatible ({@code ::/96}), NAT64
	 * ({@code 64:ff9b::/96}) or 6to4 ({@code 2002::/16}).
	 */
	private static byte @Nullable [] embeddedIpv4(byte[] bytes) {
		boolean zeros80 = Arrays.equals(bytes, 0, 10, new byte[10], 0, 10);
		if (zeros80 && ((bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff || bytes[10] == 0 && bytes[11] == 0)) {
			return Arrays.copyOfRange(bytes, 12, 16);
		}
		if ((bytes[0] & 0xff) == 0x00 && (bytes[1] & 0xff) == 0x64 && (bytes[2] & 0xff) == 0xff
				&& (bytes[3] & 0xff) == 0x9b && Arrays.equals(bytes, 4, 12, new byte[8], 0, 8)) {
			return Arrays.copyOfRange(bytes, 12, 16);
		}
		if ((bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x02) {
			return Arrays.copyOfRange(bytes, 2, 6);
		}
		return null;
	}

	/** What a host name resolves to; {@link InetAddress#getAllByName} outside tests. */
	@FunctionalInterface
	interface Resolver {

		InetAddress[] resolve(String host) throws UnknownHostException;

	}

}
