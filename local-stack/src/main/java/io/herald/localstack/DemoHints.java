package io.herald.localstack;

import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What {@code ./platform up} prints under {@code READY}: what to try first on the stack
 * that runs. With the gateway, a link to the demo user's inbox page (carrying a freshly
 * minted {@link DemoUserToken} after {@code #}, so that it never reaches a server log)
 * and a curl command that sends that user an in-app notification; with ingestion only, a
 * curl command that sends an event; with the provider sandboxes, how to see one event on
 * every channel; with delivery, an operator action with this run's operator token.
 */
public final class DemoHints {

	/**
	 * The demo user's iOS device token in the printed hint: 32 bytes in hex, as APNs
	 * issues them.
	 */
	public static final String DEMO_IOS_TOKEN = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809";

	/**
	 * The demo user's Android device token in the printed hint, shaped like an FCM
	 * registration token.
	 */
	public static final String DEMO_ANDROID_TOKEN = "demo-android:APA91b"
			+ "Hk3demoTokenForTheLocalFcmSandbox_".repeat(4);

	private final LocalStackSettings settings;

	private final @Nullable String sandboxUrl;

	private final String operatorToken;

	/**
	 * @param settings the services that run and the demo credentials
	 * @param sandboxUrl the provider sandboxes' page, {@code null} if they do not run
	 * @param operatorToken this run's operator token
	 */
	DemoHints(LocalStackSettings settings, @Nullable String sandboxUrl, String operatorToken) {
		this.settings = settings;
		this.sandboxUrl = sandboxUrl;
		this.operatorToken = operatorToken;
	}

	/** The hints, a few lines ending with how to stop. */
	String text() {
		StringBuilder hint = new StringBuilder();
		Service gateway = service("gateway").orElse(null);
		if (gateway != null) {
			hint.append("Open the inbox of ")
				.append(DemoUserToken.DEMO_USER)
				.append(":\n  ")
				.append(demoInboxUrl(gateway, Instant.now()))
				.append('\n');
		}
		Service ingestion = service("ingestion").orElse(null);
		if (ingestion != null) {
			String event = (gateway != null)
					? "{\"type\":\"demo.hello\",\"recipients\":{\"users\":[\"" + DemoUserToken.DEMO_USER
							+ "\"]},\"channels\":[\"inapp\"],\"content\":{\"title\":\"Hi\",\"body\":\"Hello\"}}"
					: "{\"type\":\"demo.hello\",\"recipients\":{\"users\":[\"u-1\"]},\"content\":{\"title\":\"Hi\",\"body\":\"Hello\"}}";
			hint.append((gateway != null) ? "Send it a notification:" : "Send a demo event:")
				.append("\n  curl -s -X POST localhost:")
				.append(ingestion.port())
				.append("/v1/events -H 'Authorization: Bearer ")
				.append(this.settings.demoApiKey())
				.append("' -H 'Content-Type: application/json' -d '")
				.append(event)
				.append("'\n");
		}
		String sandboxUrl = this.sandboxUrl;
		Service routing = service("routing").orElse(null);
		if (sandboxUrl != null && ingestion != null && routing != null) {
			hint.append(everyChannel(ingestion, routing, sandboxUrl));
		}
		service("delivery")
			.ifPresent((delivery) -> hint.append("Operator actions (this run's operator token):\n  curl -s localhost:")
				.append(delivery.managementPort())
				.append("/actuator/lanes -H 'Authorization: Bearer ")
				.append(this.operatorToken)
				.append("'\n"));
		return hint.append("Press Ctrl-C to stop everything.").toString();
	}

	/**
	 * How to see an event on every channel: give the demo user an email address, a phone
	 * number and an iOS and an Android device, send her an event, and watch the sandbox
	 * page.
	 */
	String everyChannel(Service ingestion, Service routing, String sandboxUrl) {
		String user = DemoUserToken.DEMO_USER;
		String auth = " -H 'Authorization: Bearer " + this.settings.demoApiKey()
				+ "' -H 'Content-Type: application/json'";
		String users = "localhost:" + routing.port() + "/v1/users/" + user;
		return "Send her email, SMS and push too, then see them at " + sandboxUrl + ":\n" + "  curl -s -X PUT " + users
				+ auth + " -d '{\"email\":\"" + user + "@example.com\",\"phone\":\"+4915112345678\"}'\n"
				+ "  curl -s -X POST " + users + "/devices" + auth + " -d '{\"platform\":\"ios\",\"token\":\""
				+ DEMO_IOS_TOKEN + "\"}'\n" + "  curl -s -X POST " + users + "/devices" + auth
				+ " -d '{\"platform\":\"android\",\"token\":\"" + DEMO_ANDROID_TOKEN + "\"}'\n"
				+ "  curl -s -X POST localhost:" + ingestion.port() + "/v1/events" + auth
				+ " -d '{\"type\":\"demo.hello\",\"recipients\":{\"users\":[\"" + user
				+ "\"]},\"content\":{\"title\":\"Hi\",\"body\":\"Hello on every channel\"}}'\n";
	}

	/**
	 * The gateway's demo inbox page for {@link DemoUserToken#DEMO_USER}, with a token
	 * issued at {@code issuedAt} in the fragment.
	 */
	String demoInboxUrl(Service gateway, Instant issuedAt) {
		String token = DemoUserToken.mint(this.settings.demoTenant(), this.settings.demoJwtSecret(),
				DemoUserToken.DEMO_USER, issuedAt);
		return gateway.url() + "/demo/inbox.html#token=" + token;
	}

	private Optional<Service> service(String name) {
		return this.settings.services().stream().filter((service) -> service.name().equals(name)).findFirst();
	}

}
