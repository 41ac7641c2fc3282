package io.herald.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.herald.loaddriver.DemoAccount;
import io.herald.localstack.DemoUserToken;
import io.herald.localstack.Service;

/**
 * Opens a demo user's WebSocket to a stack's gateway and hands over each whole text
 * frame.
 */
final class DemoUserSocket {

	private DemoUserSocket() {
	}

	/**
	 * Connects as {@code userId} of the demo tenant.
	 * @param onFrame called with the socket and each complete text frame, in order
	 */
	static WebSocket open(HttpClient http, Service gateway, String userId, BiConsumer<WebSocket, String> onFrame)
			throws Exception {
		String token = DemoUserToken.mint(DemoAccount.TENANT, DemoAccount.JWT_SECRET, userId, Instant.now());
		return http.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + gateway.port() + "/v1/ws?access_token=" + token),
					new WebSocket.Listener() {

						private final StringBuilder text = new StringBuilder();

						@Override
						public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
							this.text.append(data);
							if (last) {
								onFrame.accept(socket, this.text.toString());
								this.text.setLength(0);
							}
							socket.request(1);
							return null;
						}

					})
			.get(30, TimeUnit.SECONDS);
	}

}
