package io.herald.infra.sandbox;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

/**
 * Twilio's REST error body: {@code {"code", "message", "more_info", "status"}}, as the
 * SDK's {@code RestException} reads it.
 */
final class TwilioErrors {

	static final int AUTHENTICATE = 20003;

	static final int NOT_FOUND = 20404;

	static final int BODY_REQUIRED = 21602;

	static final int FROM_REQUIRED = 21603;

	static final int TO_REQUIRED = 21604;

	static final int INVALID_TO = 21211;

	static final int INVALID_FROM = 21212;

	static final int UNSUBSCRIBED = 21610;

	private TwilioErrors() {
	}

	static void send(HttpExchange exchange, int status, int code, String message) throws IOException {
		send(exchange, status, code, message, Map.of());
	}

	static void send(HttpExchange exchange, int status, int code, String message, Map<String, String> headers)
			throws IOException {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("code", code);
		error.put("message", message);
		error.put("more_info", "https://www.twilio.com/docs/errors/" + code);
		error.put("status", status);
		SandboxHttp.sendJson(exchange, status, error, headers);
	}

}
