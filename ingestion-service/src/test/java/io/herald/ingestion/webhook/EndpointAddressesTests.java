package io.herald.ingestion.webhook;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guard against server-side request forgery: which endpoint URLs are refused at
 * registration ({@link EndpointAddresses#problem}) and which hosts before a call
 * ({@link EndpointAddresses#refusal}), with names resolved by a table instead of DNS.
 */
class EndpointAddressesTests {

	/** What the names of these tests resolve to. */
	private static final Map<String, List<String>> NAMES = Map.of("hooks.example.com", List.of("93.184.215.14"),
			"internal.example.com", List.of("10.1.2.3"), "metadata.example.com", List.of("169.254.169.254"),
			"mixed.example.com", List.of("93.184.215.14", "192.168.1.20"), "v6.example.com",
			List.of("2606:2800:21f:cb07:6820:80da:af6b:8b2c"), "ula.example.com", List.of("fd12:3456::1"), "localhost",
			List.of("127.0.0.1", "::1"));

	private static final String NOT_DOTTED_DECIMAL = "must name its host by a name, a dotted decimal IPv4 address or a bracketed IPv6 address";

	private final EndpointAddresses guard = new EndpointAddresses(false, EndpointAddressesTests::resolve);

	@Test
	void publicNamesAndAddressesAreAccepted() {
		for (String url : List.of("https://hooks.example.com/herald", "http://hooks.example.com:8080/a?b=c",
				"https://93.184.215.14/hook", "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook",
				"HTTPS://Hooks.Example.COM/hook", "https://hooks.example.com./hook", "https://172.32.0.1/hook",
				"https://172.15.255.255/hook", "https://100.128.0.1/hook", "https://8.8.8.8/")) {
			assertThat(this.guard.problem(url)).as(url).isNull();
			assertThat(this.guard.refusal(URI.create(url))).as(url).isNull();
		}
	}

	@Test
	void loopbackAddressesAreRefused() {
		assertPrivate("http://127.0.0.1/hook", "http://127.1.2.3:8080/hook", "http://localhost/hook",
				"http://LocalHost:9000/hook", "http://localhost./hook", "http://api.localhost/hook",
				"http://[::1]/hook", "http://[0:0:0:0:0:0:0:1]/hook");
	}

	@Test
	void privateNetworksAreRefused() {
		assertPrivate("http://10.0.0.1/", "http://10.255.255.255/", "http://172.16.0.1/", "http://172.31.255.255/",
				"http://192.168.0.1/", "http://192.168.255.255/", "http://100.64.0.1/", "http://100.127.255.255/");
	}

	@Test
	void linkLocalAddressesAndCloudMetadataAreRefused() {
		assertPrivate("http://169.254.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/",
				"http://[fe80::abcd]:8080/");
	}

	@Test
	void uniqueLocalAndSiteLocalIpv6AddressesAreRefused() {
		assertPrivate("http://[fc00::1]/", "http://[fd12:3456:789a::1]/", "http://[fec0::1]/");
	}

	@Test
	void ipv4AddressesWrittenAsIpv6AreRefusedWhenPrivate() {
		assertPrivate("http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[::ffff:10.0.0.1]/",
				"http://[::ffff:169.254.169.254]/", "http://[::127.0.0.1]/", "http://[64:ff9b::7f00:1]/",
				"http://[64:ff9b::a9fe:a9fe]/", "http://[2002:7f00:1::]/", "http://[2002:c0a8:101::1]/");
		assertThat(this.guard.problem("http://[::ffff:93.184.215.14]/")).isNull();
		assertThat(this.guard.problem("http://[64:ff9b::5db8:d70e]/")).isNull();
	}

	@Test
	void unspecifiedMulticastAndReservedAddressesAreRefused() {
		assertPrivate("http://0.0.0.0/", "http://0.1.2.3/", "http://[::]/", "http://224.0.0.1/", "http://[ff02::1]/",
				"http://240.0.0.1/", "http://255.255.255.255/", "http://192.0.0.8/", "http://198.18.0.1/");
	}

	@Test
	void addressesInDecimalOctalOrHexFormAreRefusedEvenWhenPublic() {
		for (String url : List.of("http://2130706433/", "http://0177.0.0.1/", "http://0x7f000001/",
				"http://0x7f.0.0.1/", "http://127.1/", "http://127.0.1/", "http://0/", "http://017700000001/",
				"http://010.0.0.1/", "http://1.2.3.04/", "http://1572395042/", "http://0x5db8d70e/",
				"http://hooks.example.123/", "http://256.1.1.1/")) {
			assertThat(this.guard.problem(url)).as(url).isIn(NOT_DOTTED_DECIMAL, "must name a host");
			assertThat(this.guard.refusal(URI.create(url))).as(url).isEqualTo("invalid_host");
		}
		for (String url : List.of("http://2130706433/", "http://0177.0.0.1/", "http://0x7f000001/")) {
			assertThat(this.guard.problem(url)).as(url).isEqualTo(NOT_DOTTED_DECIMAL);
		}
	}

	@Test
	void aNameThatResolvesToAPrivateAddressIsRefusedBeforeTheCall() {
		for (String url : List.of("https://internal.example.com/hook", "https://metadata.example.com/",
				"https://mixed.example.com/hook", "https://ula.example.com/hook",
				"https://internal.example.com./hook")) {
			assertThat(this.guard.problem(url)).as("names are not resolved at registration: " + url).isNull();
			assertThat(this.guard.refusal(URI.create(url))).as(url).isEqualTo("private_address");
		}
		assertThat(this.guard.refusal(URI.create("https://v6.example.com/hook"))).isNull();
		assertThat(this.guard.refusal(URI.create("https://unknown.example.com/hook")))
			.as("a name that does not resolve fails to connect, and is tried again")
			.isNull();
	}

	@Test
	void onlyHttpAndHttpsAreAccepted() {
		for (String url : List.of("ftp://hooks.example.com/", "file:///etc/passwd", "gopher://hooks.example.com/",
				"javascript:alert(1)", "jar:http://hooks.example.com/a.jar!/", "ws://hooks.example.com/",
				"mailto:ops@example.com", "//hooks.example.com/hook", "/relative", "hooks.example.com/hook")) {
			assertThat(this.guard.problem(url)).as(url).isEqualTo("must be an absolute http or https URL");
		}
	}

	@Test
	void credentialsInTheUrlAreRefused() {
		for (String url : List.of("https://user:secret@hooks.example.com/", "https://user@hooks.example.com/",
				"http://hooks.example.com@127.0.0.1/", "https://:@hooks.example.com/")) {
			assertThat(this.guard.problem(url)).as(url).startsWith("must not carry credentials");
		}
	}

	@Test
	void malformedAndOversizedUrlsAreRefused() {
		assertThat(this.guard.problem("")).contains("1 to 2048 characters");
		assertThat(this.guard.problem("https://hooks.example.com/" + "x".repeat(2048)))
			.contains("1 to 2048 characters");
		assertThat(this.guard.problem("http://exa mple.com/")).startsWith("is not a URL");
		assertThat(this.guard.problem("http:///nohost")).isEqualTo("must name a host");
		assertThat(this.guard.problem("http://under_score.example.com/")).isEqualTo("must name a host");
		assertThat(this.guard.problem("https://hooks.example.com/#top")).isEqualTo("must not have a fragment");
	}

	@Test
	void privateNetworksMayBeAllowed() {
		EndpointAddresses open = new EndpointAddresses(true, EndpointAddressesTests::resolve);
		assertThat(open.problem("http://127.0.0.1:8080/hook")).isNull();
		assertThat(open.problem("http://localhost/hook")).isNull();
		assertThat(open.refusal(URI.create("http://internal.example.com/hook"))).isNull();
		assertThat(open.problem("http://0x7f000001/")).as("the form of an address is still checked").isNotNull();
		assertThat(open.problem("ftp://127.0.0.1/")).isNotNull();
	}

	private void assertPrivate(String... urls) {
		for (String url : urls) {
			assertThat(this.guard.problem(url)).as(url)
				.isEqualTo("must not point to a loopback, private or link-local address");
			assertThat(this.guard.refusal(URI.create(url))).as(url).isEqualTo("private_address");
		}
	}

	private static InetAddress[] resolve(String host) throws UnknownHostException {
		if (host.startsWith("[") || Character.isDigit(host.charAt(0))) {
			// A literal: parsed, not looked up.
			return new InetAddress[] { InetAddress.getByName(host) };
		}
		List<String> addresses = NAMES.get(host);
		if (addresses == null) {
			throw new UnknownHostException(host);
		}
		InetAddress[] resolved = new InetAddress[addresses.size()];
		for (int i = 0; i < resolved.length; i++) {
			resolved[i] = InetAddress.getByName(addresses.get(i));
		}
		return resolved;
	}

}
