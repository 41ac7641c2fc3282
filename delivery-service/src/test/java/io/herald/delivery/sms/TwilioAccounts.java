package io.herald.delivery.sms;

import io.herald.infra.sandbox.TwilioSandbox;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.util.List;

/**
 * The settings of the delivery service's Twilio accounts, pointed at Twilio sandboxes,
 * for the tests' {@code @DynamicPropertySource} methods.
 */
public final class TwilioAccounts {

	private TwilioAccounts() {
	}

	/** Account {@code index}, named {@code name}, at the sandbox. */
	public static void register(DynamicPropertyRegistry registry, int index, String name, TwilioSandbox sandbox) {
		String prefix = "herald.delivery.twilio.providers[" + index + "].";
		registry.add(prefix + "name", () -> name);
		registry.add(prefix + "account-sid", sandbox::accountSid);
		registry.add(prefix + "auth-token", () -> TwilioSandbox.DEFAULT_AUTH_TOKEN);
		registry.add(prefix + "from", () -> "+15005550006");
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
