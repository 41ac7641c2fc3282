package io.herald.delivery;

import io.herald.infra.sandbox.TwilioSandbox;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.util.List;

/**
 * Points the delivery service's Twilio accounts
 * ({@code herald.delivery.twilio.providers}) at local Twilio sandboxes.
 */
public final class TwilioAccounts {

	/** The sender of every test account: Twilio's test number of a valid sender. */
	private static final String FROM = "+15005550006";

	private TwilioAccounts() {
	}

	/**
	 * Registers the account at a place of the providers' list: its name, the sandbox's
	 * account SID, auth token and base URL, and a sender number.
	 * @param index the account's place in the list, tried in that order
	 * @param name the account's name, as metrics and logs show it
	 */
	public static void register(DynamicPropertyRegistry registry, int index, String name, TwilioSandbox sandbox) {
		String prefix = "herald.delivery.twilio.providers[" + index + "].";
		registry.add(prefix + "name", () -> name);
		registry.add(prefix + "account-sid", sandbox::accountSid);
		registry.add(prefix + "auth-token", () -> TwilioSandbox.DEFAULT_AUTH_TOKEN);
		registry.add(prefix + "from", () -> FROM);
		registry.add(prefix + "base-url", sandbox::baseUrl);
	}

	/**
	 * Status callbacks asked for at the service's API port, the first of {@code ports};
	 * the actuator on the second, since a defined API port leaves it on its fixed
	 * default.
	 */
	public static void callbacks(DynamicPropertyRegistry registry, List<Integer> ports) {
		registry.add("server.port", () -> ports.get(0));
		registry.add("management.server.port", () -> ports.get(1));
		registry.add("herald.delivery.receipts.public-base-url", () -> "http://127.0.0.1:" + ports.get(0));
	}

}
