package io.herald.support.web;

import org.jspecify.annotations.Nullable;

/**
 * The problem details of what the web server (Tomcat or Jetty) refuses itself, before any
 * filter or servlet runs: the same JSON as the rest of the API, revealing nothing about
 * the server or the failure (no version, no stack trace, no exception message).
 */
final class ServerRefusals {

	private ServerRefusals() {
	}

	/** The problem detail of a status the web server answered on its own. */
	static String json(int status) {
		ErrorCode code = codeOf(status);
		if (code == null) {
			return "{\"type\":\"about:blank\",\"title\":\"HTTP " + status + "\",\"status\":" + status
					+ ",\"detail\":\"The web server refused the request.\"}";
		}
		return "{\"type\":\"urn:herald:problem:" + code.code() + "\",\"title\":\"" + code.problem("").getTitle()
				+ "\",\"status\":" + status + ",\"detail\":\"" + detail(code) + "\",\"code\":\"" + code.code() + "\"}";
	}

	private static @Nullable ErrorCode codeOf(int status) {
		return switch (status) {
			// The web server's own 400s are about the request line: a target it cannot
			// decode or parse.
			case 400 -> ErrorCode.INVALID_REQUEST_TARGET;
			case 404 -> ErrorCode.NOT_FOUND;
			case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
			case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
			case 500 -> ErrorCode.INTERNAL;
			case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
			default -> null;
		};
	}

	private static String detail(ErrorCode code) {
		return switch (code) {
			case INVALID_REQUEST_TARGET -> "The web server could not read the request line or its headers.";
			case PAYLOAD_TOO_LARGE -> "The request is larger than the web server accepts.";
			default -> "The web server refused the request.";
		};
	}

}
